import { ServiceError } from '../../../shared/contract/rpc';
import type { VoiceManifest } from '../../../shared/contract/voice';
import { encodeText, englishCleaners, splitClauses, splitSentences, type SymbolTable } from '../../../shared/text/index';
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
  const byStepLimit = Math.floor((t.maxDecoderSteps * t.reductionFactor) / 8);
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

export function planAndEncode(text: string, m: VoiceManifest, opts: PlanTextOptions = {}): EncodedChunk[] {
  if (!text.trim()) throw new ServiceError('empty-text', 'nothing to synthesize: the text is empty');
  const table = voiceSymbolTable(m);
  const plan = planLongText(
    text,
    { splitSentences: (t) => splitSentences(t), splitClauses },
    { maxChars: opts.maxChars ?? comfortableChars(m), measure: (s) => englishCleaners(s).length, pauses: opts.pauses, firstChunkMaxChars: opts.firstChunkMaxChars },
  );
  const out: EncodedChunk[] = [];
  for (const chunk of plan) {
    let enc;
    try {
      enc = encodeText(chunk.text, table, { cleaners: 'english', eos: m.text.eosId != null });
    } catch (e) {
      if (e instanceof ServiceError) {
        const quote = chunk.text.length > 60 ? `${chunk.text.slice(0, 57)}…` : chunk.text;
        throw new ServiceError(e.code, `sentence ${chunk.sentence + 1} ("${quote}", characters ${chunk.start}–${chunk.end}): ${e.message}`, e.details);
      }
      throw e;
    }
    // A chunk of only symbols the cleaners remove (a lone quote) has nothing to say.
    const spoken = enc.ids.filter((id) => id !== m.text.eosId);
    if (!spoken.length || !/[a-z0-9]/i.test(enc.cleaned)) continue;
    out.push({ ...chunk, index: out.length, ids: enc.ids, cleaned: enc.cleaned });
  }
  if (!out.length) throw new ServiceError('empty-text', 'nothing to synthesize: the text has no words the voice can say');
  return out;
}
