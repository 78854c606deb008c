import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AcceptResult, AlignSegment } from '../../../shared/contract/align';
import type { ClipRecord } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { writeFileAtomic } from '../atomicWrite';
import { WAVS_DIR, loadManifest, updateManifest } from '../projectStore';
import { segmentIds } from '../prepare/ids';
import { renderClip, renderKey } from '../prepare/render';
import { readRegion, streamRegions } from '../prepare/sourceAudio';
import { cleanTranscript } from '../prepare/transcripts';
import { registerSource } from '../prepare/registerSource';
import { clearPendingRun, isWaitingRecording, loadRun, removeWaitingRecording, saveRun } from './alignRuns';
import { UNTRUSTED_CONFIDENCE } from './confidence';

/**
 * Aligned segments → clips, with prepare's renderer (fades, loudness, exact padding, 16-bit WAV).
 * Each clip's region is its speech plus a small margin, never past the cut points in the pauses
 * around it (the same trimming rule as import). Accepting a run again replaces the clips it made
 * before, so editing and re-accepting never duplicates. Aligning the same recording again (a new run)
 * is idempotent too: a segment that is already a clip of that source (same region, same text) keeps
 * that clip, and one whose audio an earlier alignment's clip already holds is skipped, so no audio
 * is in two clips (one could land in train and the other in val).
 * Segments the aligner could not place at all (confidence ≤ UNTRUSTED_CONFIDENCE) become clips marked
 * untranscribed: their text is a guess, kept for review, and left out of exports until confirmed.
 * The first accept makes the recording a source: prepare's `registerSource` copies the waiting copy
 * (align/recordings/…) byte for byte into sources/ (matched by sha256), then the waiting copy and
 * the project's pending alignment are cleared.
 */
export const MARGIN_SECONDS = 0.08;
/** Recordings up to this long (s) are held once decoded on accept (10 min ≈ 53 MB at 22050 Hz) and not decoded again. */
const HOLD_SECONDS = 600;
/** Clips sharing more than this much audio are the same audio twice (neighbours touch at their cut points). */
const OVERLAP_SECONDS = 0.05;

export interface AcceptOptions {
  /** The source's samples at the project rate, when already in memory (the CLI's single pass). */
  samples?: Float32Array;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export function clipRegion(s: AlignSegment): { start: number; end: number } {
  const lo = Math.min(s.cutStart, s.start);
  const hi = Math.max(s.cutEnd, s.end);
  return { start: Math.max(lo, s.start - MARGIN_SECONDS), end: Math.min(hi, s.end + MARGIN_SECONDS) };
}

export async function acceptSegments(projectDir: string, runId: string, edited: AlignSegment[] | undefined, opts: AcceptOptions = {}): Promise<AcceptResult> {
  let run = await loadRun(projectDir, runId);
  const waiting = isWaitingRecording(run.sourcePath) ? run.sourcePath : null;
  if (waiting) {
    const file = path.join(projectDir, waiting);
    try {
      await fs.access(file);
    } catch {
      throw new ServiceError('not-found', `The recording of run ${runId} (${waiting}) is no longer in the project: align it again.`);
    }
    // The registering decode keeps a recording of up to HOLD_SECONDS, and the clips are cut from
    // those samples: one decode per accept instead of two. Longer ones are read again as a stream.
    const r = await registerSource(projectDir, file, { keepSeconds: opts.samples ? 0 : HOLD_SECONDS, signal: opts.signal, originalPath: run.originalPath });
    if (run.sha256 && r.source.sha256 !== run.sha256) throw new ServiceError('failed', `The recording of run ${runId} changed since it was aligned: align it again.`);
    if (!opts.samples && r.scan.samples) opts = { ...opts, samples: r.scan.samples };
    run = { ...run, sourceId: r.source.id, sourcePath: r.source.storedPath };
    await saveRun(projectDir, run);
  }
  const manifest = await loadManifest(projectDir);
  const settings = manifest.settings;
  const source = manifest.sources.find((s) => s.id === run.sourceId);
  if (!source) throw new ServiceError('not-found', `The recording of run ${runId} (source ${run.sourceId}) is no longer in the project.`);
  const segments = edited ?? run.edited ?? run.segments;
  const skipped: AcceptResult['skipped'] = [];
  const previous = new Set(run.acceptedClips);
  // Clips of this recording from other alignments (this run's own are replaced below).
  const earlier = manifest.clips.filter((c) => c.sourceId === source.id && c.origin === 'align' && !previous.has(c.id));
  const kept: string[] = [];
  const chosen: { index: number; seg: AlignSegment; region: { start: number; end: number }; text: string }[] = [];
  segments.forEach((seg, index) => {
    const text = cleanTranscript(seg.text, `segment ${index + 1}`).text;
    if (!text) return skipped.push({ index, reason: 'empty text' });
    if (!(seg.end > seg.start) || seg.flags.includes('not-in-audio')) return skipped.push({ index, reason: 'not found in the recording' });
    if (seg.end > run.durationSeconds + 0.01) return skipped.push({ index, reason: `ends after the recording (${seg.end.toFixed(2)} s > ${run.durationSeconds.toFixed(2)} s)` });
    const region = clipRegion(seg);
    const [start, end] = [+region.start.toFixed(5), +region.end.toFixed(5)];
    const same = earlier.find((c) => Math.abs(c.sourceStart - start) < 1e-3 && Math.abs(c.sourceEnd - end) < 1e-3 && c.text === text);
    if (same) return kept.push(same.id);
    const overlap = earlier.find((c) => c.sourceStart < end - OVERLAP_SECONDS && c.sourceEnd > start + OVERLAP_SECONDS);
    if (overlap) return skipped.push({ index, reason: `its audio is already in clip ${overlap.id} (an earlier alignment of this recording); delete that clip to add this one` });
    chosen.push({ index, seg, region, text });
  });
  const stored = path.join(projectDir, source.storedPath);
  const rate = settings.sampleRate;
  const taken = new Set(manifest.clips.filter((c) => !previous.has(c.id)).map((c) => c.id));
  const ids = segmentIds(`${run.sourceId}`, Math.max(2, chosen.length), (id) => taken.has(id)).slice(0, chosen.length);
  const now = new Date().toISOString();
  const clips: ClipRecord[] = new Array(chosen.length);
  let done = 0;
  const render = async (i: number, samples: Float32Array) => {
    const c = chosen[i]!;
    const r = renderClip(samples, settings);
    const wav = `${WAVS_DIR}/${ids[i]}.wav`;
    await writeFileAtomic(path.join(projectDir, wav), r.wav);
    const start = +c.region.start.toFixed(5);
    const end = +c.region.end.toFixed(5);
    clips[i] = {
      id: ids[i]!,
      sourceId: source.id,
      sourceStart: start,
      sourceEnd: end,
      wav,
      durationSeconds: r.durationSeconds,
      text: c.text,
      status: c.seg.confidence <= UNTRUSTED_CONFIDENCE ? 'untranscribed' : 'transcribed',
      origin: 'align',
      confidence: c.seg.confidence,
      renderKey: renderKey(source.sha256, start, end, settings),
      createdAt: now,
      updatedAt: now,
    };
    opts.onProgress?.(++done, chosen.length);
  };
  const sortedRegions = chosen.map((c) => c.region);
  const ordered = sortedRegions.every((r, i) => i === 0 || r.start >= sortedRegions[i - 1]!.end);
  if (opts.samples) {
    for (let i = 0; i < chosen.length; i++) {
      if (opts.signal?.aborted) throw new ServiceError('cancelled', 'accept cancelled');
      await render(i, opts.samples.subarray(Math.round(sortedRegions[i]!.start * rate), Math.round(sortedRegions[i]!.end * rate)));
    }
  } else if (ordered) {
    await streamRegions(stored, rate, sortedRegions, render, opts.signal);
  } else {
    // Edited regions that overlap: read each one on its own.
    for (let i = 0; i < chosen.length; i++) await render(i, await readRegion(stored, rate, sortedRegions[i]!.start, sortedRegions[i]!.end, opts.signal));
  }
  await updateManifest(projectDir, (m) => {
    m.clips = m.clips.filter((c) => !previous.has(c.id));
    m.clips.push(...clips);
  });
  // Old WAVs of this run that no clip uses any more.
  for (const id of previous) if (!ids.includes(id) && !kept.includes(id)) await fs.rm(path.join(projectDir, WAVS_DIR, `${id}.wav`), { force: true });
  await saveRun(projectDir, { ...run, segments, edited: undefined, acceptedClips: ids });
  await clearPendingRun(projectDir, runId);
  if (waiting) await removeWaitingRecording(projectDir, waiting);
  const forReview = clips.filter((c) => c.status === 'untranscribed').map((c) => c.id);
  return { clips: ids, kept, forReview, skipped, seconds: clips.reduce((s, c) => s + c.durationSeconds, 0) };
}
