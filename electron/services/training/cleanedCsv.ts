import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { DEFAULT_SYMBOL_TABLE, encodeText, type UnknownSymbol } from '../../../shared/text/index';
import { writeFileAtomic } from '../atomicWrite';
import { parseMetadataTexts, readMetadataTexts, resolveMetadata, type MetadataText } from './phonemesCsv';

/**
 * `cleaned.csv` next to a dataset's metadata.csv (`id|cleaned text`, UTF-8, LF, no header, metadata order): each
 * transcript as the character-input trainer reads it — the english cleaners of shared/text run here, in TypeScript,
 * on the column the trainer takes (the normalized one, else the text), ARPAbet kept in braces. The trainer only maps
 * its characters to ids with shared/text/symbols.json (formant_trainer/symbols.py); it never cleans (piper's
 * preprocess → train split). Characters outside the table are written as they are: the trainer leaves that clip out
 * and names it and them, as synthesis would refuse the text.
 */
export const CLEANED_CSV = 'cleaned.csv';

export interface CleanedRow {
  id: string;
  cleaned: string;
  /** Characters the symbol table lacks (the trainer leaves the clip out). */
  unknown: UnknownSymbol[];
}

/** The metadata rows → what cleaned.csv holds. */
export function cleanRows(rows: readonly MetadataText[]): CleanedRow[] {
  return rows.map((r) => {
    const enc = encodeText(r.text, DEFAULT_SYMBOL_TABLE, { unknown: 'drop' });
    // The cleaners turn every line break into a space; a field with one would split the file.
    if (/[\r\n]/.test(enc.cleaned)) throw new ServiceError('bad-metadata', `${r.id}: the cleaned transcript holds a line break`);
    return { id: r.id, cleaned: enc.cleaned, unknown: enc.unknown };
  });
}

export function cleanedCsvBody(rows: readonly CleanedRow[]): string {
  return rows.map((r) => `${r.id}|${r.cleaned}\n`).join('');
}

/** metadata.csv's text (as written) → cleaned.csv's, for the export, which has the text in hand. */
export function cleanedCsvFromMetadata(metadataContent: string, file = 'metadata.csv'): string {
  return cleanedCsvBody(cleanRows(parseMetadataTexts(metadataContent, file)));
}

export interface CleanedCsvResult {
  metadata: string;
  out: string;
  lines: number;
  /** Clips whose text has characters outside the symbol table, with those characters. */
  unspellable: { id: string; unknown: UnknownSymbol[] }[];
}

/** `<dataset-dir>` or its metadata.csv → cleaned.csv (atomic), next to metadata.csv unless `out` says where. */
export async function writeCleanedCsv(target: string, opts: { out?: string } = {}): Promise<CleanedCsvResult> {
  const metadata = await resolveMetadata(target);
  const rows = cleanRows(await readMetadataTexts(metadata));
  const out = opts.out ?? path.join(path.dirname(metadata), CLEANED_CSV);
  await writeFileAtomic(out, cleanedCsvBody(rows));
  return { metadata, out, lines: rows.length, unspellable: rows.filter((r) => r.unknown.length).map((r) => ({ id: r.id, unknown: r.unknown })) };
}

/** "LJ001-0001 (世 U+4E16, 界 U+754C)" for up to `limit` clips. */
export function describeUnspellable(list: CleanedCsvResult['unspellable'], limit = 5): string {
  const shown = list.slice(0, limit).map((c) => `${c.id} (${c.unknown.map((u) => `${u.symbol} ${u.codePoint}`).join(', ')})`);
  return shown.join('; ') + (list.length > limit ? `; … (${list.length - limit} more)` : '');
}
