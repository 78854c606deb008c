import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { cachedPeaks, computePeaks } from './peaks';

const dir = mkdtempSync(path.join(os.tmpdir(), 'peaks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function wav(name: string, samples: Float32Array | Float32Array[], sr = 22050, float = false): string {
  const f = path.join(dir, name);
  writeFileSync(f, encodeWav(samples, sr, float ? { bitsPerSample: 32, float: true } : {}));
  return f;
}

describe('computePeaks', () => {
  it('finds each bucket’s largest-magnitude sample, sign kept', async () => {
    const sr = 1000;
    const x = new Float32Array(4000); // 4 s, 4 buckets of 1 s
    x[100] = 0.5;
    x[1500] = -0.75;
    x[1501] = 0.25;
    x[3999] = 0.125;
    const p = await computePeaks(wav('a.wav', x, sr), { buckets: 4 });
    expect(p.sampleRate).toBe(sr);
    expect(p.duration).toBe(4);
    expect(p.peaks).toEqual([0.5, -0.75, 0, 0.125]);
    // Same answer from float WAVs (the decoding path) as from 16-bit PCM (the in-place fast path).
    expect((await computePeaks(wav('a32.wav', x, sr, true), { buckets: 4 })).peaks).toEqual(p.peaks);
  });

  it('covers a window only, and folds stereo channels', async () => {
    const l = new Float32Array(2000);
    const r = new Float32Array(2000);
    l[1200] = 0.25;
    r[1700] = -0.5;
    l[100] = 0.9; // outside the window
    const p = await computePeaks(wav('b.wav', [l, r], 1000), { buckets: 2, start: 1, end: 2 });
    expect([p.start, p.end]).toEqual([1, 2]);
    expect(p.peaks).toEqual([0.25, -0.5]);
  });

  it('streams a long file in blocks (20 minutes) and caches repeated requests', async () => {
    const sr = 22050;
    const x = new Float32Array(sr * 60 * 20);
    for (let i = 0; i < x.length; i += 97) x[i] = Math.sin(i / 1000) * 0.5;
    const f = wav('long.wav', x, sr);
    const p = await cachedPeaks(f, { buckets: 1200 });
    expect(p.peaks).toHaveLength(1200);
    expect(Math.max(...p.peaks.map(Math.abs))).toBeGreaterThan(0.49);
    expect(await cachedPeaks(f, { buckets: 1200 })).toBe(p);
  });

  it('fails clearly on a truncated or non-WAV file', async () => {
    const ok = encodeWav(new Float32Array(5000), 22050);
    const cut = path.join(dir, 'cut.wav');
    writeFileSync(cut, ok.subarray(0, 3000));
    await expect(computePeaks(cut, { buckets: 10 })).rejects.toThrow();
    const junk = path.join(dir, 'junk.wav');
    writeFileSync(junk, 'not a wav at all');
    await expect(computePeaks(junk, { buckets: 10 })).rejects.toThrow(/WAV|RIFF/i);
  });
});
