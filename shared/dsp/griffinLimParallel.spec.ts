import { describe, expect, it } from 'vitest';
import { griffinLimMagnitudes, mulberry32, spectralConvergence } from './griffinLim';
import { griffinLimMagnitudesParallel, inThreadRunner } from './griffinLimParallel';
import { presetStftConfig } from './mel';
import { MEL_PRESETS } from './melPresets';
import { stft } from './stft';

describe('griffinLimMagnitudesParallel', () => {
  it('segments + seam repair are as consistent as one sequential run, also right at the seams', async () => {
    const sr = 22050;
    const rand = mulberry32(3);
    let phase = 0;
    const x = new Float32Array(Math.round(3 * sr)).map((_, i) => {
      phase += (2 * Math.PI * (120 + 30 * Math.sin((2 * Math.PI * i) / sr))) / sr;
      let v = 0;
      for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h;
      return 0.2 * v + 0.02 * (rand() - 0.5);
    });
    const cfg = presetStftConfig(MEL_PRESETS.nvidia);
    const s = stft(x, cfg);
    const S = new Float32Array(s.re.length).map((_, i) => Math.hypot(s.re[i], s.im[i]));
    const opts = { iterations: 20, seed: 1, segmentOverlap: 8, seamFrames: 12, seamIterations: 20 };
    let ticks = 0;
    const par = await griffinLimMagnitudesParallel(S, s.frames, cfg, { ...opts, parts: 3, onProgress: () => ticks++ }, inThreadRunner);
    const seq = griffinLimMagnitudes(S, s.frames, cfg, opts);
    expect(par.length).toBe(seq.length);
    expect(ticks).toBeGreaterThanOrEqual(3 * 20);
    const scPar = spectralConvergence(par, S, s.frames, cfg);
    const scSeq = spectralConvergence(seq, S, s.frames, cfg);
    expect(scPar).toBeLessThan(scSeq * 1.15 + 0.01);
    // the frames around the first seam (frame ≈ frames/3) on their own
    const seam = Math.round(s.frames / 3);
    const a = seam - 10, n = 20, bins = s.re.length / s.frames;
    const local = (y: Float32Array) =>
      spectralConvergence(y.subarray(a * cfg.hopLength, (a + n - 1) * cfg.hopLength), S.subarray(a * bins, (a + n) * bins), n, { ...cfg, padMode: 'constant' });
    expect(local(par)).toBeLessThan(local(seq) * 1.5 + 0.05);
  });

  it('falls back to one sequential run for short inputs', async () => {
    const cfg = presetStftConfig(MEL_PRESETS.nvidia);
    const S = new Float32Array(50 * 513).fill(1);
    const seq = griffinLimMagnitudes(S, 50, cfg, { iterations: 2, seed: 4 });
    const par = await griffinLimMagnitudesParallel(S, 50, cfg, { iterations: 2, seed: 4, parts: 2 }, inThreadRunner);
    expect(par).toEqual(seq);
  });
});
