import { ServiceError } from '../../../shared/contract/rpc';
import type { VoiceManifest } from '../../../shared/contract/voice';
import { encodeText, englishCleaners, splitClauses, splitSentences, type SymbolTable } from '../../../shared/text/index';
import { phonemizeTexts, type EspeakIpaRunner } from '../../../shared/text/phonemize';
import { espeakIpa } from './espeakIpa';
import { planLongText, type PauseKind, type PlannedChunk } from './longText';

/**
 * The voice's view of text: its symbol table, its comfortable length, and the long-text plan
 * with every chunk already encoded — so unknown characters are reported before any compute.
 */
export function voiceSymbolTable(m: VoiceManifest): SymbolTable {
  const { symbols, padId, eosId } = m.text;
  return { pad: symbols[padId], eos: eosId == null ? null : symbols[eosId], symbols };
}

/**
 * Longest chunk (in cleaned characters) the voice reads comfortably: LJSpeech-style voices are
 * trained on clips of ≤ ~180 characters and attention degrades beyond what they saw; and the
 * decoder's step limit must leave room (≈ 6 frames per character at a 12.5 ms hop).
 */
export function comfortableChars(m: VoiceManifest): number {
  const t = m.tacotron2;
  // A duration model has no step limit; its clips are as long as Tacotron-2's, so the same 150 by default.
  const byStepLimit = t ? Math.floor((t.maxDecoderSteps * t.reductionFactor) / 8) : Infinity;
  const declared = (m as { text: { comfortableChars?: number } }).text.comfortableChars;
  return Math.max(20, Math.min(declared ?? 150, byStepLimit));
}

export interface EncodedChunk extends PlannedChunk {
  ids: number[];
  cleaned: string;
}

export interface PlanTextOptions {
  maxChars?: number;
  /** See PlanOptions.firstChunkMaxChars (long text: 60 by default, so the first audio comes sooner). */
  firstChunkMaxChars?: number;
  pauses?: Partial<Record<PauseKind, number>>;
}

function planChunks(text: string, m: VoiceManifest, opts: PlanTextOptions): PlannedChunk[] {
  if (!text.trim()) throw new ServiceError('empty-text', 'nothing to synthesize: the text is empty');
  return planLongText(
    text,
    { splitSentences: (t) => splitSentences(t), splitClauses },
    { maxChars: opts.maxChars ?? comfortableChars(m), measure: (s) => englishCleaners(s).length, pauses: opts.pauses, firstChunkMaxChars: opts.firstChunkMaxChars },
  );
}

/** Prefixes an error about one chunk with its sentence, so the user knows where to look. */
function inSentence(e: unknown, chunk: PlannedChunk): unknown {
  if (!(e instanceof ServiceError)) return e;
  const quote = chunk.text.length > 60 ? `${chunk.text.slice(0, 57)}…` : chunk.text;
  return new ServiceError(e.code, `sentence ${chunk.sentence + 1} ("${quote}", characters ${chunk.start}–${chunk.end}): ${e.message}`, e.details);
}

function finish(out: EncodedChunk[]): EncodedChunk[] {
  if (!out.length) throw new ServiceError('empty-text', 'nothing to synthesize: the text has no words the voice can say');
  return out;
}

/** Character voices: the plan, every chunk cleaned and encoded (synchronous). Phoneme voices: see planAndEncodeText. */
export function planAndEncode(text: string, m: VoiceManifest, opts: PlanTextOptions = {}): EncodedChunk[] {
  if (m.text.phonemizer) {
    throw new ServiceError('voice-phonemizer', `voice "${m.name}" reads phonemes (espeak-ng); encode its text with planAndEncodeText`);
  }
  const table = voiceSymbolTable(m);
  const out: EncodedChunk[] = [];
  for (const chunk of planChunks(text, m, opts)) {
    let enc;
    try {
      enc = encodeText(chunk.text, table, { cleaners: 'english', eos: m.text.eosId != null });
    } catch (e) {
      throw inSentence(e, chunk);
    }
    // A chunk of only symbols the cleaners remove (a lone quote) has nothing to say.
    const spoken = enc.ids.filter((id) => id !== m.text.eosId);
    if (!spoken.length || !/[a-z0-9]/i.test(enc.cleaned)) continue;
    out.push({ ...chunk, index: out.length, ids: enc.ids, cleaned: enc.cleaned });
  }
  return finish(out);
}

export interface PlanTextAsyncOptions extends PlanTextOptions {
  /** espeak-ng runner for phoneme voices (default: the Node WASM runner). */
  espeak?: EspeakIpaRunner;
  signal?: AbortSignal;
}

/**
 * Any voice: like planAndEncode; a voice with `text.phonemizer` has all its chunks phonemized in ONE
 * espeak-ng batch (one start, ~0.3 s, per request), then encoded with the voice's own symbols.
 * `cleaned` is then the IPA string the ids spell. Character voices never load espeak.
 */
export async function planAndEncodeText(text: string, m: VoiceManifest, opts: PlanTextAsyncOptions = {}): Promise<EncodedChunk[]> {
  const phonemizer = m.text.phonemizer;
  if (!phonemizer) return planAndEncode(text, m, opts);
  const table = voiceSymbolTable(m);
  // Chunks with no words (a lone quote) have nothing to say; the rest are phonemized together.
  const plan = planChunks(text, m, opts).filter((c) => /[a-z0-9]/i.test(englishCleaners(c.text)));
  let phonemes: string[];
  try {
    phonemes = await phonemizeTexts(plan.map((c) => c.text), { voice: phonemizer.voice, espeak: opts.espeak ?? espeakIpa, table, signal: opts.signal });
  } catch (e) {
    const about = e instanceof ServiceError ? (e.details as { text?: unknown } | undefined)?.text : undefined;
    const chunk = plan.find((c) => c.text === about);
    throw chunk ? inSentence(e, chunk) : e;
  }
  const out: EncodedChunk[] = [];
  plan.forEach((chunk, i) => {
    let enc;
    try {
      enc = encodeText(phonemes[i]!, table, { cleaners: 'none', eos: m.text.eosId != null });
    } catch (e) {
      throw inSentence(e, chunk);
    }
    if (!enc.ids.some((id) => id !== m.text.eosId)) return;
    out.push({ ...chunk, index: out.length, ids: enc.ids, cleaned: phonemes[i]! });
  });
  return finish(out);
}
