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

/** Frames of context a slice needs before its first wanted frame (padding, and +1 sample for pre-emphasis). */
function contextFrames(preset: MelPreset): number {
  const pad = preset.center ? Math.floor(preset.nFft / 2) : 0;
  return Math.ceil((pad + 1) / preset.hopLength);
}

/**
 * The samples [s0, s1) to read for frames t0, t0 + stride, … < t1, and how many leading slice frames
 * (of the slice's mel at hop·stride) to drop. The slice starts on a frame of the same stride phase.
 */
export function samplesForFrames(preset: MelPreset, totalSamples: number, span: FrameSpan, stride = 1): { s0: number; s1: number; skip: number } {
  const hop = preset.hopLength;
  const pad = preset.center ? Math.floor(preset.nFft / 2) : 0;
  const kS = Math.ceil(contextFrames(preset) / stride);
  const tA = Math.max(0, span.t0 - kS * stride);
  if ((span.t0 - tA) % stride) throw new Error('samplesForFrames: the first frame is too close to the start for this stride');
  const last = span.t0 + Math.ceil((span.t1 - span.t0) / stride - 1) * stride;
  const s0 = tA * hop;
  const s1 = Math.min(totalSamples, Math.max(s0, last * hop - pad + preset.nFft));
  return { s0, s1, skip: (span.t0 - tA) / stride };
}

/**
 * Mel frames t0, t0 + stride, … < t1 of the signal that `read` gives samples of: every frame when
 * stride is 1, else every stride-th — still the models' exact frames (the STFT runs at hop·stride
 * from a slice aligned on them), at a fraction of the cost, for views that have fewer pixels than frames.
 */
export async function melOfFrames(read: SampleReader, totalSamples: number, preset: MelPreset, span: FrameSpan, stride = 1): Promise<Mel> {
  stride = Math.max(1, Math.floor(stride));
  const frames = Math.max(0, Math.ceil((span.t1 - span.t0) / stride));
  const out = new Float32Array(preset.nMels * frames);
  if (!frames) return { nMels: preset.nMels, frames: 0, data: out };
  // Frames too close to the start for a slice of their stride phase: computed at stride 1 from sample 0.
  let head = 0;
  if (stride > 1) {
    const edge = Math.ceil(contextFrames(preset) / stride) * stride;
    while (head < frames && span.t0 + head * stride < edge) head++;
    if (head) {
      const lastHead = span.t0 + (head - 1) * stride;
      const h = await melOfFrames(read, totalSamples, preset, { t0: 0, t1: lastHead + 1 }, 1);
      for (let m = 0; m < preset.nMels; m++)
        for (let i = 0; i < head; i++) out[m * frames + i] = h.data[m * h.frames + span.t0 + i * stride];
    }
  }
  if (head === frames) return { nMels: preset.nMels, frames, data: out };
  const rest: FrameSpan = { t0: span.t0 + head * stride, t1: span.t1 };
  const n = frames - head;
  const { s0, s1, skip } = samplesForFrames(preset, totalSamples, rest, stride);
  const slice = await read(s0, s1);
  if (slice.length !== s1 - s0) throw new Error(`audio read returned ${slice.length} samples, expected ${s1 - s0}`);
  const mel = melSpectrogram(slice, stride === 1 ? preset : { ...preset, hopLength: preset.hopLength * stride });
  if (mel.frames < skip + n) throw new Error(`window mel has ${mel.frames} frames, needs ${skip + n}`);
  for (let m = 0; m < preset.nMels; m++) out.set(mel.data.subarray(m * mel.frames + skip, m * mel.frames + skip + n), m * frames + head);
  return { nMels: preset.nMels, frames, data: out };
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
