import { melSpectrogram, type Mel } from '../../../../shared/dsp/mel';
import type { MelPreset } from '../../../../shared/dsp/melPresets';
import { frameCount } from '../../../../shared/dsp/stft';

/**
 * The mel of a time window of a recording, frame for frame what `melSpectrogram` gives for the
 * whole recording (the models' frames, not a look-alike), from only the samples that window needs.
 *
 * Frame t of the whole signal starts at sample t·hop − pad (pad = nFft/2 when centred). A slice that
 * begins k frames early, on a frame boundary (sample tA·hop), has the same frames shifted by tA; its
 * first k frames see the slice's artificial edge (padding, and pre-emphasis's missing x[−1]) and are
 * dropped. At the recording's real start or end the slice reaches the edge itself, so the padding
 * there is the true one. `melWindow.spec.ts` checks equality with the whole-signal mel.
 */
export type SampleReader = (s0: number, s1: number) => Promise<Float32Array>;

export interface FrameSpan {
  /** First frame and one past the last. */
  t0: number;
  t1: number;
}

/** Frames covering [start, end] seconds of a signal of `totalSamples` samples. */
export function framesForWindow(preset: MelPreset, totalSamples: number, start: number, end: number): FrameSpan {
  const total = frameCount(totalSamples, preset);
  const perSecond = preset.sampleRate / preset.hopLength;
  const t0 = Math.max(0, Math.min(total, Math.floor(start * perSecond)));
  const t1 = Math.max(t0, Math.min(total, Math.ceil(end * perSecond) + 1));
  return { t0, t1 };
}

/** The samples [s0, s1) to read for frames [t0, t1), and how many leading slice frames to drop. */
export function samplesForFrames(preset: MelPreset, totalSamples: number, span: FrameSpan): { s0: number; s1: number; skip: number } {
  const hop = preset.hopLength;
  const pad = preset.center ? Math.floor(preset.nFft / 2) : 0;
  // +1: pre-emphasis reads the sample before each one.
  const k = Math.ceil((pad + 1) / hop);
  const tA = Math.max(0, span.t0 - k);
  const s0 = tA * hop;
  const s1 = Math.min(totalSamples, Math.max(s0, (span.t1 - 1) * hop - pad + preset.nFft));
  return { s0, s1, skip: span.t0 - tA };
}

/** Mel frames [t0, t1) of the signal that `read` gives samples of. */
export async function melOfFrames(read: SampleReader, totalSamples: number, preset: MelPreset, span: FrameSpan): Promise<Mel> {
  const frames = span.t1 - span.t0;
  if (frames <= 0) return { nMels: preset.nMels, frames: 0, data: new Float32Array(0) };
  const { s0, s1, skip } = samplesForFrames(preset, totalSamples, span);
  const slice = await read(s0, s1);
  if (slice.length !== s1 - s0) throw new Error(`audio read returned ${slice.length} samples, expected ${s1 - s0}`);
  const mel = melSpectrogram(slice, preset);
  if (mel.frames < skip + frames) throw new Error(`window mel has ${mel.frames} frames, needs ${skip + frames}`);
  const data = new Float32Array(preset.nMels * frames);
  for (let m = 0; m < preset.nMels; m++) data.set(mel.data.subarray(m * mel.frames + skip, m * mel.frames + skip + frames), m * frames);
  return { nMels: preset.nMels, frames, data };
}

/**
 * At most `columns` columns for the screen: when a window has more frames than pixels, each column
 * keeps the loudest frame of its share (max per band), so short events stay visible when zoomed out.
 */
export function poolFrames(mel: Mel, columns: number): Mel {
  const cols = Math.max(1, Math.floor(columns));
  if (mel.frames <= cols) return mel;
  const { nMels, frames, data } = mel;
  const out = new Float32Array(nMels * cols);
  for (let m = 0; m < nMels; m++) {
    const row = m * frames;
    for (let c = 0; c < cols; c++) {
      const a = Math.floor((c * frames) / cols);
      const b = Math.max(a + 1, Math.floor(((c + 1) * frames) / cols));
      let v = -Infinity;
      for (let f = a; f < b; f++) if (data[row + f] > v) v = data[row + f];
      out[m * cols + c] = v;
    }
  }
  return { nMels, frames: cols, data: out };
}
