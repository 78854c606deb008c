import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImportFileResult, ImportResult } from '../../../shared/contract/dataset';
import { type ClipRecord, type Manifest, ProjectSettings, type SourceRecord } from '../../../shared/contract/manifest';
import { z } from 'zod';
import { ServiceError } from '../../../shared/contract/rpc';
import { type SegmentationOptions, planSegments } from '../../../shared/dsp/pauses';
import { cleanupTempFiles } from '../atomicWrite';
import { pathExists as exists, makeDir, sha256File } from '../fileUtils';
import { DurableBatch } from './durableBatch';
import { SOURCES_DIR, WAVS_DIR, openOrCreateProject, updateManifest } from '../projectStore';
import { segmentIds, sanitizeId, uniqueSourceId } from './ids';
import { SourceClaims } from './sourceClaims';
import { AUDIO_EXTENSIONS, type InputFile, expandInputs } from './inputs';
import { describeScan, sourceExtension, storeSourceCopy } from './registerSource';
import { runQa } from './qa';
import { renderClip, renderKey } from './render';
import { clipWavProblem } from './clipWav';
import { reprocessClips } from './clipEdits';
import { scanSource, streamRegions } from './sourceAudio';
import { type Transcript, readSidecarTranscript } from './transcripts';

/**
 * `formant import`: recordings → clips. Per file: hash → copy into sources/ (read-only from then
 * on; the same steps as registerSource.ts, which registers one source without splitting) → decode once → trim/split at pauses → loudness-normalize, pad → wavs/<id>.wav, all writes
 * atomic. Two files at a time (ffmpeg decodes on the second core). The manifest is updated in
 * small batches, so an interrupted import loses at most a second of work; a re-run skips sources
 * whose sha256 is already imported with all their clips on disk.
 *
 * Transcripts of split recordings: a recording longer than the maximum clip length is split into
 * several clips, and which words fall into which clip is unknown until alignment. Those clips are
 * marked untranscribed; the whole transcript is kept on the source (`sources[].transcript`) for
 * `formant align` or the editor. A recording that yields one clip keeps its transcript.
 */

export interface ImportOptions {
  /** Settings for a project created by this import (an existing project keeps its own). */
  settings?: Partial<ProjectSettings>;
  /** Files processed at the same time (default 2: this machine's cores). */
  concurrency?: number;
  signal?: AbortSignal;
  /** Recordings longer than this (seconds) are not held in memory but decoded twice (default 20 min). */
  keepInMemorySeconds?: number;
  onStart?(totalFiles: number): void;
  onFile?(result: ImportFileResult, done: number, total: number): void;
}

/** Files up to this size are read into memory once (hash, copy and decode from the same bytes). */
const IN_MEMORY_BYTES = 64 * 1024 * 1024;

export function segmentationOptions(s: ProjectSettings): SegmentationOptions {
  return {
    silenceThresholdDb: s.silenceThresholdDb,
    minPauseSeconds: s.minPauseSeconds,
    minClipSeconds: s.minClipSeconds,
    maxClipSeconds: s.maxClipSeconds,
  };
}

interface Pending {
  source: SourceRecord;
  clips: ClipRecord[];
}

export async function importRecordings(projectDir: string, inputs: string[], opts: ImportOptions = {}): Promise<ImportResult> {
  if (opts.settings && Object.keys(opts.settings).length) {
    const checked = ProjectSettings.safeParse(opts.settings);
    if (!checked.success) throw new ServiceError('bad-input', `import: bad project settings: ${z.prettifyError(checked.error)}`);
    if (checked.data.minClipSeconds >= checked.data.maxClipSeconds)
      throw new ServiceError('bad-input', `import: the shortest clip (${checked.data.minClipSeconds} s) must be shorter than the longest (${checked.data.maxClipSeconds} s)`);
  }
  // Nothing to import is said before a project is created for it (an empty folder, a typo'd glob).
  const expanded = await expandInputs(inputs, projectDir);
  if (!expanded.files.length && !expanded.missing.length)
    throw new ServiceError('no-input', `no recordings to import in ${inputs.join(', ')} (looked for audio files: ${[...AUDIO_EXTENSIONS].slice(0, 8).join(' ')} …)`);
  // Race-free: another process may be creating the same project this moment.
  const manifest = await openOrCreateProject(projectDir, { settings: opts.settings });
  const settings = manifest.settings;
  await makeDir(path.join(projectDir, SOURCES_DIR));
  await makeDir(path.join(projectDir, WAVS_DIR));
  await cleanupTempFiles(path.join(projectDir, SOURCES_DIR));
  await cleanupTempFiles(path.join(projectDir, WAVS_DIR));

  const results: ImportFileResult[] = expanded.missing.map((m) => ({ file: m.path, sourceId: null, state: 'failed', clips: [], seconds: 0, warnings: [], error: `${m.path}: ${m.error}` }));
  const total = expanded.files.length + expanded.missing.length;
  opts.onStart?.(total);
  let done = 0;
  for (const r of results) {
    done++;
    opts.onFile?.(r, done, total);
  }

  // Ids and hashes known so far (the manifest plus this run), updated synchronously between awaits.
  const sourceIds = new Set(manifest.sources.map((s) => s.id));
  const clipIds = new Set(manifest.clips.map((c) => c.id));
  const bySha = new Map<string, SourceRecord>(manifest.sources.map((s) => [s.sha256, s]));
  const clipsBySource = new Map<string, ClipRecord[]>();
  for (const c of manifest.clips) clipsBySource.set(c.sourceId, [...(clipsBySource.get(c.sourceId) ?? []), c]);
  const thisRun = new Map<string, string>(); // sha → file imported in this run

  const disk = new DurableBatch();
  // New source ids are reserved across processes (another import may run on this project now).
  const claims = new SourceClaims(projectDir);
  const learnFrom = (m: Manifest) => {
    for (const s of m.sources) {
      sourceIds.add(s.id);
      if (!bySha.has(s.sha256)) bySha.set(s.sha256, s);
    }
    for (const c of m.clips) clipIds.add(c.id);
  };
  // Same-named files in one batch: the first in path order gets the bare name, the others
  // `<name>-<sha8>`, whatever order the parallel workers reach them in (stable ids).
  const firstWithStem = new Map<string, string>();
  for (const f of expanded.files) {
    const base = sanitizeId(path.basename(f.path, path.extname(f.path)));
    if (!firstWithStem.has(base)) firstWithStem.set(base, f.path);
  }
  const inputRank = new Map<string, number>(); // sourceId → position of its file in this batch
  let pending: Pending[] = [];
  let lastFlush = Date.now();
  const flush = async () => {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    await disk.sync(); // the manifest must never reference a file that is not on disk yet
    await updateManifest(
      projectDir,
      (m: Manifest) => {
        for (const p of batch) {
          m.sources = m.sources.filter((s) => s.id !== p.source.id);
          m.clips = m.clips.filter((c) => c.sourceId !== p.source.id);
          m.sources.push(p.source);
          m.clips.push(...p.clips);
        }
        // Clips of this run in input order (workers finish in any order); earlier clips stay first.
        const rank = (sourceId: string) => inputRank.get(sourceId) ?? -1;
        m.clips.sort((a, b) => rank(a.sourceId) - rank(b.sourceId));
        m.sources.sort((a, b) => rank(a.id) - rank(b.id));
      },
      { afterSave: () => claims.noteOwnSave() },
    );
    await claims.release(batch.map((p) => p.source.id));
    lastFlush = Date.now();
  };

  const processFile = async (input: InputFile): Promise<ImportFileResult> => {
    const file = input.path;
    const name = path.basename(file);
    const warnings: string[] = [];
    const result: ImportFileResult = { file, sourceId: null, state: 'failed', clips: [], seconds: 0, warnings };
    let stat;
    try {
      stat = await fs.stat(file);
    } catch (e) {
      result.error = `${name}: cannot read it (${(e as NodeJS.ErrnoException).code})`;
      return result;
    }
    if (stat.size === 0) {
      result.error = `${name}: empty file (0 bytes)`;
      return result;
    }
    const bytes = stat.size <= IN_MEMORY_BYTES ? new Uint8Array(await fs.readFile(file)) : null;
    const sha = bytes ? createHash('sha256').update(bytes).digest('hex') : await sha256File(file);

    const dup = thisRun.get(sha);
    if (dup) {
      result.state = 'skipped';
      result.sourceId = bySha.get(sha)?.id ?? null;
      warnings.push(`${name}: same content as ${path.basename(dup)} (imported once)`);
      return result;
    }
    thisRun.set(sha, file);
    const known = bySha.get(sha);
    if (known?.status === 'ok') {
      const clips = clipsBySource.get(known.id) ?? [];
      // Clips whose WAV went missing or was damaged are rendered again from the stored source (their
      // text, status and edits kept); the source itself is not imported twice.
      const damaged: string[] = [];
      for (const c of clips) if (await clipWavProblem(projectDir, c, settings.sampleRate)) damaged.push(c.id);
      const sourceThere = await exists(path.join(projectDir, known.storedPath));
      if (damaged.length && sourceThere) {
        await reprocessClips(projectDir, damaged, { signal: opts.signal });
        warnings.push(`${name}: rendered ${damaged.length} clip WAV(s) again that were missing or damaged (${damaged.slice(0, 5).join(', ')}${damaged.length > 5 ? ', …' : ''})`);
      }
      if (!damaged.length || sourceThere) {
        result.state = 'skipped';
        result.sourceId = known.id;
        result.clips = clips.map((c) => c.id);
        result.seconds = clips.reduce((s, c) => s + c.durationSeconds, 0);
        return result;
      }
    }

    // Reserve ids synchronously (no await between check and add).
    const ext = sourceExtension(file);
    const base = sanitizeId(path.basename(file, path.extname(file)));
    const sourceId =
      known?.id ??
      (await claims.reserve(sha, (claimed) => uniqueSourceId(base, sha, (id) => claimed(id) || sourceIds.has(id) || (id === base && firstWithStem.get(base) !== file)), learnFrom));
    sourceIds.add(sourceId);
    for (const c of clipsBySource.get(sourceId) ?? []) clipIds.delete(c.id);
    result.sourceId = sourceId;
    inputRank.set(sourceId, expanded.files.indexOf(input));
    const storedPath = known?.storedPath ?? `${SOURCES_DIR}/${sourceId}${ext}`;
    const stored = path.join(projectDir, storedPath);
    const now = new Date().toISOString();
    const source: SourceRecord = {
      id: sourceId,
      originalPath: path.resolve(file),
      storedPath,
      sha256: sha,
      bytes: stat.size,
      importedAt: known?.importedAt ?? now,
      durationSeconds: null,
      sampleRate: null,
      channels: null,
      codec: null,
      status: 'failed',
    };
    bySha.set(sha, source);

    try {
      // The original is copied first and never touched again; everything reads the copy.
      await storeSourceCopy(file, stored, stat.size, bytes, disk);

      let transcript: Transcript | null = null;
      const stem = path.basename(file, path.extname(file));
      const meta = input.metadata?.get(stem);
      if (meta) transcript = { text: meta.text, from: 'metadata.csv', warnings: [] };
      else transcript = await readSidecarTranscript(file);
      if (transcript) warnings.push(...transcript.warnings);

      const scan = await scanSource(stored, { sampleRate: settings.sampleRate, bytes, keepSeconds: opts.keepInMemorySeconds, signal: opts.signal });
      warnings.push(...scan.warnings.map((w) => `${name}: ${w}`));
      Object.assign(source, describeScan(scan));

      const segments = planSegments(scan.frameDb, scan.hopSeconds, scan.durationSeconds, segmentationOptions(settings));
      if (!segments.length) throw new ServiceError('no-speech', `${name}: no speech found (the whole recording is below the silence threshold)`);
      const forced = segments.filter((s) => s.forcedCut).length;
      if (forced) warnings.push(`${name}: ${forced} cut(s) had to fall inside speech (no pause within ${settings.maxClipSeconds} s); listen to those clips`);

      const ids = segmentIds(sourceId, segments.length, (id) => clipIds.has(id));
      for (const id of ids) clipIds.add(id);
      const split = segments.length > 1;
      if (transcript && split) {
        source.transcript = transcript.text;
        warnings.push(`${name}: split into ${segments.length} clips; its transcript is kept on the source and the clips are marked untranscribed (run \`formant align\` or edit them)`);
      }
      if (transcript && transcript.text === '') warnings.push(`${name}: the transcript (${transcript.from}) is empty`);

      const clips: ClipRecord[] = [];
      const renderOne = async (i: number, samples: Float32Array) => {
        const seg = segments[i];
        const r = renderClip(samples, settings);
        const wav = `${WAVS_DIR}/${ids[i]}.wav`;
        await disk.writeFile(path.join(projectDir, wav), r.wav);
        const text = transcript && !split ? transcript.text : null;
        clips[i] = {
          id: ids[i],
          sourceId,
          sourceStart: +seg.start.toFixed(5),
          sourceEnd: +seg.end.toFixed(5),
          wav,
          durationSeconds: r.durationSeconds,
          text,
          status: text ? 'transcribed' : 'untranscribed',
          origin: split ? 'split' : 'import',
          renderKey: renderKey(sha, +seg.start.toFixed(5), +seg.end.toFixed(5), settings),
          ...(Number.isFinite(r.loudnessLufs) ? { recordedLufs: +r.loudnessLufs.toFixed(1) } : {}),
          createdAt: now,
          updatedAt: now,
        };
        result.seconds += r.durationSeconds;
      };
      if (scan.samples) {
        const rate = settings.sampleRate;
        for (let i = 0; i < segments.length; i++) {
          opts.signal?.throwIfAborted?.();
          await renderOne(i, scan.samples.subarray(Math.round(segments[i].start * rate), Math.round(segments[i].end * rate)));
        }
      } else {
        await streamRegions(stored, settings.sampleRate, segments, renderOne, opts.signal);
      }
      source.status = 'ok';
      if (warnings.length) source.warnings = [...warnings];
      clipsBySource.set(sourceId, clips);
      pending.push({ source, clips });
      result.state = 'imported';
      result.clips = ids;
    } catch (e) {
      if (opts.signal?.aborted) throw new ServiceError('cancelled', 'import cancelled');
      const msg = e instanceof Error ? e.message : String(e);
      result.error = msg.startsWith(name) ? msg : `${name}: ${msg}`;
      source.error = result.error;
      if (await exists(stored)) pending.push({ source, clips: [] });
      else await claims.release([sourceId]);
    }
    if (Date.now() - lastFlush > 1000) await flush();
    return result;
  };

  // A small pool: `concurrency` files in flight.
  const queue = [...expanded.files];
  const worker = async () => {
    for (;;) {
      if (opts.signal?.aborted) return;
      const next = queue.shift();
      if (!next) return;
      const r = await processFile(next);
      results.push(r);
      done++;
      opts.onFile?.(r, done, total);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  } finally {
    try {
      await flush();
    } finally {
      await claims.releaseAll();
    }
  }
  if (opts.signal?.aborted) throw new ServiceError('cancelled', `import cancelled after ${done} of ${total} files; run it again to resume`);
  const byState = (s: ImportFileResult['state']) => results.filter((r) => r.state === s).length;
  // QA is part of import (CLI and app alike): clipping, noise and quiet takes are flagged the moment the clips appear.
  if (byState('imported')) await runQa(projectDir, { signal: opts.signal });
  return {
    warnings: expanded.warnings,
    files: results,
    imported: byState('imported'),
    skipped: byState('skipped'),
    failed: byState('failed'),
    clips: results.reduce((n, r) => n + (r.state === 'imported' ? r.clips.length : 0), 0),
    audioSeconds: results.reduce((n, r) => n + (r.state === 'imported' ? r.seconds : 0), 0),
  };
}
