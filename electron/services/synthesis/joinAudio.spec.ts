import { describe, expect, it } from 'vitest';
import { AudioJoiner, joinAudio, speechRange } from './joinAudio';

const SR = 22050;
/** 0.2 s silence + `seconds` of a 220 Hz tone + 0.2 s silence, like a sentence from a voice trained on padded clips. */
function sentence(seconds: number, amp = 0.5): Float32Array {
  const pad = Math.round(0.2 * SR);
  const n = Math.round(seconds * SR);
  const a = new Float32Array(pad * 2 + n);
  for (let i = 0; i < n; i++) a[pad + i] = amp * Math.sin((2 * Math.PI * 220 * i) / SR);
  return a;
}

function maxStep(a: Float32Array): number {
  let m = 0;
  for (let i = 1; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - a[i - 1]));
  return m;
}

describe('speechRange', () => {
  it('finds the tone inside the padding, keeping the margin', () => {
    const [a, b] = speechRange(sentence(1), SR, { keepSeconds: 0.03 });
    // 10 ms analysis frames: the edges are exact to within one frame.
    expect(Math.abs(a / SR - (0.2 - 0.03))).toBeLessThan(0.011);
    expect(Math.abs(b / SR - (1.2 + 0.03))).toBeLessThan(0.011);
  });
  it('returns an empty range for silence', () => {
    expect(speechRange(new Float32Array(1000), SR)).toEqual([0, 0]);
    expect(speechRange(new Float32Array(0), SR)).toEqual([0, 0]);
  });
});

describe('joinAudio', () => {
  it('trims padding and inserts the punctuation pauses', () => {
    const out = joinAudio(
      [
        { audio: sentence(1), pauseAfterSeconds: 0.35 },
        { audio: sentence(0.5), pauseAfterSeconds: 0.15 },
        { audio: sentence(0.5), pauseAfterSeconds: 0 },
      ],
      SR,
    );
    // speech 2 s + pauses 0.5 s + 2×0.03 s margin per piece
    expect(out.length / SR).toBeCloseTo(2 + 0.5 + 3 * 0.06, 1);
    const [a, b] = speechRange(out, SR, { keepSeconds: 0 });
    expect(a / SR).toBeLessThan(0.05);
    expect((out.length - b) / SR).toBeLessThan(0.05);
  });

  it('keeps the silence at a cut inside a sentence (a chunk vocoded in pieces): only its outer ends are trimmed', () => {
    // 0.2 s padding, a word, a 0.3 s pause, a word, 0.2 s padding; cut in the middle of the pause
    const word = sentence(0.5).subarray(Math.round(0.2 * SR), Math.round(0.7 * SR));
    const pad = new Float32Array(Math.round(0.2 * SR)), gap = new Float32Array(Math.round(0.3 * SR));
    const s = new Float32Array([...pad, ...word, ...gap, ...word, ...pad]);
    const cut = pad.length + word.length + gap.length / 2;
    const joined = (keep: boolean) => {
      const j = new AudioJoiner(SR);
      const head = j.push(s.subarray(0, cut + (j.fadeSamples >> 1)), 0, keep ? { end: true } : {});
      const rest = j.push(s.subarray(cut + (j.fadeSamples >> 1) - j.fadeSamples), 0, keep ? { start: true } : {});
      return new Float32Array([...head, ...rest, ...j.finish()]);
    };
    const out = joined(true);
    expect(out.length / SR).toBeCloseTo(0.03 + 0.5 + 0.3 + 0.5 + 0.03, 1);
    expect(Math.abs(out.length / SR - 1.36)).toBeLessThan(0.025); // the outer padding trimmed to its margin, the pause whole
    expect(joined(false).length / SR).toBeLessThan(1.2); // as two sentences, the pause would shrink to two margins
  });

  it('keeps boundaries click-free (no sample jump larger than the tone itself has)', () => {
    const tone = sentence(0.3);
    const out = joinAudio(
      [
        { audio: tone, pauseAfterSeconds: 0 },
        { audio: tone.map((v) => -v), pauseAfterSeconds: 0.1 },
        { audio: tone, pauseAfterSeconds: 0 },
      ],
      SR,
      { trim: { keepSeconds: 0 } },
    );
    expect(maxStep(out)).toBeLessThanOrEqual(maxStep(tone) * 1.05);
  });

  it('streams: pushing pieces one by one gives the same samples as the batch join', () => {
    const pieces = [sentence(0.4), sentence(0.7, 0.3), sentence(0.2)];
    const batch = joinAudio(pieces.map((audio, i) => ({ audio, pauseAfterSeconds: [0.35, 0, 0.6][i] })), SR);
    const j = new AudioJoiner(SR);
    const first = j.push(pieces[0], 0.35);
    // The first piece is available (minus its held-back fade tail) before the others exist.
    expect(first.length).toBeGreaterThan(0.4 * SR - 0.02 * SR);
    const rest = [j.push(pieces[1], 0), j.push(pieces[2], 0.6), j.finish()];
    const streamed = new Float32Array(batch.length);
    let o = 0;
    for (const p of [first, ...rest]) {
      streamed.set(p, o);
      o += p.length;
    }
    expect(o).toBe(batch.length);
    expect(streamed).toEqual(batch);
    expect(j.emittedSamples).toBe(batch.length);
  });

  it('handles silent and very short pieces', () => {
    const out = joinAudio(
      [
        { audio: new Float32Array(500), pauseAfterSeconds: 0.1 },
        { audio: new Float32Array([0.5, -0.5, 0.5]), pauseAfterSeconds: 0 },
      ],
      SR,
      { trim: false },
    );
    expect(out.length).toBe(503 + Math.round(0.1 * SR));
    expect(Number.isFinite(out.reduce((a, b) => a + b, 0))).toBe(true);
  });
});
