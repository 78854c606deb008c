/**
 * Deterministic speech-like test audio for the prepare specs (no data files needed):
 * "words" are harmonic tones (120–220 Hz fundamental, 1/k harmonics) under a syllable-rate
 * envelope, separated by silence or low noise. Sample-exact timing, so tests know where
 * speech is.
 */
import { mulberry32 } from '../../../shared/dsp/random';

/** Small deterministic PRNG (mulberry32). */
export const rng = mulberry32;

export interface Word {
  start: number;
  end: number;
}

/** One word of voiced sound written into `out` at [start, end) seconds. */
export function addWord(out: Float32Array, rate: number, w: Word, f0: number, amp: number): void {
  const a = Math.round(w.start * rate);
  const b = Math.min(out.length, Math.round(w.end * rate));
  const n = b - a;
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    // Syllable envelope (~5 Hz) with smooth 20 ms edges.
    const edge = Math.min(1, i / (0.02 * rate), (n - i) / (0.02 * rate));
    const env = edge * (0.55 + 0.45 * Math.sin(2 * Math.PI * 5 * t - Math.PI / 2) ** 2);
    let v = 0;
    for (let k = 1; k <= 8; k++) v += Math.sin(2 * Math.PI * f0 * k * t) / k;
    out[a + i] += amp * env * v * 0.5;
  }
}

export interface Utterance {
  samples: Float32Array;
  rate: number;
  words: Word[];
}

/**
 * An utterance: `lead` s of silence, words of 0.25–0.7 s separated by short gaps (0.04–0.1 s, within
 * words' reach: not pauses) and, every `phraseSeconds`, a real pause of `pauseSeconds`; `trail` s of silence.
 */
export function utterance(opts: {
  rate: number;
  seconds: number;
  lead?: number;
  trail?: number;
  amp?: number;
  noiseAmp?: number;
  phraseSeconds?: number;
  pauseSeconds?: number;
  seed?: number;
}): Utterance {
  const { rate, seconds } = opts;
  const lead = opts.lead ?? 0.6;
  const trail = opts.trail ?? 0.6;
  const r = rng(opts.seed ?? 1);
  const total = lead + seconds + trail;
  const out = new Float32Array(Math.round(total * rate));
  const words: Word[] = [];
  let t = lead;
  let sincePause = 0;
  while (t < lead + seconds - 0.25) {
    const len = Math.min(0.25 + r() * 0.45, lead + seconds - t);
    words.push({ start: t, end: t + len });
    addWord(out, rate, { start: t, end: t + len }, 120 + r() * 100, opts.amp ?? 0.3);
    t += len;
    sincePause += len;
    if (opts.phraseSeconds && sincePause >= opts.phraseSeconds) {
      t += opts.pauseSeconds ?? 0.5;
      sincePause = 0;
    } else t += 0.04 + r() * 0.06;
  }
  if (opts.noiseAmp) for (let i = 0; i < out.length; i++) out[i] += (r() * 2 - 1) * opts.noiseAmp;
  return { samples: out, rate, words };
}
