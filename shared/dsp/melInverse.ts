import { decompressionFn, presetFilterbank, type Mel, type MelFilterbank } from './mel';
import type { MelPreset } from './melPresets';

/**
 * Mel → linear magnitudes for Griffin-Lim. The filterbank W (nMels × bins) has far fewer rows
 * than columns, so the inverse is underdetermined:
 *  - 'pinv': s = max(0, W⁺·m), the Moore-Penrose pseudo-inverse (Rayhane-mamah's _mel_to_linear;
 *    W⁺ = Wᵀ(WWᵀ)⁺ via a Jacobi eigendecomposition of the small nMels × nMels matrix WWᵀ);
 *  - 'nnls' (default): starts there and runs multiplicative updates s ← s·(Wᵀm)/(WᵀWs) that
 *    minimize ‖m − Ws‖² under s ≥ 0 (Lee & Seung) — fewer negative/zeroed bins, less buzz.
 */

export type MelInverseMethod = 'pinv' | 'nnls';

/** Symmetric eigendecomposition by cyclic Jacobi rotations: A = V·diag(λ)·Vᵀ. Small matrices only. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p], akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k], aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p], vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = A[i * n + i];
  return { values, vectors: V };
}

const gramCache = new WeakMap<MelFilterbank, Float64Array>();
/** (WWᵀ)⁺ as [nMels][nMels]; singular values of W below 1e-8·max are treated as zero. */
export function melGramInverse(fb: MelFilterbank): Float64Array {
  const cached = gramCache.get(fb);
  if (cached) return cached;
  const { nMels: M, bins: B, weights: W } = fb;
  const G = new Float64Array(M * M); // W·Wᵀ
  for (let i = 0; i < M; i++) {
    for (let j = i; j < M; j++) {
      let s = 0;
      const lo = Math.max(fb.start[i], fb.start[j]), hi = Math.min(fb.end[i], fb.end[j]);
      for (let k = lo; k < hi; k++) s += W[i * B + k] * W[j * B + k];
      G[i * M + j] = G[j * M + i] = s;
    }
  }
  const { values, vectors: V } = symmetricEigen(G, M);
  const maxEig = Math.max(...values);
  // (WWᵀ)⁺ = V·diag(1/λ)·Vᵀ over λ > (1e-8·σmax)²
  const Ginv = new Float64Array(M * M);
  for (let e = 0; e < M; e++) {
    if (!(values[e] > maxEig * 1e-16)) continue;
    const inv = 1 / values[e];
    for (let i = 0; i < M; i++) {
      const vi = V[i * M + e] * inv;
      for (let j = 0; j < M; j++) Ginv[i * M + j] += vi * V[j * M + e];
    }
  }
  gramCache.set(fb, Ginv);
  return Ginv;
}

/** W⁺ = Wᵀ(WWᵀ)⁺ as [bins][nMels]. */
export function melPseudoInverse(fb: MelFilterbank): Float64Array {
  const { nMels: M, bins: B, weights: W } = fb;
  const Ginv = melGramInverse(fb);
  const P = new Float64Array(B * M);
  for (let k = 0; k < B; k++) {
    for (let i = 0; i < M; i++) {
      const w = W[i * B + k];
      if (w === 0) continue;
      for (let j = 0; j < M; j++) P[k * M + j] += w * Ginv[i * M + j];
    }
  }
  return P;
}

export interface MelToLinearOptions {
  method?: MelInverseMethod;
  /** Multiplicative-update iterations for 'nnls' (default 10). */
  iterations?: number;
}

/**
 * Linear-magnitude mel [nMels][frames] → linear magnitudes, frame-major [frames][bins]
 * (the layout Griffin-Lim consumes).
 */
export function linearMelToLinear(
  melLinear: Float32Array | Float64Array,
  frames: number,
  fb: MelFilterbank,
  opts: MelToLinearOptions = {},
): Float32Array {
  const { nMels: M, bins: B, weights: W, start, end } = fb;
  const Ginv = melGramInverse(fb);
  const method = opts.method ?? 'nnls';
  const iters = opts.iterations ?? 10;
  const out = new Float32Array(frames * B);
  const m = new Float64Array(M);
  const s = new Float64Array(B);
  const wtm = new Float64Array(B);
  const ws = new Float64Array(M);
  const den = new Float64Array(B);
  for (let t = 0; t < frames; t++) {
    let peak = 0;
    for (let i = 0; i < M; i++) {
      m[i] = melLinear[i * frames + t];
      if (m[i] > peak) peak = m[i];
    }
    // s = Wᵀ·((WWᵀ)⁺·m): an M×M product then a sparse one, instead of the dense B×M W⁺
    for (let i = 0; i < M; i++) {
      let v = 0;
      for (let j = 0; j < M; j++) v += Ginv[i * M + j] * m[j];
      ws[i] = v;
    }
    s.fill(0);
    for (let i = 0; i < M; i++) for (let k = start[i]; k < end[i]; k++) s[k] += W[i * B + k] * ws[i];
    for (let k = 0; k < B; k++) if (s[k] < 0) s[k] = 0;
    if (method === 'nnls' && peak > 0) {
      // Zeros would stay zero under multiplicative updates: start from a small positive floor.
      const floor = peak * 1e-6;
      for (let k = 0; k < B; k++) if (s[k] < floor) s[k] = floor;
      wtm.fill(0);
      for (let i = 0; i < M; i++) for (let k = start[i]; k < end[i]; k++) wtm[k] += W[i * B + k] * m[i];
      for (let it = 0; it < iters; it++) {
        for (let i = 0; i < M; i++) {
          let v = 0;
          for (let k = start[i]; k < end[i]; k++) v += W[i * B + k] * s[k];
          ws[i] = v;
        }
        den.fill(0);
        for (let i = 0; i < M; i++) for (let k = start[i]; k < end[i]; k++) den[k] += W[i * B + k] * ws[i];
        // bins outside every filter (above fmax, below fmin) have den 0 and keep the pinv estimate
        for (let k = 0; k < B; k++) if (den[k] > 0) s[k] *= wtm[k] / den[k];
      }
    }
    out.set(s, t * B);
  }
  return out;
}

/** The model's mel (compressed, normalized per the preset) → linear STFT magnitudes [frames][bins]. */
export function melToLinear(mel: Mel, preset: MelPreset, opts: MelToLinearOptions = {}): Float32Array {
  const fb = presetFilterbank(preset);
  if (mel.nMels !== fb.nMels) throw new Error(`mel has ${mel.nMels} bands, preset ${preset.name} has ${fb.nMels}`);
  const decompress = decompressionFn(preset);
  const lin = new Float64Array(mel.data.length);
  for (let i = 0; i < lin.length; i++) lin[i] = decompress(mel.data[i]);
  return linearMelToLinear(lin, mel.frames, fb, opts);
}
