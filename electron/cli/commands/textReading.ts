import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { VOICE_FILE, VoiceText } from '../../../shared/contract/voice';
import {
  DEFAULT_SYMBOL_TABLE, encodeText, normalizeText, parseSymbolTable, splitClauses, splitSentences, type SymbolTable,
} from '../../../shared/text/index';
import { phonemizeTexts, type EspeakIpaRunner } from '../../../shared/text/phonemize';

/**
 * What `formant text` shows: how a voice reads a text, piece by piece — the same shared/text code
 * synthesis and training use. A voice with `text.phonemizer` (phoneme input) reads the espeak-ng IPA
 * of each piece, so its ids spell the IPA, not the letters.
 */
export interface TextReader {
  table: SymbolTable;
  /** espeak-ng voice (e.g. en-us) when the voice reads phonemes; null: characters. */
  phonemizer: string | null;
  /** Append the end-of-sequence id, as synthesis does for a voice that has one. */
  eos: boolean;
}

export interface TextRow {
  /** 0-based sentence the piece belongs to. */
  sentence: number;
  text: string;
  start: number;
  end: number;
  normalized: string;
  /** The english cleaners' output (what a characters voice spells). */
  cleaned: string;
  /** Phoneme voices: the IPA the model is given (null when an unknown character stops phonemizing). Absent for characters voices. */
  phonemes?: string | null;
  ids: number[];
  unknown: { symbol: string; codePoint: string; count: number }[];
}

const CHARACTERS: TextReader = { table: DEFAULT_SYMBOL_TABLE, phonemizer: null, eos: false };

async function readJson(file: string, what: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new ServiceError('bad-input', `${what} ${file}: cannot read JSON (${(e as Error).message})`);
  }
}

/** A voice.json's `text` (validated like synthesis validates it) → its reader. */
function fromVoiceText(value: unknown, file: string): TextReader {
  const t = VoiceText.safeParse(value);
  if (!t.success) throw new ServiceError('bad-input', `${file}: text: ${t.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const { symbols, padId, eosId, phonemizer } = t.data;
  if (padId >= symbols.length || (eosId != null && eosId >= symbols.length)) throw new ServiceError('bad-input', `${file}: text: padId/eosId outside the ${symbols.length} symbols`);
  const table = parseSymbolTable({ symbols, pad: symbols[padId], eos: eosId == null ? null : symbols[eosId] });
  return { table, phonemizer: phonemizer?.voice ?? null, eos: eosId != null };
}

/** `--symbols <file>`: a symbols.json (characters) or a voice.json (its table, and its phonemizer when it has one). */
export async function readerFromSymbolsFile(file: string | undefined): Promise<TextReader> {
  if (!file) return CHARACTERS;
  const json = await readJson(file, '--symbols');
  const text = (json as { text?: unknown } | null)?.text;
  if (text && typeof text === 'object') return fromVoiceText(text, file);
  try {
    return { table: parseSymbolTable(json), phonemizer: null, eos: false };
  } catch (e) {
    throw new ServiceError('bad-input', `--symbols ${file}: ${(e as Error).message}`);
  }
}

/** `--voice <dir>`: a voice folder (or its voice.json). */
export async function readerFromVoice(target: string): Promise<TextReader> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) throw new ServiceError('bad-input', `--voice ${target}: no such voice folder or voice.json`);
  const file = stat.isDirectory() ? path.join(target, VOICE_FILE) : target;
  const json = await readJson(file, '--voice');
  const text = (json as { text?: unknown } | null)?.text;
  if (!text || typeof text !== 'object') throw new ServiceError('bad-input', `--voice ${file}: not a voice.json (no "text" section)`);
  return fromVoiceText(text, file);
}

export interface ReadTextOptions {
  /** Also split sentences longer than this into clauses. */
  maxChars?: number;
  /** espeak-ng runner (phoneme voices). */
  espeak: EspeakIpaRunner;
}

/** The text → its pieces (sentences, or clauses with maxChars), each normalized, cleaned, phonemized (phoneme voices) and as ids. */
export async function readText(text: string, reader: TextReader, opts: ReadTextOptions): Promise<TextRow[]> {
  const pieces = splitSentences(text).flatMap((s, sentence) =>
    (opts.maxChars ? splitClauses(s.text, opts.maxChars) : [{ text: s.text, start: 0, end: s.text.length }]).map((c) => ({
      sentence,
      text: c.text,
      start: s.start + c.start,
      end: s.start + c.end,
    })),
  );
  if (!reader.phonemizer) {
    return pieces.map((p) => {
      const enc = encodeText(p.text, reader.table, { unknown: 'drop', eos: reader.eos });
      return { ...p, normalized: normalizeText(p.text), cleaned: enc.cleaned, ids: enc.ids, unknown: enc.unknown };
    });
  }
  // Phonemes: the characters must first be ones the cleaners can spell (the phonemizer refuses others);
  // a piece with such a character is reported and not phonemized, the others go through ONE espeak batch.
  const chars = pieces.map((p) => encodeText(p.text, DEFAULT_SYMBOL_TABLE, { unknown: 'drop' }));
  const sayable = pieces.flatMap((p, i) => (chars[i]!.unknown.length ? [] : [p.text]));
  const ipa = sayable.length ? await phonemizeTexts(sayable, { voice: reader.phonemizer, espeak: opts.espeak, table: reader.table }) : [];
  let k = 0;
  return pieces.map((p, i) => {
    const c = chars[i]!;
    const base = { ...p, normalized: normalizeText(p.text), cleaned: c.cleaned };
    if (c.unknown.length) return { ...base, phonemes: null, ids: [], unknown: c.unknown };
    const phonemes = ipa[k++]!;
    const enc = encodeText(phonemes, reader.table, { cleaners: 'none', unknown: 'drop', eos: reader.eos });
    return { ...base, phonemes, ids: enc.ids, unknown: enc.unknown };
  });
}
