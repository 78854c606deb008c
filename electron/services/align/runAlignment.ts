import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AlignRun, AlignSegment } from '../../../shared/contract/align';
import { ServiceError } from '../../../shared/contract/rpc';
import { cleanupTempFiles } from '../atomicWrite';
import { WAVS_DIR, openOrCreateProject } from '../projectStore';
import { decodeTextBytes } from '../prepare/transcripts';
import { probe } from '../prepare/ffmpeg';
import { alignFeatures } from './alignEngine';
import { loadAlignRecording } from './alignSource';
import { discardRun, newRunId, pendingRunId, removeFileAndEmptyDir, removeOrphanRecordings, saveRun, setPendingRun } from './alignRuns';
import { transcriptUnits } from './transcriptUnits';

/**
 * One alignment, end to end on the service side: transcript → units, recording → a waiting copy
 * under align/recordings/ (not a source yet) → engine → a stored run, which becomes the project's
 * pending alignment (a previous pending one that was never accepted is forgotten). Clips, and the
 * recording's place in sources/, are made by `acceptSegments`.
 */
export interface RunAlignmentInput {
  projectDir: string;
  audioPath: string;
  transcript?: string;
  transcriptPath?: string;
  byLine?: boolean;
}

export interface RunAlignmentOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, message: string) => void;
}

export async function readTranscript(input: { transcript?: string; transcriptPath?: string }): Promise<{ text: string; warnings: string[] }> {
  if (input.transcript != null) return { text: input.transcript, warnings: [] };
  if (!input.transcriptPath) throw new ServiceError('bad-input', 'Give the transcript (text or a path to a text file).');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(input.transcriptPath));
  } catch (e) {
    throw new ServiceError('not-found', `Cannot read the transcript ${input.transcriptPath} (${(e as NodeJS.ErrnoException).code}).`);
  }
  const d = decodeTextBytes(bytes, path.basename(input.transcriptPath));
  return { text: d.text.normalize('NFC'), warnings: d.warnings };
}

export interface RunAlignmentResult {
  run: AlignRun;
  warnings: string[];
}

/** Share of the progress bar for reading the recording (its one decode computes the features). */
const READ_SHARE = 0.3;

export async function runAlignment(input: RunAlignmentInput, opts: RunAlignmentOptions = {}): Promise<RunAlignmentResult> {
  const { text, warnings } = await readTranscript(input);
  // Validate the text before touching the project: a bad transcript leaves nothing behind.
  const units = transcriptUnits(text, { byLine: input.byLine });
  // Like import, align creates the project when the folder has none yet.
  const manifest = await openOrCreateProject(input.projectDir);
  // What an align killed before saving its run left behind (a re-align of that recording resumes with it instead).
  await removeOrphanRecordings(input.projectDir);
  await cleanupTempFiles(path.join(input.projectDir, WAVS_DIR)); // clip WAVs half-written by a killed accept
  const progress = opts.onProgress ?? (() => undefined);
  progress(0, 'reading the recording');
  // The length, for the progress bar only (the decode reports what is really wrong with a file).
  const expected = await probe(input.audioPath, opts.signal).then((i) => i.durationSeconds ?? null, () => null);
  let run: AlignRun;
  let copiedPath: string | null = null;
  try {
    const src = await loadAlignRecording(input.projectDir, input.audioPath, manifest.settings.sampleRate, {
      signal: opts.signal,
      onSeconds: (s) => progress(expected ? READ_SHARE * Math.min(1, s / expected) : 0, `analysed ${Math.round(s)} s of the recording`),
    });
    if (src.copied) copiedPath = path.join(input.projectDir, src.relPath);
    warnings.push(...src.warnings);
    const speechWords = units.reduce((n, u) => n + u.text.split(/\s+/).length, 0);
    const seconds = src.features.durationSeconds;
    // A transcript that cannot possibly be this recording's (10 words for an hour, or the reverse).
    if (speechWords / Math.max(1, seconds) > 8)
      throw new ServiceError('mismatch', `The transcript has ${speechWords} words but the recording lasts only ${seconds.toFixed(1)} s: they do not belong together.`);
    const result = await alignFeatures(src.features, units, {
      silenceThresholdDb: manifest.settings.silenceThresholdDb,
      minPauseSeconds: manifest.settings.minPauseSeconds,
      maxUnitSeconds: manifest.settings.maxClipSeconds,
      voice: manifest.settings.language,
      signal: opts.signal,
      // The engine reports 0.1 once it has read the features (done here already).
      onProgress: (f, m) => progress(READ_SHARE + ((1 - READ_SHARE) * Math.max(0, f - 0.1)) / 0.9, m),
    });
    const segments: AlignSegment[] = result.segments.map((s) => ({
      text: s.text,
      start: round(s.start),
      end: round(s.end),
      cutStart: round(s.cutStart),
      cutEnd: round(s.cutEnd),
      confidence: s.confidence,
      flags: s.flags as AlignSegment['flags'],
      reasons: s.reasons,
      charStart: s.charStart,
      charEnd: s.charEnd,
      sentence: s.sentence,
    }));
    run = {
      runId: newRunId(),
      createdAt: new Date().toISOString(),
      sourceId: '',
      sourcePath: src.relPath,
      originalPath: src.originalPath,
      sha256: src.sha256,
      durationSeconds: result.durationSeconds,
      transcript: text,
      tempo: result.tempo,
      segments,
      unmatchedSpeech: result.unmatchedSpeech,
      acceptedClips: [],
    };
    await saveRun(input.projectDir, run);
  } catch (e) {
    // Failed or cancelled: no waiting copy is left behind by this run.
    if (copiedPath) await removeFileAndEmptyDir(copiedPath);
    throw e;
  }
  const previous = await pendingRunId(input.projectDir);
  await setPendingRun(input.projectDir, run.runId);
  if (previous && previous !== run.runId) await discardRun(input.projectDir, previous);
  return { run, warnings };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
