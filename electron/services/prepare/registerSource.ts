import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { SourceRecord } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { writeFileAtomic } from '../atomicWrite';
import { makeDir, sha256File } from '../fileUtils';
import { SOURCES_DIR, loadManifest, updateManifest } from '../projectStore';
import { DurableBatch } from './durableBatch';
import { sanitizeId, uniqueSourceId } from './ids';
import { SourceClaims } from './sourceClaims';
import { type ScanResult, scanSource } from './sourceAudio';

/**
 * Sources: a recording copied byte for byte into `sources/` (never modified afterwards), found
 * again by its sha256, decoded once to check it and to describe it in a SourceRecord.
 *
 * `registerSource` does that for ONE recording without splitting it into clips: the aligner
 * (`formant align`) registers the long recording it cuts itself. `formant import` runs the same
 * steps inside its parallel, batched pipeline (ids reserved across files, fsyncs batched before each
 * manifest save) through the pieces below: `sourceExtension`, `storeSourceCopy`, `describeScan`.
 */

/** The stored copy's extension: the original's, lower-case, filesystem-safe (`.audio` when none). */
export function sourceExtension(file: string): string {
  return path.extname(file).toLowerCase().replace(/[^.a-z0-9]/g, '') || '.audio';
}

/**
 * Copies `file` to `stored` unless a copy of the same size is already there (a re-run, or the same
 * recording registered before). `write` does the atomic write; the caller picks durability.
 * Returns whether it wrote.
 */
export async function storeSourceCopy(
  file: string,
  stored: string,
  size: number,
  bytes: Uint8Array | null,
  write: { writeFile(target: string, data: Uint8Array): Promise<void>; copyFile(from: string, target: string): Promise<void> },
): Promise<boolean> {
  const storedStat = await fs.stat(stored).catch(() => null);
  if (storedStat && storedStat.size === size) return false;
  if (bytes) await write.writeFile(stored, bytes);
  else await write.copyFile(file, stored);
  return true;
}

/** What a decode tells about a source (the decoded length wins over a shorter declared one). */
export function describeScan(scan: ScanResult): Pick<SourceRecord, 'durationSeconds' | 'sampleRate' | 'channels' | 'codec'> {
  return {
    durationSeconds: Math.max(scan.info.durationSeconds ?? 0, scan.durationSeconds),
    sampleRate: scan.info.sampleRate,
    channels: scan.info.channels,
    codec: scan.info.codec,
  };
}

/** Immediate atomic writes (one file: fsync now). The copy is a file copy, never read into memory (a 2-hour WAV is 318 MB). */
const atomicNow = {
  writeFile: (target: string, data: Uint8Array) => writeFileAtomic(target, data),
  copyFile: async (from: string, target: string) => {
    await makeDir(path.dirname(target));
    const batch = new DurableBatch();
    await batch.copyFile(from, target);
    await batch.sync();
  },
};

export interface RegisterSourceOptions {
  /** The recording's transcript, kept on a newly registered source (`sources[].transcript`). */
  transcript?: string | null;
  /** Keep the decoded samples up to this many seconds (default 20 min; Infinity: always). */
  keepSeconds?: number;
  /**
   * Sees every decoded chunk as it streams past (the aligner computes its features in this one
   * decode). The file is then always decoded as a stream (never read whole into memory).
   */
  onChunk?: (chunk: Float32Array) => void;
  signal?: AbortSignal;
  /** Recorded as the source's `originalPath` instead of `audioPath` (the aligner registers its waiting copy of the file the person chose). */
  originalPath?: string;
}

export interface RegisteredSource {
  source: SourceRecord;
  /** True when the same content (sha256) was already a source: nothing was added to the manifest. */
  known: boolean;
  /** The decode: samples at the project rate (when kept), 10 ms frame levels. */
  scan: ScanResult;
  sampleRate: number;
  warnings: string[];
}

/** Files up to this size are decoded from memory (enables the in-process WAV decoder). */
const DECODE_IN_MEMORY_BYTES = 256 * 1024 * 1024;

/** A recording the person named is a readable, non-empty file (its stat), or a one-line error saying which it is not. */
export async function checkRecordingFile(audioPath: string): Promise<Stats> {
  let stat;
  try {
    stat = await fs.stat(audioPath);
  } catch (e) {
    throw new ServiceError('not-found', `Cannot read the recording ${audioPath} (${(e as NodeJS.ErrnoException).code}).`);
  }
  if (!stat.isFile()) throw new ServiceError('bad-input', `${audioPath} is not a file.`);
  if (stat.size === 0) throw new ServiceError('bad-audio', `${path.basename(audioPath)}: empty file (0 bytes).`);
  return stat;
}

export async function registerSource(projectDir: string, audioPath: string, opts: RegisterSourceOptions = {}): Promise<RegisteredSource> {
  const stat = await checkRecordingFile(audioPath);
  const manifest = await loadManifest(projectDir);
  const rate = manifest.settings.sampleRate;
  const sha = await sha256File(audioPath);
  const known = manifest.sources.find((s) => s.sha256 === sha && s.status === 'ok');
  const taken = new Set(manifest.sources.map((s) => s.id));
  // A new id is reserved across processes (an import may be adding sources to this project now).
  const claims = new SourceClaims(projectDir);
  try {
    const base = sanitizeId(path.basename(audioPath, path.extname(audioPath)));
    const id =
      known?.id ??
      (await claims.reserve(sha, (claimed) => uniqueSourceId(base, sha, (x) => claimed(x) || taken.has(x)), (m) => m.sources.forEach((s) => taken.add(s.id))));
    const storedPath = known?.storedPath ?? `${SOURCES_DIR}/${id}${sourceExtension(audioPath)}`;
    const stored = path.join(projectDir, storedPath);
    const wrote = await storeSourceCopy(audioPath, stored, stat.size, null, atomicNow);
    let scan: ScanResult;
    try {
      const small = stat.size <= DECODE_IN_MEMORY_BYTES && !opts.onChunk ? new Uint8Array(await fs.readFile(stored)) : null;
      scan = await scanSource(stored, { sampleRate: rate, bytes: small, keepSeconds: opts.keepSeconds, onChunk: opts.onChunk, signal: opts.signal });
    } catch (e) {
      // A recording that does not decode is not a source: leave no unreferenced copy behind.
      if (wrote && !known) await fs.rm(stored, { force: true });
      throw e;
    }
    const source: SourceRecord = known ?? {
      id,
      originalPath: opts.originalPath ?? path.resolve(audioPath),
      storedPath,
      sha256: sha,
      bytes: stat.size,
      importedAt: new Date().toISOString(),
      ...describeScan(scan),
      status: 'ok',
      ...(opts.transcript != null ? { transcript: opts.transcript } : {}),
    };
    if (!known) {
      await updateManifest(projectDir, (m) => {
        if (!m.sources.some((s) => s.id === source.id)) m.sources.push(source);
      });
    }
    return { source, known: !!known, scan, sampleRate: rate, warnings: scan.warnings };
  } finally {
    await claims.releaseAll();
  }
}
