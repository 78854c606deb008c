import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetQa, QaReport } from '../../../shared/contract/dataset';
import { type ClipQa, type ClipRecord, type ProjectSettings, QaFlag } from '../../../shared/contract/manifest';
import { DB_FLOOR, clippedRatio, estimateSnrDb, frameHopSeconds, frameRmsDb, levels } from '../../../shared/dsp/levels';
import { speechRuns } from '../../../shared/dsp/pauses';
import { decodeWav } from '../../../shared/dsp/wav';
import { loadManifest, updateManifest } from '../projectStore';
import { segmentationOptions } from './importRecordings';
import { REPAIR_HINT, wavBytesProblem } from './clipWav';

/**
 * `formant qa`: measures every rendered clip and the dataset as a whole; results are stored in
 * the manifest (`clips[].qa`) for the UI. Thresholds are here, in one place, with their reasons.
 */
export const QA_THRESHOLDS = {
  /** More than 0.01 % of samples clipped (full scale or flat tops): audible distortion somewhere. */
  clippingRatio: 1e-4,
  /** Speech-to-noise-floor distance below this: noisy recording (hiss, room, hum). */
  minSnrDb: 25,
  /** Speaking-rate outliers: |chars/s − median| > k · 1.4826 · MAD (robust z-score), with ≥ 8 clips. */
  rateK: 3.5,
  minClipsForRate: 8,
  /** Silence before the first / after the last speech beyond the padding: untrimmed audio. */
  extraEdgeSilenceSeconds: 0.35,
  /** RMS of the speech part below this: too quiet even after normalization (or normalization off). */
  quietRmsDbfs: -40,
  /**
   * Recorded below this loudness (before normalization): normalization brought it up by 17 dB or more, and
   * the room noise, hiss and hum came up with it. The demo's 04-quiet is at -50.7 LUFS; its others -26…-9.
   */
  quietRecordedLufs: -40,
  /** The seed: "at least half an hour (30 minutes) data set of voice". */
  guidanceSeconds: 30 * 60,
};

/** Measures one rendered clip (WAV bytes) against the project settings. */
export function measureClip(wavBytes: Uint8Array, clip: Pick<ClipRecord, 'text' | 'recordedLufs'>, s: ProjectSettings): ClipQa {
  const wav = decodeWav(wavBytes);
  const x = wav.channels[0];
  const rate = wav.sampleRate;
  const duration = x.length / rate;
  // Speech part: between the first and last non-zero sample (the padding is digital silence).
  let a = 0;
  while (a < x.length && x[a] === 0) a++;
  let b = x.length;
  while (b > a && x[b - 1] === 0) b--;
  const lv = { ...levels(x, a, b), clippingRatio: clippedRatio(x, a, b) };
  const frames = frameRmsDb(x, rate, 0.01);
  const hop = frameHopSeconds(rate, 0.01);
  const inner = frames.subarray(Math.floor(a / rate / hop), Math.ceil(b / rate / hop));
  const snr = estimateSnrDb(inner);
  const runs = speechRuns(frames, hop, segmentationOptions(s));
  const lead = runs.length ? runs[0].start * hop : duration;
  const trail = runs.length ? Math.max(0, duration - runs[runs.length - 1].end * hop) : duration;
  const speechSeconds = runs.length ? (runs[runs.length - 1].end - runs[0].start) * hop : 0;
  const chars = clip.text ? clip.text.replace(/\s+/g, '').length : 0;
  const cps = clip.text && speechSeconds > 0.2 ? chars / speechSeconds : null;
  const flags: QaFlag[] = [];
  if (lv.clippingRatio > QA_THRESHOLDS.clippingRatio) flags.push('clipping');
  if (snr != null && snr < QA_THRESHOLDS.minSnrDb) flags.push('low-snr');
  const body = duration - 2 * s.padSeconds;
  if (body < s.minClipSeconds) flags.push('too-short');
  if (body > s.maxClipSeconds + 0.01) flags.push('too-long');
  if (clip.text == null) flags.push('untranscribed');
  else if (clip.text.trim() === '') flags.push('empty-transcript');
  if (lead > s.padSeconds + QA_THRESHOLDS.extraEdgeSilenceSeconds || trail > s.padSeconds + QA_THRESHOLDS.extraEdgeSilenceSeconds) flags.push('long-silence');
  if (lv.rmsDbfs < QA_THRESHOLDS.quietRmsDbfs || (clip.recordedLufs ?? 0) < QA_THRESHOLDS.quietRecordedLufs) flags.push('quiet');
  const round = (v: number, d = 2) => +v.toFixed(d);
  return {
    durationSeconds: round(duration, 4),
    peakDbfs: round(lv.peakDbfs),
    clippingRatio: +lv.clippingRatio.toPrecision(4),
    rmsDbfs: round(lv.rmsDbfs),
    snrDb: snr == null ? null : round(snr, 1),
    leadingSilenceSeconds: round(lead, 3),
    trailingSilenceSeconds: round(trail, 3),
    charsPerSecond: cps == null ? null : round(cps),
    flags,
  };
}

function median(v: number[]): number {
  const s = [...v].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Adds too-fast / too-slow flags (robust z-score over the dataset); returns the median and MAD used. */
export function flagSpeakingRate(qas: ClipQa[]): { median: number | null; mad: number | null } {
  const rates = qas.map((q) => q.charsPerSecond).filter((r): r is number => r != null);
  if (rates.length < QA_THRESHOLDS.minClipsForRate) return { median: rates.length ? median(rates) : null, mad: null };
  const med = median(rates);
  const mad = median(rates.map((r) => Math.abs(r - med)));
  const scale = 1.4826 * mad || 1e-9;
  for (const q of qas) {
    if (q.charsPerSecond == null) continue;
    const z = (q.charsPerSecond - med) / scale;
    if (z > QA_THRESHOLDS.rateK) q.flags.push('too-fast');
    else if (z < -QA_THRESHOLDS.rateK) q.flags.push('too-slow');
  }
  return { median: +med.toFixed(2), mad: +mad.toFixed(3) };
}

export function datasetSummary(clips: { qa: ClipQa; text: string | null; status: ClipRecord['status'] }[], rate: DatasetQa['charsPerSecond']): DatasetQa {
  const problems = Object.fromEntries(QaFlag.options.map((f) => [f, 0])) as Record<QaFlag, number>;
  let total = 0;
  let usable = 0;
  let longest = 0;
  for (const c of clips) {
    total += c.qa.durationSeconds;
    if (c.status !== 'rejected' && c.text && c.text.trim() && !c.qa.flags.includes('unreadable')) usable += c.qa.durationSeconds;
    longest = Math.max(longest, c.qa.durationSeconds);
    for (const f of c.qa.flags) problems[f]++;
  }
  const bins = Math.max(1, Math.ceil(longest));
  const histogram = Array.from({ length: bins }, (_, i) => ({ from: i, to: i + 1, count: 0 }));
  for (const c of clips) histogram[Math.min(bins - 1, Math.floor(c.qa.durationSeconds))].count++;
  const warnings: string[] = [];
  const g = QA_THRESHOLDS.guidanceSeconds;
  if (usable < g)
    warnings.push(`${usable < 90 ? `${Math.round(usable)} s` : `${(usable / 60).toFixed(1)} min`} of usable (transcribed, not rejected) audio; the seed recommends at least ${g / 60} min for a good voice`);
  if (problems.untranscribed) warnings.push(`${problems.untranscribed} clip(s) have no transcript (they are left out of the export)`);
  if (problems.clipping) warnings.push(`${problems.clipping} clip(s) clip (distorted peaks): re-record or reject them`);
  return {
    clipCount: clips.length,
    totalSeconds: +total.toFixed(3),
    usableSeconds: +usable.toFixed(3),
    guidanceSeconds: g,
    histogram,
    problems,
    charsPerSecond: rate,
    warnings,
  };
}

export interface QaOptions {
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

/** Measures all clips, stores `qa` on each clip in the manifest, returns the report. */
export async function runQa(projectDir: string, opts: QaOptions = {}): Promise<QaReport> {
  const m = await loadManifest(projectDir);
  const measured: { id: string; qa: ClipQa; text: string | null; status: ClipRecord['status'] }[] = [];
  let done = 0;
  // One damaged WAV is that clip's problem, not the report's: it is named and flagged, the rest measured.
  const damaged: string[] = [];
  for (const c of m.clips) {
    opts.signal?.throwIfAborted();
    let bytes: Uint8Array | null = null;
    let problem: string | null;
    try {
      bytes = await fs.readFile(path.join(projectDir, c.wav));
      problem = wavBytesProblem(bytes, m.settings.sampleRate);
    } catch (e) {
      problem = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
    }
    if (bytes && !problem) measured.push({ id: c.id, qa: measureClip(bytes, c, m.settings), text: c.text, status: c.status });
    else {
      damaged.push(`${c.wav} (clip ${c.id}): ${problem}`);
      measured.push({ id: c.id, qa: unreadableQa(c), text: c.text, status: c.status });
    }
    done++;
    opts.onProgress?.(done, m.clips.length);
  }
  const rate = flagSpeakingRate(measured.map((x) => x.qa).filter((q) => !q.flags.includes('unreadable')));
  const byId = new Map(measured.map((x) => [x.id, x.qa]));
  await updateManifest(projectDir, (fresh) => {
    for (const c of fresh.clips) {
      const qa = byId.get(c.id);
      if (qa) c.qa = qa;
    }
  });
  const dataset = datasetSummary(measured, rate);
  for (const d of damaged.slice(0, 10)) dataset.warnings.push(`${d}; it is left out of exports`);
  if (damaged.length > 10) dataset.warnings.push(`… and ${damaged.length - 10} more clip WAV(s) missing or unreadable (flag: unreadable)`);
  if (damaged.length) dataset.warnings.push(`${damaged.length} clip WAV(s) missing or unreadable (flag: unreadable); ${REPAIR_HINT}`);
  return { clips: measured, dataset };
}

/** The QA record of a clip whose WAV cannot be measured: no levels, one flag that says why. */
function unreadableQa(c: ClipRecord): ClipQa {
  return {
    durationSeconds: c.durationSeconds,
    peakDbfs: DB_FLOOR,
    clippingRatio: 0,
    rmsDbfs: DB_FLOOR,
    snrDb: null,
    leadingSilenceSeconds: 0,
    trailingSilenceSeconds: 0,
    charsPerSecond: null,
    flags: ['unreadable'],
  };
}

