import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SourceRecord } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { writeFileAtomic } from '../atomicWrite';
import { sha256File } from '../fileUtils';
import { SOURCES_DIR, loadManifest, updateManifest } from '../projectStore';
import { sanitizeId, uniqueSourceId } from '../prepare/ids';
import { scanSource } from '../prepare/sourceAudio';

/**
 * The recording being aligned becomes a source of the project: copied byte for byte into
 * sources/ (never modified afterwards) and decoded once, whole, at the project rate.
 * The same content imported before is reused (matched by sha256), so aligning twice does not
 * copy twice.
 *
 * Note: prepare's importRecordings copies and registers sources too, but always splits the
 * recording into clips at pauses; there is no exported "register a source without splitting".
 * This module does only that, with prepare's id rules and decoder (scanSource).
 */
export interface LoadedSource {
  source: SourceRecord;
  samples: Float32Array;
  sampleRate: number;
  warnings: string[];
}

export async function addAlignSource(projectDir: string, audioPath: string, signal?: AbortSignal): Promise<LoadedSource> {
  let stat;
  try {
    stat = await fs.stat(audioPath);
  } catch (e) {
    throw new ServiceError('not-found', `Cannot read the recording ${audioPath} (${(e as NodeJS.ErrnoException).code}).`);
  }
  if (!stat.isFile()) throw new ServiceError('bad-input', `${audioPath} is not a file.`);
  if (stat.size === 0) throw new ServiceError('bad-audio', `${path.basename(audioPath)}: empty file (0 bytes).`);
  const manifest = await loadManifest(projectDir);
  const rate = manifest.settings.sampleRate;
  const sha = await sha256File(audioPath);
  const known = manifest.sources.find((s) => s.sha256 === sha && s.status === 'ok');
  const ext = path.extname(audioPath).toLowerCase().replace(/[^.a-z0-9]/g, '') || '.audio';
  const taken = new Set(manifest.sources.map((s) => s.id));
  const id = known?.id ?? uniqueSourceId(sanitizeId(path.basename(audioPath, path.extname(audioPath))), sha, (x) => taken.has(x));
  const storedPath = known?.storedPath ?? `${SOURCES_DIR}/${id}${ext}`;
  const stored = path.join(projectDir, storedPath);
  const storedStat = await fs.stat(stored).catch(() => null);
  if (!storedStat || storedStat.size !== stat.size) {
    await writeFileAtomic(stored, new Uint8Array(await fs.readFile(audioPath)));
  }
  const small = stat.size <= 256 * 1024 * 1024 ? new Uint8Array(await fs.readFile(stored)) : null;
  const scan = await scanSource(stored, { sampleRate: rate, bytes: small, keepSeconds: Infinity, signal });
  if (!scan.samples) throw new ServiceError('failed', 'the recording could not be held in memory');
  const source: SourceRecord = known ?? {
    id,
    originalPath: path.resolve(audioPath),
    storedPath,
    sha256: sha,
    bytes: stat.size,
    importedAt: new Date().toISOString(),
    durationSeconds: Math.max(scan.info.durationSeconds ?? 0, scan.durationSeconds),
    sampleRate: scan.info.sampleRate,
    channels: scan.info.channels,
    codec: scan.info.codec,
    status: 'ok',
  };
  if (!known) {
    await updateManifest(projectDir, (m) => {
      if (!m.sources.some((s) => s.id === source.id)) m.sources.push(source);
    });
  }
  return { source, samples: scan.samples, sampleRate: rate, warnings: scan.warnings };
}
