import FFTJS from 'fft.js';

/**
 * Real FFT of power-of-two length (every FFT here: the presets' 1024 and 2048, the aligner's MFCC frames), in
 * float64, with plans cached per size. The transforms are fft.js's radix-4 (measured ~1.6–2× faster than a
 * radix-2 of our own): its real transform for the forward direction; for the inverse, which fft.js lacks,
 * the spectrum is merged into n/2 complex points, transformed by its complex FFT and split back
 * (the classic "real FFT via half-size complex FFT"); the merge/split steps are ours.
 * Griffin-Lim's hot loop uses frameFft.ts (WebAssembly) instead, with this as its fallback.
 *
 * Conventions (numpy.fft.rfft / irfft): X[k] = Σ x[t]·e^(−2πi·k·t/n); inverse divides by n.
 */

/** Interleaved complex FFT of size m (power of two): fft.js's radix-4 when m ≥ 2, else direct. */
interface InterleavedFFT {
  forward(out: Float64Array, data: Float64Array): void;
  /** Includes the 1/m scaling. */
  inverse(out: Float64Array, data: Float64Array): void;
}
function interleavedFFT(m: number): InterleavedFFT {
  if (m >= 2) {
    const f = new FFTJS(m);
    return { forward: (o, d) => f.transform(o, d), inverse: (o, d) => f.inverseTransform(o, d) };
  }
  return { forward: (o, d) => o.set(d.subarray(0, 2)), inverse: (o, d) => o.set(d.subarray(0, 2)) };
}

/** Real-input FFT plan for one size. Not re-entrant (scratch buffers are reused). */
export class RealFFT {
  readonly n: number;
  /** Number of output bins, n/2 + 1. */
  readonly bins: number;
  private readonly half: InterleavedFFT;
  /** Forward path for n ≥ 4: fft.js realTransform (measured ~1.6× faster than packing + complex FFT). */
  private readonly full?: FFTJS;
  private readonly fullOut?: Float64Array;
  /** Forward/inverse via fft.js at size m = n/2 for the interleaved inverse. */
  private readonly halfJs?: FFTJS;
  private scratchRe?: Float64Array;
  private scratchIm?: Float64Array;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  private readonly tc: Float64Array; // e^(−2πik/n) for the split step
  private readonly ts: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 2) throw new Error(`RealFFT: bad size ${n}`);
    if ((n & (n - 1)) !== 0) throw new Error(`RealFFT: the FFT size must be a power of two (got ${n})`);
    this.n = n;
    this.bins = Math.floor(n / 2) + 1;
    const m = n / 2;
    this.half = interleavedFFT(m);
    if (n >= 4) {
      this.full = new FFTJS(n);
      this.fullOut = new Float64Array(2 * n);
      this.halfJs = new FFTJS(m);
    }
    // zr: interleaved input/scratch (n values = m complex), zi: interleaved spectrum Z
    this.zr = new Float64Array(n);
    this.zi = new Float64Array(n);
    this.tc = new Float64Array(m + 1);
    this.ts = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.tc[k] = Math.cos((2 * Math.PI * k) / n);
      this.ts[k] = -Math.sin((2 * Math.PI * k) / n);
    }
  }

  /** X = rfft(x): `re`/`im` receive n/2+1 bins. `x` has n samples (a Float64Array of exactly n is used in place). */
  forward(x: ArrayLike<number>, re: Float64Array, im: Float64Array): void {
    const { n, zr, zi } = this;
    if (this.full) {
      // fft.js's radix-4 real transform fills bins 0..n/2 (interleaved re, im).
      const out = this.fullOut!;
      this.full.realTransform(out, x);
      for (let k = 0, b = this.bins; k < b; k++) {
        re[k] = out[2 * k];
        im[k] = out[2 * k + 1];
      }
      return;
    }
    const m = n >> 1;
    // Real x read as m complex points z[t] = x[2t] + i·x[2t+1] is already the interleaved layout.
    let input: Float64Array;
    if (x instanceof Float64Array && x.length === n) input = x;
    else {
      for (let t = 0; t < n; t++) zr[t] = x[t];
      input = zr;
    }
    const Z = zi;
    this.half.forward(Z, input);
    const { tc, ts } = this;
    // X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[m−k]) / 2, O = (Z[k] − conj Z[m−k]) / 2i
    re[0] = Z[0] + Z[1];
    im[0] = 0;
    re[m] = Z[0] - Z[1];
    im[m] = 0;
    for (let k = 1; k < m; k++) {
      const ar = Z[2 * k], ai = Z[2 * k + 1], br = Z[2 * (m - k)], bi = -Z[2 * (m - k) + 1];
      const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
      // (a − b) / 2i = (ai − bi)/2 − i(ar − br)/2
      const or = 0.5 * (ai - bi), oi = -0.5 * (ar - br);
      const wr = tc[k], wi = ts[k];
      re[k] = er + or * wr - oi * wi;
      im[k] = ei + or * wi + oi * wr;
    }
  }

  /**
   * Hot-loop variant of `forward` without copies: bins land interleaved in `out`
   * (out[2k] = Re X[k], out[2k+1] = Im X[k], k ≤ n/2; `out` needs 2n entries). `x` must be a
   * Float64Array of n samples.
   */
  forwardInterleaved(x: Float64Array, out: Float64Array): void {
    if (this.full) {
      this.full.realTransform(out, x);
      return;
    }
    const re = this.scratchRe ?? (this.scratchRe = new Float64Array(this.bins));
    const im = this.scratchIm ?? (this.scratchIm = new Float64Array(this.bins));
    this.forward(x, re, im);
    for (let k = 0; k < this.bins; k++) {
      out[2 * k] = re[k];
      out[2 * k + 1] = im[k];
    }
  }

  /**
   * Hot-loop variant of `inverse`: bins read interleaved from spec[off + 2k], spec[off + 2k + 1];
   * x (n samples) = irfft. Uses inverse(Z) = conj(FFT(conj Z))/m so no extra scaling pass is needed
   * beyond the final one.
   */
  inverseInterleaved(spec: Float64Array | Float32Array, off: number, x: Float64Array): void {
    const { n } = this;
    if (!this.full) {
      const re = this.scratchRe ?? (this.scratchRe = new Float64Array(this.bins));
      const im = this.scratchIm ?? (this.scratchIm = new Float64Array(this.bins));
      for (let k = 0; k < this.bins; k++) {
        re[k] = spec[off + 2 * k];
        im[k] = spec[off + 2 * k + 1];
      }
      this.inverse(re, im, x);
      return;
    }
    const m = n >> 1;
    const { tc, ts } = this;
    const Z = this.zi;
    for (let k = 0; k < m; k++) {
      const ar = spec[off + 2 * k], ai = k === 0 ? 0 : spec[off + 2 * k + 1];
      const br = spec[off + 2 * (m - k)], bi = k === 0 ? 0 : -spec[off + 2 * (m - k) + 1];
      const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
      const wr = tc[k], wi = -ts[k];
      const or = dr * wr - di * wi, oi = dr * wi + di * wr;
      Z[2 * k] = er - oi;
      Z[2 * k + 1] = -(ei + or); // conjugated
    }
    const out = this.fullOut!;
    this.halfJs!.transform(out, Z);
    const inv = 1 / m;
    for (let t = 0; t < m; t++) {
      x[2 * t] = out[2 * t] * inv;
      x[2 * t + 1] = -out[2 * t + 1] * inv;
    }
  }

  /** x = irfft(X) (divides by n). Imaginary parts of bins 0 and n/2 are ignored, as numpy does. */
  inverse(re: ArrayLike<number>, im: ArrayLike<number>, x: Float64Array | Float32Array): void {
    const { n, zr, zi } = this;
    const m = n >> 1;
    const { tc, ts } = this;
    const Z = zi;
    // Undo the split: Z[k] = E[k] + i·O[k], with E, O recovered from X[k] and conj X[m−k].
    for (let k = 0; k < m; k++) {
      const ar = re[k], ai = k === 0 ? 0 : im[k];
      const br = re[m - k], bi = k === 0 ? 0 : -im[m - k];
      const er = 0.5 * (ar + br), ei = 0.5 * (ai + bi);
      // O = (X[k] − conj X[m−k]) / (2 W^k) = d · conj(W^k), d = (X[k] − conj X[m−k]) / 2
      const dr = 0.5 * (ar - br), di = 0.5 * (ai - bi);
      const wr = tc[k], wi = -ts[k];
      const or = dr * wr - di * wi, oi = dr * wi + di * wr;
      Z[2 * k] = er - oi;
      Z[2 * k + 1] = ei + or;
    }
    if (x instanceof Float64Array && x.length === n) this.half.inverse(x, Z);
    else {
      this.half.inverse(zr, Z);
      for (let t = 0; t < n; t++) x[t] = zr[t];
    }
  }
}

const plans = new Map<number, RealFFT>();
/** A cached plan per size (plans are not re-entrant: use one per thread, which a module instance is). */
export function realFFT(n: number): RealFFT {
  let p = plans.get(n);
  if (!p) plans.set(n, (p = new RealFFT(n)));
  return p;
}

/** Allocating convenience for tests and one-offs: rfft of x → { re, im } (n/2+1 bins). */
export function rfft(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const plan = realFFT(x.length);
  const re = new Float64Array(plan.bins);
  const im = new Float64Array(plan.bins);
  plan.forward(x, re, im);
  return { re, im };
}

/** Allocating convenience: irfft of n/2+1 bins back to n samples. */
export function irfft(re: ArrayLike<number>, im: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  realFFT(n).inverse(re, im, out);
  return out;
}
