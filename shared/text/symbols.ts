// The symbol table (shared/text/symbols.json, embedded in every voice bundle) and text ↔ id sequences.
// The trainer reads the same JSON file (formant_trainer/symbols.py) and maps cleaned text as encodeText with cleaners 'none' does.
import { ServiceError } from '../contract/rpc';
import defaultTableJson from './symbols.json';
import { cleanText, type CleanerName } from './cleaners';

export interface SymbolTable {
  /** Padding symbol (id of batch padding; never produced from text). */
  pad: string;
  /** End-of-sequence symbol appended when asked, or null when the model has none (NVIDIA's has none). */
  eos?: string | null;
  symbols: string[];
  name?: string;
  description?: string;
}

/** Stable error codes for text that cannot be turned into ids. */
export const TEXT_ERRORS = {
  unknownSymbol: 'TEXT_UNKNOWN_SYMBOL',
  badTable: 'TEXT_BAD_SYMBOL_TABLE',
  noEos: 'TEXT_NO_EOS',
} as const;

/** Check a table's shape: unique symbols, pad (and eos) among them. Throws ServiceError(TEXT_BAD_SYMBOL_TABLE). */
export function parseSymbolTable(value: unknown): SymbolTable {
  const bad = (why: string) => new ServiceError(TEXT_ERRORS.badTable, `invalid symbol table: ${why}`);
  if (typeof value !== 'object' || value === null) throw bad('not an object');
  const t = value as Record<string, unknown>;
  if (!Array.isArray(t.symbols) || t.symbols.length === 0) throw bad('"symbols" must be a non-empty array of strings');
  const symbols = t.symbols as unknown[];
  if (!symbols.every((s) => typeof s === 'string' && s.length > 0)) throw bad('every symbol must be a non-empty string');
  const seen = new Set<string>();
  for (const s of symbols as string[]) {
    if (seen.has(s)) throw bad(`symbol ${JSON.stringify(s)} appears twice`);
    seen.add(s);
  }
  if (typeof t.pad !== 'string' || !seen.has(t.pad)) throw bad('"pad" must be one of the symbols');
  const eos = t.eos ?? null;
  if (eos !== null && (typeof eos !== 'string' || !seen.has(eos))) throw bad('"eos" must be null or one of the symbols');
  return {
    pad: t.pad,
    eos: eos as string | null,
    symbols: symbols as string[],
    ...(typeof t.name === 'string' ? { name: t.name } : {}),
    ...(typeof t.description === 'string' ? { description: t.description } : {}),
  };
}

/** The project's symbol table (NVIDIA/tacotron2's 148 symbols). */
export const DEFAULT_SYMBOL_TABLE: SymbolTable = parseSymbolTable(defaultTableJson);

/** padId and eosId as voice.json stores them. */
export function symbolIds(table: SymbolTable): { padId: number; eosId: number | null } {
  const eos = table.eos ?? null;
  return { padId: table.symbols.indexOf(table.pad), eosId: eos === null ? null : table.symbols.indexOf(eos) };
}

const indexCache = new WeakMap<SymbolTable, Map<string, number>>();
function indexOf(table: SymbolTable): Map<string, number> {
  let m = indexCache.get(table);
  if (!m) {
    m = new Map(table.symbols.map((s, i) => [s, i]));
    indexCache.set(table, m);
  }
  return m;
}

export interface EncodeOptions {
  /** Cleaners run on the text outside {ARPAbet} braces; 'none' maps the text as it is. Default 'english'. */
  cleaners?: CleanerName | 'none';
  /** 'error' (default) throws TEXT_UNKNOWN_SYMBOL naming the characters; 'drop' leaves them out and lists them. */
  unknown?: 'error' | 'drop';
  /** Append the table's eos id (error when the table has none). Default false. */
  eos?: boolean;
}

export interface UnknownSymbol {
  symbol: string;
  /** Unicode code point as "U+00E9" (characters may be invisible). */
  codePoint: string;
  count: number;
}

export interface Encoded {
  ids: number[];
  /** The cleaned text with ARPAbet groups kept in braces: what the ids spell. */
  cleaned: string;
  /** Characters or ARPAbet symbols the table lacks (dropped with unknown: 'drop'). */
  unknown: UnknownSymbol[];
}

/** "{HH AH0 L OW1}": braces holding phone-shaped tokens only; other braces ("{note}") are plain text. */
const ARPABET_RE = /\{[\t\n\v\f\r ]*([A-Z]{1,2}[0-2]?(?:[\t\n\v\f\r ]+[A-Z]{1,2}[0-2]?)*)[\t\n\v\f\r ]*\}/g;

function codePointLabel(s: string): string {
  return [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

/** Clean a stretch of plain text, keeping a boundary space that cleaning would trim (next to ARPAbet). */
function cleanSegment(text: string, cleaners: CleanerName | 'none', isFirst: boolean, isLast: boolean): string {
  if (cleaners === 'none') return text;
  const cleaned = cleanText(text, cleaners);
  if (cleaned === '') return /^[\t\n\v\f\r ]*$/.test(text) && !isFirst && !isLast && text.length ? ' ' : '';
  const lead = !isFirst && /^[\t\n\v\f\r ]/.test(text) ? ' ' : '';
  const trail = !isLast && /[\t\n\v\f\r ]$/.test(text) ? ' ' : '';
  return lead + cleaned + trail;
}

/**
 * Text → ids, like keithito/tacotron's text_to_sequence: "{HH AH0 L OW1}" inside the text is ARPAbet,
 * everything else goes through the cleaners. The pad symbol is never produced.
 */
export function encodeText(text: string, table: SymbolTable = DEFAULT_SYMBOL_TABLE, opts: EncodeOptions = {}): Encoded {
  const cleaners = opts.cleaners ?? 'english';
  const index = indexOf(table);
  const ids: number[] = [];
  const unknown = new Map<string, number>();
  const miss = (s: string) => unknown.set(s, (unknown.get(s) ?? 0) + 1);
  const pieces: string[] = [];

  // Split into plain-text segments and ARPAbet groups.
  const parts: { arpabet: boolean; text: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(ARPABET_RE)) {
    parts.push({ arpabet: false, text: text.slice(last, m.index) });
    parts.push({ arpabet: true, text: m[1] });
    last = m.index! + m[0].length;
  }
  parts.push({ arpabet: false, text: text.slice(last) });

  parts.forEach((part, i) => {
    if (part.arpabet) {
      const phones = part.text.split(/[\t\n\v\f\r ]+/).filter((p) => p !== '');
      for (const p of phones) {
        const id = index.get(`@${p}`);
        if (id === undefined) miss(`{${p}}`);
        else ids.push(id);
      }
      pieces.push(`{${phones.join(' ')}}`);
      return;
    }
    const cleaned = cleanSegment(part.text, cleaners, i === 0, i === parts.length - 1);
    pieces.push(cleaned);
    for (const ch of cleaned) {
      const id = ch === table.pad || ch === table.eos ? undefined : index.get(ch);
      if (id === undefined) miss(ch);
      else ids.push(id);
    }
  });

  const unknownList = [...unknown].map(([symbol, count]) => ({ symbol, codePoint: symbol.startsWith('{') ? symbol : codePointLabel(symbol), count }));
  if (unknownList.length && (opts.unknown ?? 'error') === 'error') {
    const list = unknownList.map((u) => `${JSON.stringify(u.symbol)} (${u.codePoint})`).join(', ');
    throw new ServiceError(
      TEXT_ERRORS.unknownSymbol,
      `the voice's symbol table has no symbol for ${list}; rephrase or remove ${unknownList.length === 1 ? 'it' : 'them'}`,
      { unknown: unknownList },
    );
  }
  if (opts.eos) {
    const { eosId } = symbolIds(table);
    if (eosId === null) throw new ServiceError(TEXT_ERRORS.noEos, 'this symbol table has no end-of-sequence symbol');
    ids.push(eosId);
  }
  return { ids, cleaned: pieces.join(''), unknown: unknownList };
}

/** Text → ids (see encodeText). */
export function textToSequence(text: string, table: SymbolTable = DEFAULT_SYMBOL_TABLE, opts: EncodeOptions = {}): number[] {
  return encodeText(text, table, opts).ids;
}

/** Ids → text; ARPAbet symbols come back in braces ("{HH AH0}"), pad and eos are skipped. */
export function sequenceToText(ids: readonly number[], table: SymbolTable = DEFAULT_SYMBOL_TABLE): string {
  let out = '';
  for (const id of ids) {
    const s = table.symbols[id];
    if (s === undefined) throw new ServiceError(TEXT_ERRORS.unknownSymbol, `id ${id} is outside the symbol table (0..${table.symbols.length - 1})`);
    if (s === table.pad || s === table.eos) continue;
    out += s.length > 1 && s.startsWith('@') ? `{${s.slice(1)}}` : s;
  }
  return out.replace(/\}\{/g, ' ');
}
