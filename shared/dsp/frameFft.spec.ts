import { describe, expect, it } from 'vitest';
import { frameFFT, loadFastFFT } from './frameFft';
import { griffinLimMagnitudes, spectralConvergence } from './griffinLim';
import { mulberry32 } from './random';
import { stft, type StftConfig } from './stft';

/** The DFT from its definition, in the packed layout [X₀, X_{n/2}, Re X₁, Im X₁, …]. */
function packedDft(x: Float32Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0, im = 0;
    for (let t = 0; t < n; t++) {
      re += x[t] * Math.cos((2 * Math.PI * k * t) / n);
      im -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
    if (k === 0) out[0] = re;
    else if (k === n / 2) out[1] = re;
    else (out[2 * k] = re), (out[2 * k + 1] = im);
  }
  return out;
}

function noise(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

/** Both directions against the definition: forward = DFT, inverse(forward(x)) = n·x. */
function checkTransforms(n: number) {
  const plan = frameFFT(n);
  const x = noise(n, n);
  const [a, spec, back] = plan.workspace([n, n, n]);
  a.set(x);
  plan.forward(a, 0, spec, 0);
  const ref = packedDft(x);
  const scale = Math.max(...ref.map(Math.abs));
  for (let j = 0; j < n; j++) expect(Math.abs(spec[j] - ref[j])).toBeLessThan(1e-5 * scale);
  plan.inverse(spec, 0, back, 0);
  for (let t = 0; t < n; t++) expect(Math.abs(back[t] / n - x[t])).toBeLessThan(1e-5);
  // arrays outside the workspace work too (copied through the plan's own frames)
  const out = new Float32Array(n + 3);
  plan.forward(x, 0, out, 3);
  for (let j = 0; j < n; j++) expect(Math.abs(out[3 + j] - ref[j])).toBeLessThan(1e-5 * scale);
  plan.release();
  return plan.backend;
}

/** Harmonic tone with a gliding pitch: magnitudes whose phases Griffin-Lim must find. */
function voiced(cfg: StftConfig) {
  const n = 240 * cfg.hopLength;
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    phase += (2 * Math.PI * (130 + 40 * Math.sin((2 * Math.PI * i) / n))) / 22050;
    for (let h = 1; h <= 10; h++) x[i] += Math.sin(h * phase) / h;
  }
  const s = stft(x, cfg);
  return { mag: Float32Array.from(s.re, (r, i) => Math.hypot(r, s.im[i])), frames: s.frames };
}

const cfg: StftConfig = { nFft: 1024, hopLength: 256, winLength: 1024, center: true, padMode: 'reflect' };

describe('frameFFT', () => {
  it('fft.js backend (before the WebAssembly FFT loads): forward is the DFT, inverse undoes it times n', () => {
    expect(checkTransforms(64)).toBe('fft.js');
    expect(checkTransforms(128)).toBe('fft.js');
  });

  it('loads PFFFT (WebAssembly SIMD) and gives the same transforms for preset sizes', async () => {
    const before = spectralConvergence(griffinLimMagnitudes(voiced(cfg).mag, voiced(cfg).frames, cfg, { iterations: 12, seed: 1 }), voiced(cfg).mag, voiced(cfg).frames, cfg);
    expect(await loadFastFFT()).toBe(true);
    expect(checkTransforms(1024)).toBe('pffft-wasm');
    expect(checkTransforms(2048)).toBe('pffft-wasm');
    expect(checkTransforms(16)).toBe('fft.js'); // PFFFT's real transform needs at least 32 points
    expect(checkTransforms(32)).toBe('pffft-wasm');
    // Griffin-Lim on the WebAssembly FFT converges as far as on fft.js (same seed, same steps)
    const { mag, frames } = voiced(cfg);
    const after = spectralConvergence(griffinLimMagnitudes(mag, frames, cfg, { iterations: 12, seed: 1 }), mag, frames, cfg);
    expect(Math.abs(after - before)).toBeLessThan(2e-3);
    expect(after).toBeLessThan(0.2);
  });
});
