// Phoneme input (rhasspy/piper style): the character path's cleaning, then espeak-ng IPA per
// punctuation-free chunk, the punctuation kept between chunks. Pure: the espeak-ng runner is passed in
// (Node callers: electron/services/synthesis/espeakIpa.ts `phonemize`, which compiles the WASM once).
import { ServiceError } from '../contract/rpc';
import phonemeTableJson from './phonemeSymbols.json';
import { englishCleaners } from './cleaners';
import { DEFAULT_SYMBOL_TABLE, parseSymbolTable, TEXT_ERRORS, type SymbolTable } from './symbols';

/** The phoneme symbol table (espeak-ng IPA codepoints + the punctuation and space of symbols.json). */
export const PHONEME_SYMBOL_TABLE: SymbolTable = parseSymbolTable(phonemeTableJson);

export const PHONEME_ERRORS = {
  /** espeak-ng produced a codepoint the symbol table lacks. */
  unknownSymbol: 'phoneme-unknown-symbol',
  /** espeak-ng gave nothing for a chunk that has letters. */
  empty: 'phoneme-empty',
} as const;

/**
 * Runs espeak-ng ONCE on `input` (one clause per line; the runner must make every line end a clause,
 * `-l <large>`) with `--ipa` and the given voice, and returns its phoneme output (one line per clause).
 */
export type EspeakIpaRunner = (input: string, voice: string) => Promise<string>;

export interface PhonemizeOptions {
  /** espeak-ng voice (default en-us). */
  voice?: string;
  espeak: EspeakIpaRunner;
  /** Symbols the output may use (default PHONEME_SYMBOL_TABLE; a voice passes its own). */
  table?: SymbolTable;
  /** Bounds one espeak run (characters of input); default 8000. */
  maxBatchChars?: number;
  /** Called after each espeak run with the number of texts fully phonemized. */
  onProgress?: (doneTexts: number, total: number) => void;
  signal?: AbortSignal;
}

/** Marks kept as they are between chunks; `'` only where it is not inside a word (don't, o'clock). */
const PUNCTUATION = new Set([',', '.', '!', '?', ':', ';', '(', ')', '-']);
const isAlnum = (c: string | undefined) => c !== undefined && /[a-z0-9]/i.test(c);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export interface PunctuationSplit {
  /** Punctuation-free stretches to phonemize (each has at least one letter or digit). */
  chunks: string[];
  /** What goes before, between and after the chunks (chunks.length + 1 entries; whitespace as single spaces). */
  separators: string[];
}

/** Splits cleaned text at punctuation: "printing, in the only sense" → ["printing", "in the only sense"] / ["", ", ", ""]. */
export function splitAtPunctuation(cleaned: string): PunctuationSplit {
  const chars = [...cleaned];
  const isMark = (i: number) => {
    const c = chars[i]!;
    if (PUNCTUATION.has(c)) return true;
    return c === "'" && !(isAlnum(chars[i - 1]) && isAlnum(chars[i + 1]));
  };
  const chunks: string[] = [];
  const separators: string[] = [];
  let sep = '';
  let i = 0;
  while (i < chars.length) {
    if (isMark(i) || isSpace(chars[i]!)) {
      sep += chars[i];
      i++;
      continue;
    }
    // A chunk: from here to the last non-space before the next mark.
    let j = i;
    let lastWord = i;
    while (j < chars.length && !isMark(j)) {
      if (!isSpace(chars[j]!)) lastWord = j;
      j++;
    }
    separators.push(collapse(sep));
    chunks.push(collapse(chars.slice(i, lastWord + 1).join('')));
    sep = '';
    i = lastWord + 1;
  }
  separators.push(collapse(sep));
  return { chunks, separators };
}

const collapse = (s: string) => s.replace(/[\t\n\r ]+/g, ' ');

function codePointLabel(c: string): string {
  return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The character path's cleaning; characters the character table cannot spell are refused the same way. */
function cleanForPhonemes(text: string): string {
  const cleaned = englishCleaners(text);
  const known = new Set(DEFAULT_SYMBOL_TABLE.symbols.filter((s) => s.length === 1 && s !== DEFAULT_SYMBOL_TABLE.pad));
  const unknown = [...new Set([...cleaned].filter((c) => !known.has(c)))];
  if (unknown.length) {
    const list = unknown.map((c) => `${JSON.stringify(c)} (${codePointLabel(c)})`).join(', ');
    throw new ServiceError(TEXT_ERRORS.unknownSymbol, `cannot phonemize ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}…` : text)}: no symbol for ${list}; rephrase or remove ${unknown.length === 1 ? 'it' : 'them'}`, {
      unknown: unknown.map((c) => ({ symbol: c, codePoint: codePointLabel(c) })),
      text,
    });
  }
  return cleaned;
}

/** One espeak output line → phonemes: language-switch markers "(fr)…(en)" removed, whitespace collapsed. */
function tidyLine(line: string): string {
  return line.replace(/\([a-z]{2,3}(?:-[a-z0-9]+)*\)/gi, '').replace(/\s+/g, ' ').trim();
}

async function phonemizeBatch(chunks: string[], opts: PhonemizeOptions): Promise<string[]> {
  const voice = opts.voice ?? 'en-us';
  const out = await opts.espeak(chunks.join('\n') + '\n', voice);
  const lines = out.replace(/\n+$/, '').split('\n');
  // Every input line is a clause of its own; anything else (a line espeak split or gave nothing for)
  // falls back to one run per chunk, each run's lines joined.
  if (lines.length === chunks.length && lines.every((l) => tidyLine(l) !== '')) return lines.map(tidyLine);
  const res: string[] = [];
  for (const c of chunks) {
    const ph = tidyLine((await opts.espeak(c + '\n', voice)).split('\n').join(' '));
    if (!ph) throw new ServiceError(PHONEME_ERRORS.empty, `espeak-ng (voice ${voice}) gave no phonemes for ${JSON.stringify(c)}`);
    res.push(ph);
  }
  return res;
}

function checkSymbols(phonemes: string, text: string, table: SymbolTable): void {
  const known = new Set(table.symbols);
  const bad = [...new Set([...phonemes].filter((c) => !known.has(c) || c === table.pad || c === table.eos))];
  if (bad.length) {
    const list = bad.map((c) => `${JSON.stringify(c)} (${codePointLabel(c)})`).join(', ');
    throw new ServiceError(
      PHONEME_ERRORS.unknownSymbol,
      `espeak-ng's phonemes for ${JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}…` : text)} use ${list}, which the phoneme symbol table lacks ("${phonemes}")`,
      { unknown: bad.map((c) => ({ symbol: c, codePoint: codePointLabel(c) })), phonemes, text },
    );
  }
}

/**
 * Texts → IPA strings (one per text), e.g. "Printing, in the only sense" → "pɹˈɪntɪŋ, ɪnðɪ ˈoʊnli sˈɛns".
 * All chunks of all texts go through as few espeak runs as `maxBatchChars` allows (each run costs
 * ~0.3 s to start). Deterministic; a batch gives the same as one call per text.
 */
export async function phonemizeTexts(texts: string[], opts: PhonemizeOptions): Promise<string[]> {
  const table = opts.table ?? PHONEME_SYMBOL_TABLE;
  const splits = texts.map((t) => splitAtPunctuation(cleanForPhonemes(t)));
  const maxChars = opts.maxBatchChars ?? 8000;
  const phonemes: string[][] = splits.map(() => []);
  // Batches hold whole texts (so progress counts texts), except that one huge text is a batch of its own.
  let i = 0;
  while (i < splits.length) {
    if (opts.signal?.aborted) throw new ServiceError('cancelled', 'phonemizing cancelled');
    let j = i;
    let chars = 0;
    const batch: string[] = [];
    while (j < splits.length) {
      const size = splits[j]!.chunks.reduce((n, c) => n + c.length + 1, 0);
      if (j > i && chars + size > maxChars) break;
      chars += size;
      batch.push(...splits[j]!.chunks);
      j++;
    }
    const ph = batch.length ? await phonemizeBatch(batch, opts) : [];
    let k = 0;
    for (let t = i; t < j; t++) phonemes[t] = ph.slice(k, (k += splits[t]!.chunks.length));
    i = j;
    opts.onProgress?.(i, splits.length);
  }
  return splits.map((s, t) => {
    let out = s.separators[0]!;
    s.chunks.forEach((_, c) => (out += phonemes[t]![c]! + s.separators[c + 1]!));
    out = out.trim();
    checkSymbols(out, texts[t]!, table);
    return out;
  });
}

/** One text → IPA (see phonemizeTexts). */
export async function textToPhonemes(text: string, opts: PhonemizeOptions): Promise<string> {
  return (await phonemizeTexts([text], opts))[0]!;
}
