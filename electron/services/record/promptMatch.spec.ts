import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../../shared/dsp/wav';
import { ESPEAK_SAMPLE_RATE, synthesizeTexts } from '../align/espeakSynth';
import { createProject } from '../projectStore';
import { PROMPT_MISMATCH, saveTake } from './saveTake';

/**
 * The rough check that a take says its prompt (promptMatch.ts), through record.saveTake as from the microphone:
 * the same audio passes with its own prompt and is flagged with another one, or with half of it cut off.
 * Speech from an espeak-ng voice other than the check's own (British, female, slower) runs anywhere; LJSpeech
 * (../shared/data/lj-small) checks a real voice, where the margin is smallest.
 */
const A = 'My dear Mr. Bennet, have you heard that Netherfield Park is let at last?';
const LONGER = 'However little known the feelings or views of such a man may be on his first entering a neighbourhood, this truth is well fixed.';

/** `samples` as the browser sends a take: 0.5 s of quiet room around the speech. */
function asTake(samples: Float32Array, rate: number): Uint8Array {
  const out = new Float32Array(samples.length + rate);
  out.set(samples, rate / 2);
  let seed = 3;
  for (let i = 0; i < out.length; i++) out[i]! += (((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5) * 2e-4;
  return encodeWav(out, rate);
}

const lj = path.resolve('../shared/data/lj-small');
function ljClip(id: string): { text: string; samples: Float32Array; rate: number } {
  const line = readFileSync(path.join(lj, 'metadata.csv'), 'utf8').split('\n').find((l) => l.startsWith(`${id}|`))!;
  const wav = decodeWav(readFileSync(path.join(lj, 'wavs', `${id}.wav`)));
  return { text: line.split('|')[2]!, samples: wav.channels[0]!, rate: wav.sampleRate };
}

describe('record.saveTake: does the take say its prompt?', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-prompt-match-'));
    await createProject(dir, { name: 'match' });
  });
  afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

  it('passes an espeak-voiced take with its prompt; flags it against a longer prompt and with half of it cut off', async () => {
    const [speech] = await synthesizeTexts([A], { voice: 'en-gb+f3', wordsPerMinute: 145 });
    const right = await saveTake(dir, { text: A, wav: asTake(speech!, ESPEAK_SAMPLE_RATE) });
    expect(right.promptMatch).toMatchObject({ mismatch: false, problem: null });
    expect(right.problems).toEqual([]);
    const wrong = await saveTake(dir, { text: LONGER, wav: asTake(speech!, ESPEAK_SAMPLE_RATE) });
    expect(wrong.promptMatch).toMatchObject({ mismatch: true, problem: PROMPT_MISMATCH });
    // Saved all the same (the person decides), and not a QA flag.
    expect(wrong.clip.text).toBe(LONGER);
    expect(wrong.problems).toEqual([]);
    const half = await saveTake(dir, { text: A, wav: asTake(speech!.subarray(0, speech!.length >> 1), ESPEAK_SAMPLE_RATE) });
    expect(half.promptMatch?.mismatch).toBe(true);
    expect(right.promptMatch!.distance).toBeLessThan(wrong.promptMatch!.distance);
  }, 60_000);

  it.skipIf(!existsSync(path.join(lj, 'metadata.csv')))('passes LJSpeech clips with their own transcript; flags one read against another transcript of about its length', async () => {
    const a = ljClip('LJ001-0007');
    const b = ljClip('LJ001-0010');
    const right = await saveTake(dir, { text: a.text, wav: asTake(a.samples, a.rate) });
    expect(right.promptMatch?.mismatch).toBe(false);
    const other = await saveTake(dir, { text: a.text, wav: asTake(b.samples, b.rate) });
    expect(other.promptMatch?.mismatch).toBe(true);
    expect(other.promptMatch!.distance).toBeGreaterThan(right.promptMatch!.distance);
  }, 60_000);
});
