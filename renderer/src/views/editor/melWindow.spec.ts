import { describe, expect, it } from 'vitest';
import { melSpectrogram } from '../../../../shared/dsp/mel';
import { MEL_PRESETS } from '../../../../shared/dsp/melPresets';
import { framesForWindow, melOfFrames, poolFrames, samplesForFrames } from './melWindow';

/** A chirp with bursts: every frame differs from its neighbours, so an off-by-one frame shows. */
function signal(n: number, sr: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    x[i] = 0.4 * Math.sin(2 * Math.PI * (200 + 900 * t) * t) * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t)) + (i % 1777 < 40 ? 0.3 : 0);
  }
  return x;
}

describe('melOfFrames', () => {
  for (const preset of [MEL_PRESETS.nvidia, MEL_PRESETS.seed]) {
    it(`gives exactly the whole signal's frames for any window (${preset.name} preset)`, async () => {
      const x = signal(Math.round(preset.sampleRate * 3.3), preset.sampleRate);
      const whole = melSpectrogram(x, preset);
      let read = 0;
      const reader = async (s0: number, s1: number) => {
        read += s1 - s0;
        return x.slice(s0, s1);
      };
      // Start (real left edge), middle, end (real right edge), one frame, the whole thing.
      for (const [a, b] of [[0, 0.4], [1.21, 1.9], [2.9, 3.3], [1.5, 1.5], [0, 3.3]]) {
        const span = framesForWindow(preset, x.length, a, b);
        read = 0;
        const w = await melOfFrames(reader, x.length, preset, span);
        expect(w.frames).toBe(span.t1 - span.t0);
        let maxErr = 0;
        for (let m = 0; m < preset.nMels; m++)
          for (let f = 0; f < w.frames; f++) maxErr = Math.max(maxErr, Math.abs(w.data[m * w.frames + f] - whole.data[m * whole.frames + span.t0 + f]));
        expect(maxErr, `window ${a}–${b} s`).toBeLessThan(1e-5);
        // Only the window's samples (plus a few frames of context) were read.
        const { s0, s1 } = samplesForFrames(preset, x.length, span);
        expect(read).toBe(s1 - s0);
        expect(read).toBeLessThanOrEqual((b - a) * preset.sampleRate + 2 * preset.nFft + 8 * preset.hopLength);
      }
      const all = framesForWindow(preset, x.length, 0, 99);
      expect([all.t0, all.t1]).toEqual([0, whole.frames]);
    });
  }

  for (const preset of [MEL_PRESETS.nvidia, MEL_PRESETS.seed]) {
    it(`computes every stride-th frame exactly, at the edges too (${preset.name} preset)`, async () => {
      const x = signal(Math.round(preset.sampleRate * 2.2), preset.sampleRate);
      const whole = melSpectrogram(x, preset);
      const reader = async (s0: number, s1: number) => x.slice(s0, s1);
      for (const stride of [2, 3, 7]) {
        for (const [t0, t1] of [[0, 60], [1, 40], [5, 9], [37, 120], [whole.frames - 30, whole.frames], [0, whole.frames]]) {
          const w = await melOfFrames(reader, x.length, preset, { t0, t1 }, stride);
          expect(w.frames).toBe(Math.ceil((t1 - t0) / stride));
          let maxErr = 0;
          for (let m = 0; m < preset.nMels; m++)
            for (let i = 0; i < w.frames; i++) maxErr = Math.max(maxErr, Math.abs(w.data[m * w.frames + i] - whole.data[m * whole.frames + t0 + i * stride]));
          expect(maxErr, `stride ${stride}, frames ${t0}–${t1}`).toBeLessThan(1e-5);
        }
      }
    });
  }

  it('pools more frames than columns by their loudest value per band', () => {
    const mel = { nMels: 2, frames: 6, data: new Float32Array([1, 5, 2, 2, 9, 0, -1, -2, -3, -4, -5, -6]) };
    expect(Array.from(poolFrames(mel, 3).data)).toEqual([5, 2, 9, -1, -3, -5]);
    expect(poolFrames(mel, 10)).toBe(mel);
  });
});
