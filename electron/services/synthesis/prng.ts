/**
 * A small seeded PRNG so synthesis is reproducible: the same seed gives the same pre-net
 * dropout masks (Tacotron-2 keeps pre-net dropout on at inference) and the same WaveGlow
 * noise, hence the same audio. PCG-free and dependency-free: SplitMix32 seeding + xoshiro128**.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    // SplitMix32 expands one 32-bit seed into four well-mixed state words (never all zero).
    let s = Math.trunc(seed) >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  fillNormal(out: Float32Array, scale = 1): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal() * scale;
    return out;
  }

  /**
   * Inverted-dropout mask as PyTorch's F.dropout(training=True) applies it:
   * each entry is 0 with probability p, else 1/(1−p).
   */
  fillDropoutMask(out: Float32Array, p: number): Float32Array {
    if (!(p >= 0 && p < 1)) throw new RangeError(`dropout probability must be in [0, 1), got ${p}`);
    const keep = 1 / (1 - p);
    for (let i = 0; i < out.length; i++) out[i] = this.next() < p ? 0 : keep;
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Derives an independent stream for sub-task `index` (sentence i, retry j…) from one user seed. */
export function deriveSeed(seed: number, ...path: number[]): number {
  let h = fmix32((Math.trunc(seed) >>> 0) ^ 0x811c9dc5);
  for (const p of path) h = fmix32((h + Math.imul((p >>> 0) + 1, 0x9e3779b9)) >>> 0);
  return h;
}

/** MurmurHash3's finalizer: a bijective 32-bit mix. */
function fmix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
