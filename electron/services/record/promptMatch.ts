import { bandedDtw, type Frames } from '../align/bandedDtw';
import { ESPEAK_SAMPLE_RATE, synthesizeTexts } from '../align/espeakSynth';
import { FEATURE_HOP_SECONDS, cepstra, normalizeFrames } from '../align/features';

/**
 * A rough check that a take says its prompt, with the aligner's machinery (align/): the prompt spoken by
 * espeak-ng, both as mean/variance-normalized MFCCs, warped onto each other end to end (DTW, both ends
 * anchored: the take is one sentence, trimmed to its speech). Two signs, as in align/confidence.ts:
 *  - spectral: the mean distance along the path. A word skipped or added, or another sentence, leaves
 *    frames that fit nothing, and the path must pile them onto the wrong sounds;
 *  - duration: the take's speech against espeak's for the same text (half a sentence lasts half as long).
 * The thresholds are measured (`npm run bench:prompt-match`: LJSpeech clips and espeak voices with their own
 * prompt pass; the same audio against another prompt, or with half the sentence cut off, is flagged).
 */
export interface PromptMatch {
  /**
   * Mean MFCC distance along the warping path with the prompt, over the same with the prompt's frames in reverse
   * order (the same sounds, wrong order: what any other sentence would cost this voice). Below 1: the take fits the
   * prompt better than its null; how much better depends on how close the voice is to espeak's.
   */
  distance: number;
  /** Seconds of the take's speech / seconds of espeak's reading of the prompt. */
  durationRatio: number;
  /** Whether it is flagged: the take does not sound like the prompt. */
  mismatch: boolean;
}

/** Above this mean distance the take is flagged (calibrated: see the README's numbers). */
export const MAX_DISTANCE = 0.99;
/** Outside this range of duration ratio the take is flagged (a person reads 0.6–1.9× espeak's 175 words/min). */
export const DURATION_RATIO_RANGE: readonly [number, number] = [0.8, 2.2];

/** Synthesized prompts, by text: a person reads for seconds, so the next prompts are ready before Stop. */
const cache = new Map<string, Promise<Frames>>();
const CACHE_SIZE = 64;

function remember(text: string, frames: Promise<Frames>): Promise<Frames> {
  cache.delete(text);
  cache.set(text, frames);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  // A failed synthesis is not kept: the next take asks again.
  frames.catch(() => cache.delete(text));
  return frames;
}

/** Synthesizes the prompts not yet ready in one espeak run (record.prompts calls this for the prompts it offers). */
export function preparePrompts(texts: string[]): Promise<void> {
  const todo = [...new Set(texts)].filter((t) => t.trim() && !cache.has(t));
  if (!todo.length) return Promise.resolve();
  const all = synthesizeTexts(todo).then((audio) => audio.map((a) => cepstra(a, ESPEAK_SAMPLE_RATE)));
  todo.forEach((t, i) => void remember(t, all.then((f) => f[i]!)));
  return all.then(() => undefined);
}

function promptFrames(text: string): Promise<Frames> {
  const ready = cache.get(text);
  if (ready) return remember(text, ready);
  return remember(text, synthesizeTexts([text]).then(([a]) => cepstra(a!, ESPEAK_SAMPLE_RATE)));
}

function copyFrames(f: Frames): Frames {
  return { data: f.data.slice(), dim: f.dim, frames: f.frames };
}

/** `speech`: the take trimmed to its speech (mono, `sampleRate`). */
export async function matchPrompt(speech: Float32Array, sampleRate: number, text: string): Promise<PromptMatch> {
  const synthRaw = await promptFrames(text);
  const real = normalizeFrames(cepstra(speech, sampleRate));
  const synth = normalizeFrames(copyFrames(synthRaw));
  const durationRatio = (real.frames * FEATURE_HOP_SECONDS) / Math.max(FEATURE_HOP_SECONDS, synth.frames * FEATURE_HOP_SECONDS);
  if (synth.frames < 2 || real.frames < 2) return { distance: 99, durationRatio, mismatch: true };
  // Both ends anchored, a band as wide as the take: the whole prompt against the whole take.
  const path = bandedDtw({ synth, s0: 0, s1: synth.frames, real, r0: 0, r1: real.frames, slope: real.frames / synth.frames, radius: real.frames, closedEnd: true });
  // The same frames played backwards: the prompt's sounds in the wrong order, the take's own "wrong prompt".
  const rev = new Float32Array(synth.data.length);
  for (let t = 0; t < synth.frames; t++) rev.set(synth.data.subarray((synth.frames - 1 - t) * synth.dim, (synth.frames - t) * synth.dim), t * synth.dim);
  const back = bandedDtw({ synth: { data: rev, dim: synth.dim, frames: synth.frames }, s0: 0, s1: synth.frames, real, r0: 0, r1: real.frames, slope: real.frames / synth.frames, radius: real.frames, closedEnd: true });
  const distance = +(path.cost / back.cost).toFixed(4);
  const mismatch = !(distance <= MAX_DISTANCE) || durationRatio < DURATION_RATIO_RANGE[0] || durationRatio > DURATION_RATIO_RANGE[1];
  return { distance, durationRatio: +durationRatio.toFixed(3), mismatch };
}
