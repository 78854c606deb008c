import { describe, expect, it } from 'vitest';
import { frameRmsDb } from '../../../shared/dsp/levels';
import { cepstra } from './features';
import { RecordingFeatureStream } from './recordingFeatures';

/** A 130 s test signal (more than one 100 s slice): tones that change every 0.3 s over low noise. */
function signal(rate: number, seconds: number): Float32Array {
  const x = new Float32Array(rate * seconds);
  let seed = 7;
  for (let i = 0; i < x.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    const f = 150 + 90 * (Math.floor(i / (0.3 * rate)) % 7);
    x[i] = 0.3 * Math.sin((2 * Math.PI * f * i) / rate) + 0.01 * (seed / 4294967296 - 0.5);
  }
  return x;
}

describe('RecordingFeatureStream (features of a recording that streams past)', () => {
  it('gives exactly the one-shot MFCC frames and levels, whatever the chunk sizes', () => {
    const rate = 22050;
    const x = signal(rate, 130);
    const whole = cepstra(x, rate);
    const stream = new RecordingFeatureStream(rate);
    // Odd chunk sizes, like a decoder's pipe reads.
    for (let i = 0, k = 0; i < x.length; k++) {
      const n = [16384, 1, 70001, 4093][k % 4]!;
      stream.push(x.subarray(i, Math.min(x.length, i + n)));
      i += n;
    }
    const f = stream.finish();
    expect(f.durationSeconds).toBeCloseTo(130, 9);
    expect(f.cepstra.frames).toBe(whole.frames);
    expect(f.cepstra.dim).toBe(whole.dim);
    // Bit for bit: the streamed pass computes each slice on the same samples.
    expect(Buffer.from(f.cepstra.data.buffer).equals(Buffer.from(whole.data.buffer))).toBe(true);
    expect(Array.from(f.levelDb)).toEqual(Array.from(frameRmsDb(x, rate, f.levelHopSeconds)));
    expect(f.levelHopSeconds).toBe(221 / 22050);
  }, 60_000);
});
