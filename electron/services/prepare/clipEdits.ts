import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ClipRecord, ClipStatus, Manifest } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { writeFileAtomic } from '../atomicWrite';
import { loadManifest, updateManifest } from '../projectStore';
import { nextFreeId } from './ids';
import { measureClip } from './qa';
import { renderClip, renderKey } from './render';
import { readRegion } from './sourceAudio';
import { cleanTranscript } from './transcripts';

/**
 * Non-destructive clip edits (the studio's editor calls these through the API). Each one runs
 * inside the project's manifest lock: re-render the affected WAVs from the untouched source
 * (atomic writes), then save the manifest (atomic) — so a crash leaves the old or the new state.
 */

/** Shortest clip an edit may produce (seconds of source). */
const MIN_EDIT_SECONDS = 0.05;

function findClip(m: Manifest, id: string): { clip: ClipRecord; index: number } {
  const index = m.clips.findIndex((c) => c.id === id);
  if (index < 0) throw new ServiceError('no-clip', `No clip "${id}" in this project`);
  return { clip: m.clips[index], index };
}

function sourceOf(m: Manifest, clip: ClipRecord) {
  const s = m.sources.find((x) => x.id === clip.sourceId);
  if (!s) throw new ServiceError('no-source', `Clip "${clip.id}" names source "${clip.sourceId}", which is not in the project`);
  return s;
}

/** Renders `clip` (its current region) from its source into wavs/<id>.wav; updates duration, renderKey. */
export async function rerender(projectDir: string, m: Manifest, clip: ClipRecord, signal?: AbortSignal): Promise<void> {
  const src = sourceOf(m, clip);
  const s = m.settings;
  if (src.durationSeconds != null && clip.sourceEnd > src.durationSeconds + 1e-3)
    throw new ServiceError('bad-region', `Clip "${clip.id}": region ends at ${clip.sourceEnd.toFixed(3)} s, after the end of its source (${src.durationSeconds.toFixed(3)} s)`);
  const samples = await readRegion(path.join(projectDir, src.storedPath), s.sampleRate, clip.sourceStart, clip.sourceEnd, signal);
  const r = renderClip(samples, s);
  clip.wav = `wavs/${clip.id}.wav`;
  await writeFileAtomic(path.join(projectDir, clip.wav), r.wav);
  clip.durationSeconds = r.durationSeconds;
  clip.renderKey = renderKey(src.sha256, clip.sourceStart, clip.sourceEnd, s);
  if (Number.isFinite(r.loudnessLufs)) clip.recordedLufs = +r.loudnessLufs.toFixed(1);
  else delete clip.recordedLufs;
  // Measured again at once (peak, SNR, level flags stay on screen after a trim); the speaking-rate flags
  // compare the whole dataset, so they wait for the next QA run.
  clip.qa = measureClip(r.wav, clip, s);
  clip.updatedAt = new Date().toISOString();
}

export function checkRegion(start: number, end: number, sourceDuration: number | null, id: string): void {
  if (!(end - start >= MIN_EDIT_SECONDS)) throw new ServiceError('bad-region', `Clip "${id}": the region must be at least ${MIN_EDIT_SECONDS} s long (got ${start}–${end})`);
  if (start < 0) throw new ServiceError('bad-region', `Clip "${id}": the region cannot start before 0 s`);
  if (sourceDuration != null && end > sourceDuration + 1e-3)
    throw new ServiceError('bad-region', `Clip "${id}": the region ends at ${end} s, after the end of its source (${sourceDuration.toFixed(3)} s)`);
}

export interface TextStatusPatch {
  text?: string | null;
  status?: ClipStatus;
}

/** Applies a transcript/status change to a clip record in place (clips.update and clips.updateMany). */
export function applyTextStatus(clip: ClipRecord, patch: TextStatusPatch, id = clip.id): void {
  if (patch.text !== undefined) {
    clip.text = patch.text == null ? null : cleanTranscript(patch.text, id).text;
    // A transcript given or taken away moves the status along unless the caller sets it.
    if (patch.status === undefined) {
      if (clip.text == null) clip.status = clip.status === 'rejected' ? 'rejected' : 'untranscribed';
      else if (clip.status === 'untranscribed') clip.status = 'transcribed';
    }
  }
  if (patch.status !== undefined) clip.status = patch.status;
  if (clip.qa) {
    // Transcript flags follow the text at once; the rest waits for the next QA run.
    clip.qa.flags = clip.qa.flags.filter((f) => f !== 'untranscribed' && f !== 'empty-transcript');
    if (clip.text == null) clip.qa.flags.push('untranscribed');
    else if (!clip.text.trim()) clip.qa.flags.push('empty-transcript');
  }
  clip.updatedAt = new Date().toISOString();
}

export async function updateClip(projectDir: string, id: string, patch: TextStatusPatch): Promise<ClipRecord> {
  return updateManifest(projectDir, (m) => {
    const { clip } = findClip(m, id);
    applyTextStatus(clip, patch, id);
    return { ...clip };
  });
}

export async function setClipRegion(projectDir: string, id: string, sourceStart: number, sourceEnd: number): Promise<ClipRecord> {
  return updateManifest(projectDir, async (m) => {
    const { clip } = findClip(m, id);
    checkRegion(sourceStart, sourceEnd, sourceOf(m, clip).durationSeconds, id);
    clip.sourceStart = sourceStart;
    clip.sourceEnd = sourceEnd;
    clip.origin = 'edit';
    await rerender(projectDir, m, clip);
    return { ...clip };
  });
}

export async function splitClip(projectDir: string, id: string, at: number, texts?: [string | null, string | null]): Promise<[ClipRecord, ClipRecord]> {
  return updateManifest(projectDir, async (m) => {
    const { clip, index } = findClip(m, id);
    if (!(at > clip.sourceStart + MIN_EDIT_SECONDS && at < clip.sourceEnd - MIN_EDIT_SECONDS))
      throw new ServiceError('bad-region', `Clip "${id}": split point ${at} s is not inside its region (${clip.sourceStart}–${clip.sourceEnd} s)`);
    const taken = new Set(m.clips.map((c) => c.id));
    const now = new Date().toISOString();
    const second: ClipRecord = {
      ...clip,
      id: nextFreeId(`${id}_2`, (x) => taken.has(x)),
      sourceStart: at,
      sourceEnd: clip.sourceEnd,
      text: null,
      status: 'untranscribed',
      origin: 'edit',
      qa: undefined,
      createdAt: now,
      updatedAt: now,
    };
    clip.sourceEnd = at;
    clip.origin = 'edit';
    if (texts) {
      const [a, b] = texts.map((t) => (t == null ? null : cleanTranscript(t, id).text));
      clip.text = a;
      second.text = b;
      second.status = b ? 'transcribed' : 'untranscribed';
    }
    // Without texts the first half keeps the whole transcript, demoted to "transcribed" (needs review).
    clip.status = clip.status === 'rejected' ? 'rejected' : clip.text ? 'transcribed' : 'untranscribed';
    await rerender(projectDir, m, clip);
    await rerender(projectDir, m, second);
    m.clips.splice(index + 1, 0, second);
    return [{ ...clip }, { ...second }] as [ClipRecord, ClipRecord];
  });
}

/** The clip of the same source that starts next after `clip` (by region, not list order). */
function nextInSource(m: Manifest, clip: ClipRecord): ClipRecord | undefined {
  return m.clips
    .filter((c) => c.sourceId === clip.sourceId && c.id !== clip.id && c.sourceStart >= clip.sourceStart)
    .sort((a, b) => a.sourceStart - b.sourceStart)[0];
}

export async function mergeWithNext(projectDir: string, id: string): Promise<ClipRecord> {
  return updateManifest(projectDir, async (m) => {
    const { clip } = findClip(m, id);
    const next = nextInSource(m, clip);
    if (!next) throw new ServiceError('no-next-clip', `Clip "${id}" is the last clip of its source "${clip.sourceId}"; there is nothing to merge it with`);
    clip.sourceEnd = Math.max(clip.sourceEnd, next.sourceEnd);
    const texts = [clip.text, next.text];
    clip.text = texts.every((t) => t == null) ? null : texts.filter((t) => t != null && t !== '').join(' ');
    // Half a transcript is not a transcript: the merged clip needs review unless both halves had text.
    if (clip.status === 'rejected' && next.status === 'rejected') clip.status = 'rejected';
    else clip.status = texts.some((t) => t == null || t.trim() === '') ? 'untranscribed' : 'transcribed';
    clip.origin = 'edit';
    await rerender(projectDir, m, clip);
    m.clips = m.clips.filter((c) => c.id !== next.id);
    await fs.rm(path.join(projectDir, next.wav), { force: true });
    return { ...clip };
  });
}

export async function deleteClip(projectDir: string, id: string): Promise<{ deleted: string }> {
  return updateManifest(projectDir, async (m) => {
    const { clip } = findClip(m, id);
    m.clips = m.clips.filter((c) => c.id !== id);
    await fs.rm(path.join(projectDir, clip.wav), { force: true });
    return { deleted: id };
  });
}

/** Re-renders clips (all, or `ids`) with the current settings; returns how many were rendered. */
export async function reprocessClips(
  projectDir: string,
  ids: string[] | undefined,
  opts: { signal?: AbortSignal; onProgress?(done: number, total: number, id: string): void } = {},
): Promise<{ rendered: number }> {
  const m = await loadManifest(projectDir);
  const targets = ids ?? m.clips.map((c) => c.id);
  for (const id of targets) findClip(m, id); // fail early on an unknown id
  let done = 0;
  for (const id of targets) {
    opts.signal?.throwIfAborted();
    await updateManifest(projectDir, async (fresh) => {
      const found = fresh.clips.find((c) => c.id === id);
      if (found) await rerender(projectDir, fresh, found, opts.signal);
    });
    done++;
    opts.onProgress?.(done, targets.length, id);
  }
  return { rendered: done };
}
