import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TakeResult } from '../../../shared/contract/record';
import type { ClipQa, ClipRecord, SourceRecord } from '../../../shared/contract/manifest';
import { ServiceError } from '../../../shared/contract/rpc';
import { planSegments } from '../../../shared/dsp/pauses';
import { clippedRatio } from '../../../shared/dsp/levels';
import { resample } from '../../../shared/dsp/resample';
import { decodeWav, downmix, encodeWav, parseWavHeader } from '../../../shared/dsp/wav';
import { QA_THRESHOLDS, measureClip } from '../prepare/qa';
import { writeFileAtomic } from '../atomicWrite';
import { SOURCES_DIR, WAVS_DIR, loadManifest, updateManifest } from '../projectStore';
import { segmentationOptions } from '../prepare/importRecordings';
import { describeScan } from '../prepare/registerSource';
import { renderClip, renderKey } from '../prepare/render';
import { scanSource } from '../prepare/sourceAudio';
import { cleanTranscript } from '../prepare/transcripts';
import { matchPrompt, preparePrompts } from './promptMatch';
import { takeProblems, withSpeakingRate } from './takeQa';

/**
 * One recorded take → one clip, through the steps of an import: the WAV the browser made is kept byte
 * for byte in sources/ (never modified), decoded at the project rate, trimmed to its speech (import's
 * pause planner, one segment), loudness-normalized and padded (prepare/render.ts), written atomically,
 * checked with the project's QA, and added to the manifest with the prompt as its transcript, under
 * the project lock. The WAVs are on disk (fsynced) before the manifest names them: a crash or a closed
 * tab loses at most the take in flight.
 */
export interface SaveTakeInput {
  text: string;
  wav: Uint8Array;
  /** A retake: the earlier take's clip, taken out of the dataset once this one is saved. */
  replaces?: string | null;
}

/** `take-20261206-134501-1a2b3c`: when it was recorded and a piece of its hash (two takes never share an id). */
function takeId(sha: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `take-${stamp}-${sha.slice(0, 6)}`;
}

/**
 * Clipping is measured on the take as recorded too: resampling to the project rate rounds off the flat
 * tops that show it, so a clipped 48 kHz take can look clean at 22050 Hz.
 */
function withOriginalClipping(qa: ClipQa, channels: Float32Array[], rate: number, region: { start: number; end: number }): ClipQa {
  const a = Math.floor(region.start * rate);
  const b = Math.min(channels[0]!.length, Math.ceil(region.end * rate));
  const ratio = Math.max(qa.clippingRatio, ...channels.map((x) => clippedRatio(x, a, b)));
  if (ratio <= QA_THRESHOLDS.clippingRatio || qa.flags.includes('clipping')) return qa;
  return { ...qa, clippingRatio: +ratio.toPrecision(4), flags: ['clipping', ...qa.flags] };
}

export const PROMPT_MISMATCH = "Doesn't sound like the prompt: a word skipped or added? Listen, then read it again exactly as written.";

export async function saveTake(projectDir: string, input: SaveTakeInput): Promise<TakeResult> {
  const started = performance.now();
  const text = cleanTranscript(input.text, 'the prompt').text;
  if (!text) throw new ServiceError('bad-input', 'The prompt is empty: there is nothing to save the take with.');
  // The prompt's espeak reading, for the match check: usually ready (record.prompts prepared it); if not, it runs meanwhile.
  const prepared = preparePrompts([text]).catch(() => undefined);
  let header;
  try {
    header = parseWavHeader(input.wav);
  } catch (e) {
    throw new ServiceError('bad-audio', `The take is not a readable WAV file (${(e as Error).message}); nothing was saved.`);
  }
  if (header.frames === 0) throw new ServiceError('bad-audio', 'The take is empty (no audio arrived); nothing was saved. Check the microphone and record again.');

  const manifest = await loadManifest(projectDir);
  const settings = manifest.settings;
  if (input.replaces && !manifest.clips.some((c) => c.id === input.replaces))
    throw new ServiceError('not-found', `The take to replace (${input.replaces}) is no longer in the project; nothing was saved.`);
  const sha = createHash('sha256').update(input.wav).digest('hex');
  const now = new Date();
  const known = manifest.sources.find((s) => s.sha256 === sha && s.status === 'ok');
  const id = known?.id ?? takeId(sha, now);
  const storedPath = known?.storedPath ?? `${SOURCES_DIR}/${id}.wav`;
  const stored = path.join(projectDir, storedPath);
  // The original first, exactly as it arrived; everything after reads the project's copy.
  if (!known) await writeFileAtomic(stored, input.wav);

  // The browser's WAV is decoded and resampled here (an ffmpeg process would cost ~0.5 s a take);
  // scanSource then measures the frame levels exactly as for an import. The source record describes
  // the take as recorded.
  let decoded;
  try {
    decoded = decodeWav(input.wav);
  } catch (e) {
    if (!known) await fs.rm(stored, { force: true });
    throw new ServiceError('bad-audio', `The take could not be decoded (${(e as Error).message}); nothing was saved.`);
  }
  const atProjectRate = resample(downmix(decoded.channels), decoded.sampleRate, settings.sampleRate);
  const scan = await scanSource(stored, { sampleRate: settings.sampleRate, bytes: encodeWav(atProjectRate, settings.sampleRate, { float: true }) });
  scan.info = { ...scan.info, sampleRate: header.sampleRate, channels: header.channelCount, durationSeconds: header.frames / header.sampleRate, codec: decoded.format === 'float' ? `pcm_f${header.bitsPerSample}le` : `pcm_s${header.bitsPerSample}le` };
  const samples = scan.samples!;
  // One segment: the speech with import's margins, never split (a prompt is one clip).
  const [segment] = planSegments(scan.frameDb, scan.hopSeconds, scan.durationSeconds, {
    ...segmentationOptions(settings),
    minClipSeconds: 0,
    maxClipSeconds: scan.durationSeconds + 1,
  });
  if (!segment) {
    if (!known) await fs.rm(stored, { force: true });
    throw new ServiceError('no-speech', 'No speech was heard in this take (it is all below the silence threshold). Check that the right microphone is chosen and not muted, then record again.');
  }
  const speech = samples.subarray(Math.round(segment.start * settings.sampleRate), Math.round(segment.end * settings.sampleRate));
  const rendered = renderClip(speech, settings);
  const clipIds = new Set(manifest.clips.map((c) => c.id));
  let clipId = id;
  for (let n = 2; clipIds.has(clipId) && clipId !== input.replaces; n++) clipId = `${id}-${n}`;
  const wav = `${WAVS_DIR}/${clipId}.wav`;
  await writeFileAtomic(path.join(projectDir, wav), rendered.wav);

  const recordedLufs = Number.isFinite(rendered.loudnessLufs) ? +rendered.loudnessLufs.toFixed(1) : undefined;
  const measured = withOriginalClipping(measureClip(rendered.wav, { text, recordedLufs }, settings), decoded.channels, decoded.sampleRate, segment);
  const start = +segment.start.toFixed(5);
  const end = +segment.end.toFixed(5);
  const iso = now.toISOString();
  const source: SourceRecord = known ?? {
    id,
    originalPath: stored,
    storedPath,
    sha256: sha,
    bytes: input.wav.length,
    importedAt: iso,
    ...describeScan(scan),
    status: 'ok',
    transcript: text,
    ...(scan.warnings.length ? { warnings: scan.warnings } : {}),
  };
  let qa = measured;
  const replaced = input.replaces ?? null;
  let replacedWav: string | null = null;
  const clip = await updateManifest(projectDir, (m) => {
    if (!m.sources.some((s) => s.id === source.id)) m.sources.push(source);
    // Speaking rate against this person's other clips as they are now (another window may have added some).
    qa = withSpeakingRate(measured, m.clips.filter((c) => c.id !== replaced && c.id !== clipId).map((c) => c.qa));
    const record: ClipRecord = {
      id: clipId,
      sourceId: source.id,
      sourceStart: start,
      sourceEnd: end,
      wav,
      durationSeconds: rendered.durationSeconds,
      text,
      status: 'transcribed',
      origin: 'record',
      qa,
      ...(recordedLufs != null ? { recordedLufs } : {}),
      renderKey: renderKey(sha, start, end, settings),
      createdAt: iso,
      updatedAt: iso,
    };
    const at = replaced ? m.clips.findIndex((c) => c.id === replaced) : -1;
    if (at >= 0) replacedWav = m.clips.splice(at, 1, record)[0]!.wav;
    else m.clips.push(record);
    return record;
  }, {
    // The replaced take's WAV goes once the manifest no longer names it (its original stays in sources/).
    afterSave: async () => {
      if (replacedWav && replacedWav !== wav) await fs.rm(path.join(projectDir, replacedWav), { force: true });
    },
  });
  // After the save: a rough check, so a take that seems not to match its prompt is kept and only flagged (the
  // person listens and decides); it does not hold the view on the prompt as a QA flag does.
  await prepared;
  const promptMatch = await matchPrompt(speech, settings.sampleRate, text).catch(() => null);
  return {
    clip,
    qa,
    problems: takeProblems(qa, settings),
    ...(promptMatch ? { promptMatch: { ...promptMatch, problem: promptMatch.mismatch ? PROMPT_MISMATCH : null } } : {}),
    recordedSampleRate: header.sampleRate,
    recordedSeconds: +(header.frames / header.sampleRate).toFixed(3),
    replaced,
    elapsedMs: +(performance.now() - started).toFixed(1),
  };
}
