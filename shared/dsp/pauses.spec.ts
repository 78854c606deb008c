import { describe, expect, it } from 'vitest';
import { frameRmsDb } from './levels';
import { detectPauses, planSegments, silenceThresholdDb, speechBounds } from './pauses';

const opts = { silenceThresholdDb: -40, minPauseSeconds: 0.15, minClipSeconds: 1, maxClipSeconds: 12 };
const rate = 16000;

/** Tone bursts at the given [start, end) seconds, in `seconds` of silence (plus optional noise). */
function bursts(seconds: number, spans: [number, number][], noise = 0): Float32Array {
  const x = new Float32Array(seconds * rate);
  let seed = 7;
  for (let i = 0; i < x.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    x[i] = noise * ((seed / 2 ** 32) * 2 - 1);
  }
  for (const [a, b] of spans) for (let i = Math.round(a * rate); i < b * rate; i++) x[i] += 0.3 * Math.sin((2 * Math.PI * 200 * i) / rate);
  return x;
}

describe('speech/silence detection', () => {
  it('finds speech bounds and pauses, ignoring gaps shorter than a pause and isolated clicks', () => {
    const x = bursts(6, [[1, 2], [2.08, 2.5], [3.2, 4.4]]);
    x[Math.round(5.5 * rate)] = 0.9; // a click, not speech
    const b = speechBounds(x, rate, opts)!;
    expect(b.start).toBeCloseTo(1, 1);
    expect(b.end).toBeCloseTo(4.4, 1);
    const p = detectPauses(x, rate, opts);
    expect(p).toHaveLength(1); // 2.0–2.08 is too short to be a pause
    expect(p[0].start).toBeCloseTo(2.5, 1);
    expect(p[0].end).toBeCloseTo(3.2, 1);
  });

  it('adapts the threshold to the noise floor', () => {
    const noisy = bursts(4, [[1, 3]], 0.02); // noise at about -37 dBFS RMS: above the -40 dB ceiling
    const thr = silenceThresholdDb(frameRmsDb(noisy, rate), -40);
    expect(thr).toBeGreaterThan(-40);
    expect(speechBounds(noisy, rate, opts)!.start).toBeCloseTo(1, 1);
  });
});

describe('planSegments', () => {
  it('splits a long recording only at pauses, into clips between min and max length', () => {
    const spans: [number, number][] = [];
    for (let t = 0.5; t < 58; t += 3.4) spans.push([t, t + 2.9]); // 2.9 s phrases, 0.5 s pauses
    const x = bursts(60, spans);
    const segs = planSegments(frameRmsDb(x, rate), 0.01, 60, opts);
    expect(segs.length).toBeGreaterThan(4);
    for (const s of segs) {
      expect(s.end - s.start).toBeLessThanOrEqual(12.0001);
      expect(s.end - s.start).toBeGreaterThanOrEqual(1);
      expect(s.forcedCut).toBe(false);
      // Cut points fall in pauses, never inside a phrase.
      for (const [a, b] of spans) {
        expect(s.start <= a - 0.01 || s.start >= b).toBe(true);
        expect(s.end >= b + 0.01 || s.end <= a).toBe(true);
      }
    }
    // Together they cover all phrases.
    for (const [a, b] of spans) expect(segs.some((s) => s.start <= a && s.end >= b)).toBe(true);
  });

  it('keeps a short recording whole, trimmed to its speech plus a margin', () => {
    const x = bursts(5, [[1.5, 3.5]]);
    const segs = planSegments(frameRmsDb(x, rate), 0.01, 5, opts);
    expect(segs).toHaveLength(1);
    expect(segs[0].start).toBeCloseTo(1.42, 1);
    expect(segs[0].end).toBeCloseTo(3.58, 1);
  });

  it('cuts inside speech only when there is no pause within the maximum, and says so', () => {
    const x = bursts(31, [[0.5, 30.5]]);
    const segs = planSegments(frameRmsDb(x, rate), 0.01, 31, opts);
    expect(segs.length).toBeGreaterThanOrEqual(3);
    for (const s of segs) expect(s.end - s.start).toBeLessThanOrEqual(12.0001);
    expect(segs.some((s) => s.forcedCut)).toBe(true);
  });

  it('returns nothing for silence', () => {
    expect(planSegments(frameRmsDb(new Float32Array(rate * 3), rate), 0.01, 3, opts)).toEqual([]);
  });
});
