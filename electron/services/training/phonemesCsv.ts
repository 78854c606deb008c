import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { writeFileAtomic } from '../atomicWrite';
import { phonemize } from '../synthesis/espeakIpa';

/**
 * `phonemes.csv` next to a dataset's metadata.csv (`id|phonemes`, UTF-8, LF, no header, metadata order):
 * the trainer's input when hparams `text_frontend` = "phonemes" (resources/trainer/README.md, *Phoneme input*).
 * The text phonemized is the one the trainer spells in characters (formant_trainer/data_utils.py
 * `read_metadata`: the normalized column when present and non-empty, else the raw one, stripped),
 * cleaned by the same english cleaners (inside shared/text/phonemize.ts).
 */
export const PHONEMES_CSV = 'phonemes.csv';
/**
 * What a generated phonemes.csv was made from: the SHA-256 of metadata.csv and of the file itself, the phonemizer
 * and its voice. It lets ensurePhonemesCsv see a transcript change that mtimes miss (a copy or checkout that
 * keeps or reorders them) and a phonemizer upgrade, and still tell a person's hand corrections (the file no longer
 * matches its hash) from a file it may rewrite. phonemes.csv → phonemes.source.json; a file written elsewhere with
 * --out gets its own, beside it.
 */
export const sourcePathFor = (csv: string) => `${csv.replace(/\.csv$/i, '')}.source.json`;

interface PhonemesSource {
  format: 'formant-phonemes-source';
  metadataSha256: string;
  phonemesSha256: string;
  phonemizer: string;
  voice: string;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** espeak-ng's npm version: a new one may phonemize differently. */
function phonemizerId(): string {
  try {
    const version = (createRequire(import.meta.url)('espeak-ng/package.json') as { version?: string }).version;
    return `espeak-ng ${version ?? '?'}`;
  } catch {
    return 'espeak-ng ?';
  }
}

async function readSource(file: string): Promise<PhonemesSource | null> {
  try {
    const s = JSON.parse(await fs.readFile(file, 'utf8')) as PhonemesSource;
    return s.format === 'formant-phonemes-source' ? s : null;
  } catch {
    return null; // absent (a dataset phonemized before it existed) or damaged: judged by mtimes and ids instead
  }
}

export interface MetadataText {
  id: string;
  text: string;
  /** 1-based line in metadata.csv. */
  line: number;
}

/** `<dir>` or `<dir>/metadata.csv` → the metadata.csv path. */
export async function resolveMetadata(target: string): Promise<string> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) throw new ServiceError('not-found', `${target}: no such dataset folder or metadata.csv`);
  const file = stat.isDirectory() ? path.join(target, 'metadata.csv') : target;
  if (stat.isDirectory() && !(await fs.stat(file).catch(() => null))?.isFile()) {
    throw new ServiceError('not-found', `${target}: no metadata.csv (expected an LJSpeech export: metadata.csv + wavs/)`);
  }
  return file;
}

/** Parses metadata.csv as the trainer does; errors name file, line and what is wrong. */
export function parseMetadataTexts(content: string, file: string): MetadataText[] {
  if (content.charCodeAt(0) === 0xfeff) content = content.slice(1);
  const rows: MetadataText[] = [];
  const seen = new Map<string, number>();
  content.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const line = raw.replace(/\r$/, '');
    if (!line.trim()) return;
    const parts = line.split('|');
    if (parts.length < 2) throw new ServiceError('bad-metadata', `${file}:${n}: expected \`id|text|normalized text\`, got ${JSON.stringify(line.slice(0, 80))}`);
    const id = parts[0]!.trim();
    const text = (parts.length > 2 && parts[2]!.trim() ? parts[2]! : parts[1]!).trim();
    if (!id) throw new ServiceError('bad-metadata', `${file}:${n}: empty id`);
    if (!text) throw new ServiceError('bad-metadata', `${file}:${n}: ${id}: empty transcript`);
    const first = seen.get(id);
    if (first !== undefined) throw new ServiceError('bad-metadata', `${file}:${n}: duplicate id ${JSON.stringify(id)} (first on line ${first})`);
    seen.set(id, n);
    rows.push({ id, text, line: n });
  });
  if (!rows.length) throw new ServiceError('bad-metadata', `${file}: no utterances (the file is empty)`);
  return rows;
}

export async function readMetadataTexts(metadataFile: string): Promise<MetadataText[]> {
  const bytes = await fs.readFile(metadataFile);
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ServiceError('bad-metadata', `${metadataFile}: not UTF-8 text`);
  }
  return parseMetadataTexts(content, metadataFile);
}

export interface WritePhonemesOptions {
  /** Output file; default phonemes.csv next to metadata.csv. */
  out?: string;
  voice?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface PhonemesCsvResult {
  metadata: string;
  out: string;
  lines: number;
  seconds: number;
}

/** metadata.csv → phonemes.csv (atomic). A transcript espeak cannot phonemize fails the whole file, naming its id. */
export async function writePhonemesCsv(target: string, opts: WritePhonemesOptions = {}): Promise<PhonemesCsvResult> {
  const t0 = performance.now();
  const metadata = await resolveMetadata(target);
  // hashed before it is read: a transcript edited meanwhile then looks changed next time (rewritten), never current
  const metadataSha256 = sha256(await fs.readFile(metadata));
  const rows = await readMetadataTexts(metadata);
  let phonemes: string[];
  try {
    phonemes = await phonemize(rows.map((r) => r.text), { voice: opts.voice, onProgress: opts.onProgress, signal: opts.signal });
  } catch (e) {
    // Name the utterance (the phonemizer's errors carry the text they are about).
    const text = e instanceof ServiceError ? (e.details as { text?: unknown } | undefined)?.text : undefined;
    const row = text === undefined ? undefined : rows.find((r) => r.text === text);
    if (row && e instanceof ServiceError) throw new ServiceError(e.code, `${metadata}:${row.line}: ${row.id}: ${e.message}`, e.details);
    throw e;
  }
  const out = opts.out ?? path.join(path.dirname(metadata), PHONEMES_CSV);
  const body = rows.map((r, i) => `${r.id}|${phonemes[i]}\n`).join('');
  await writeFileAtomic(out, body);
  const source: PhonemesSource = {
    format: 'formant-phonemes-source',
    metadataSha256,
    phonemesSha256: sha256(body),
    phonemizer: phonemizerId(),
    voice: opts.voice ?? 'en-us',
  };
  await writeFileAtomic(sourcePathFor(out), JSON.stringify(source, null, 2) + '\n');
  return { metadata, out, lines: rows.length, seconds: (performance.now() - t0) / 1000 };
}

export interface EnsureResult {
  /** The phonemes.csv the trainer will read. */
  file: string;
  /** Why it was (re)written, or null when the existing one was current. */
  wrote: null | 'missing' | 'metadata-changed' | 'phonemizer-changed' | 'metadata-newer' | 'ids-differ';
  lines: number;
  seconds: number;
}

/**
 * Before a phoneme-input training run: phonemes.csv is (re)written when it is missing; when it is the file this
 * module wrote (phonemes.source.json matches it) and metadata.csv's content or the phonemizer changed since; or,
 * for a file edited by hand or without that record, when it is older than metadata.csv or does not hold exactly
 * metadata's ids in order. Otherwise it is left alone (a newer, complete, hand-edited file holds a person's
 * corrections). Only phonemes.csv and its record are ever written; metadata.csv and the audio are not touched.
 */
export async function ensurePhonemesCsv(
  datasetDir: string,
  opts: Omit<WritePhonemesOptions, 'out'> & { onWrite?: (file: string, reason: NonNullable<EnsureResult['wrote']>) => void } = {},
): Promise<EnsureResult> {
  const metadata = await resolveMetadata(datasetDir);
  const file = path.join(path.dirname(metadata), PHONEMES_CSV);
  const [metaStat, phStat] = await Promise.all([fs.stat(metadata), fs.stat(file).catch(() => null)]);
  let wrote: EnsureResult['wrote'];
  const source = phStat ? await readSource(sourcePathFor(file)) : null;
  const untouched = source !== null && sha256(await fs.readFile(file)) === source.phonemesSha256;
  if (!phStat) wrote = 'missing';
  else if (untouched && sha256(await fs.readFile(metadata)) !== source.metadataSha256) wrote = 'metadata-changed';
  else if (untouched && (source.phonemizer !== phonemizerId() || source.voice !== (opts.voice ?? 'en-us'))) wrote = 'phonemizer-changed';
  else if (untouched) return { file, wrote: null, lines: (await readMetadataTexts(metadata)).length, seconds: 0 };
  else if (phStat.mtimeMs < metaStat.mtimeMs) wrote = 'metadata-newer';
  else {
    const ids = (await readMetadataTexts(metadata)).map((r) => r.id);
    const have = (await fs.readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.slice(0, l.indexOf('|')).trim());
    if (have.length !== ids.length || have.some((id, i) => id !== ids[i])) wrote = 'ids-differ';
    else return { file, wrote: null, lines: ids.length, seconds: 0 };
  }
  opts.onWrite?.(file, wrote);
  try {
    const r = await writePhonemesCsv(metadata, { voice: opts.voice, onProgress: opts.onProgress, signal: opts.signal, out: file });
    return { file, wrote, lines: r.lines, seconds: r.seconds };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new ServiceError('dataset-read-only', `${path.dirname(metadata)} is read-only, so its ${PHONEMES_CSV} cannot be written; copy the dataset (or export it with \`formant export\`) to a folder you can write and train on that`);
    }
    throw e;
  }
}
