import { promises as fs } from 'node:fs';
import path from 'node:path';
import { decodeWav, downmix } from '../../../shared/dsp/wav';
import { speechBounds, type Span } from '../../../shared/dsp/pauses';

/**
 * Builds a long recording with known answers for tests and the benchmark: utterances joined
 * with random (seeded) pauses. For each utterance it records where its speech lies in the
 * joined audio, so a boundary can be checked against the true pause between two utterances.
 */
export interface Utterance {
  id: string;
  text: string;
  samples: Float32Array;
}

export interface JoinedRecording {
  samples: Float32Array;
  sampleRate: number;
  utterances: { id: string; text: string; speech: Span }[];
  /** True pause i lies between utterance i's speech end and utterance i+1's speech start. */
  pauses: Span[];
}

export const SEGMENTATION = { silenceThresholdDb: -40, minPauseSeconds: 0.15, minClipSeconds: 0, maxClipSeconds: Infinity };

export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    // xorshift32
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

/**
 * `trimToSpeech` (s): cut each utterance down to its speech plus this margin before joining, so the
 * pauses between sentences are the ones drawn (continuous reading: 0.1–0.35 s), not those plus the
 * silence a clip carries at its edges (LJSpeech clips hold 0.1–0.5 s of it).
 */
export function joinUtterances(utts: Utterance[], sampleRate: number, opts: { seed?: number; minPause?: number; maxPause?: number; trimToSpeech?: number } = {}): JoinedRecording {
  const rand = seededRandom(opts.seed ?? 1);
  if (opts.trimToSpeech != null) utts = utts.map((u) => trimUtterance(u, sampleRate, opts.trimToSpeech!));
  const minPause = opts.minPause ?? 0.3;
  const maxPause = opts.maxPause ?? 1.0;
  const gaps = utts.map((_, i) => (i === 0 ? 0.5 : minPause + rand() * (maxPause - minPause)));
  const total = utts.reduce((s, u, i) => s + u.samples.length + Math.round(gaps[i]! * sampleRate), 0) + Math.round(0.5 * sampleRate);
  const samples = new Float32Array(total);
  // Low room noise everywhere, so silence is not digital zero (like a real recording).
  for (let i = 0; i < total; i++) samples[i] = (rand() - 0.5) * 2e-4;
  const out: JoinedRecording['utterances'] = [];
  let at = 0;
  utts.forEach((u, i) => {
    at += Math.round(gaps[i]! * sampleRate);
    for (let k = 0; k < u.samples.length; k++) samples[at + k] = samples[at + k]! + u.samples[k]!;
    const b = speechBounds(u.samples, sampleRate, SEGMENTATION, Math.round(sampleRate * 0.01) / sampleRate) ?? { start: 0, end: u.samples.length / sampleRate };
    out.push({ id: u.id, text: u.text, speech: { start: at / sampleRate + b.start, end: at / sampleRate + b.end } });
    at += u.samples.length;
  });
  const pauses = out.slice(1).map((u, i) => ({ start: out[i]!.speech.end, end: u.speech.start }));
  return { samples, sampleRate, utterances: out, pauses };
}

function trimUtterance(u: Utterance, sampleRate: number, margin: number): Utterance {
  const b = speechBounds(u.samples, sampleRate, SEGMENTATION, Math.round(sampleRate * 0.01) / sampleRate);
  if (!b) return u;
  const a = Math.max(0, Math.floor((b.start - margin) * sampleRate));
  const e = Math.min(u.samples.length, Math.ceil((b.end + margin) * sampleRate));
  return { ...u, samples: u.samples.subarray(a, e) };
}

/** Reads an LJSpeech-layout folder (metadata.csv + wavs/); `null` when it is absent. */
export async function readLjSpeech(dir: string, limit = Infinity): Promise<Utterance[] | null> {
  let meta: string;
  try {
    meta = await fs.readFile(path.join(dir, 'metadata.csv'), 'utf8');
  } catch {
    return null;
  }
  const out: Utterance[] = [];
  for (const line of meta.split('\n')) {
    if (out.length >= limit) break;
    const [id, raw, normalized] = line.split('|');
    if (!id || raw == null) continue;
    const wav = decodeWav(new Uint8Array(await fs.readFile(path.join(dir, 'wavs', `${id}.wav`))));
    out.push({ id, text: (normalized ?? raw).trim(), samples: downmix(wav.channels) });
  }
  return out;
}

/** The data folder next to the repository (../shared/data), as tests and benchmarks find it. */
export function sharedDataDir(repoRoot: string): string {
  return path.resolve(repoRoot, '..', 'shared', 'data');
}
