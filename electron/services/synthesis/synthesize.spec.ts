import { describe, expect, it } from 'vitest';
import { Tacotron2Engine, type Mel } from './engine';
import { synthesizeText, type SentenceEvent, type Vocoder } from './synthesize';
import { fakeBundle, fakeFactory, fakeManifest, type FakeBehaviour } from './testing/fakeTacotron';

// The long-text pipeline against the TypeScript graph double (fast, no Python); synthesis.spec.ts
// repeats the important cases on a real exported voice.
const HOP = 256;
/** A vocoder double: a tone per frame whose level encodes the mel value, so audio length = frames × hop. */
const toneVocoder: Vocoder = async (mel: Mel) => {
  const out = new Float32Array(mel.frames * HOP);
  for (let i = 0; i < out.length; i++) out[i] = 0.3 * Math.sin((2 * Math.PI * 200 * i) / 22050);
  return out;
};

function setup(behaviour: FakeBehaviour = {}) {
  const m = fakeManifest();
  return new Tacotron2Engine(fakeBundle(m), { requested: 'cpu', factory: fakeFactory(m, behaviour) });
}

describe('synthesizeText', () => {
  it('synthesizes a 2 000-character text with every sentence present, in order, with progress', async () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `This is sentence ${i + 1}, which tells a short story about the number ${i + 1}.`);
    const text = sentences.join(' ');
    expect(text.length).toBeGreaterThanOrEqual(2000);
    const all: SentenceEvent[] = [];
    const r = await synthesizeText(setup(), toneVocoder, text, { seed: 3 }, { onSentence: (e) => void all.push(e) });
    const events = all.filter((e) => !e.partial); // (the first sentence's early second: next test)
    expect(events.map((e) => e.report.index)).toEqual(events.map((_, i) => i));
    expect(new Set(events.map((e) => e.report.sentence)).size).toBe(30);
    // Every input sentence is spoken, in order, and the chunks tile the input.
    const spoken = events.map((e) => e.report.text).join(' ');
    expect(spoken).toBe(text);
    expect(events.every((e) => e.report.count === events.length)).toBe(true);
    // The streamed pieces are exactly the final audio.
    expect(all.reduce((s, e) => s + e.stream.length, 0)).toBe(r.audio.length);
    // Length plausible: each chunk's frames are bounded by the step limit, the total by the sum plus pauses.
    for (const e of events) expect(e.report.frames).toBeLessThanOrEqual(10 * e.report.symbols);
    const spokenSeconds = r.sentences.reduce((s, x) => s + x.seconds, 0);
    const pauses = r.sentences.slice(0, -1).reduce((s, x) => s + x.pauseSeconds, 0);
    expect(r.timings.audioSeconds).toBeGreaterThan(spokenSeconds * 0.9);
    expect(r.timings.audioSeconds).toBeLessThan(spokenSeconds + pauses + 0.1);
    expect(r.sentences.every((s) => s.ok)).toBe(true);
    expect(r.notes.join()).toMatch(/CPU/);
  });

  it('plays the first second of a long first sentence at once, the rest in growing pieces (time to first audio)', async () => {
    const text = 'A first sentence that goes on and on for a good few seconds and is longer than most before it finally comes to an end. Then another.';
    const calls: number[] = [];
    const order: string[] = [];
    const vocoder: Vocoder = async (mel) => {
      calls.push(mel.frames);
      order.push('vocode');
      return toneVocoder(mel, { seed: 0 });
    };
    const events: SentenceEvent[] = [];
    const onSentence = (e: SentenceEvent) => {
      events.push(e);
      order.push(e.partial ? 'early audio' : `sentence ${e.report.index}`);
    };
    const r = await synthesizeText(setup(), vocoder, text, { seed: 2 }, { onSentence });
    const whole = await synthesizeText(setup(), toneVocoder, text, { seed: 2, firstPiece: false });
    const fps = 22050 / HOP;
    const frames = r.sentences[0].frames;
    const pieces = calls.slice(0, -1); // the last call is the second sentence
    expect(frames / fps).toBeGreaterThan(4); // long enough for three pieces
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    // pieces tile the mel, sharing 4 frames on each side of every cut
    expect(pieces.reduce((a, b) => a + b, 0)).toBe(frames + 8 * (pieces.length - 1));
    expect((pieces[0] - 4) / fps).toBeGreaterThanOrEqual(0.49);
    expect((pieces[0] - 4) / fps).toBeLessThanOrEqual(1.01);
    for (let i = 1; i < pieces.length - 1; i++) expect(pieces[i] - 8).toBeLessThanOrEqual(3 * (pieces[i - 1] - (i === 1 ? 4 : 8)));
    // each piece is released before the next one is vocoded
    expect(order.slice(0, 2 * pieces.length)).toEqual([...Array(pieces.length - 1).fill(['vocode', 'early audio']).flat(), 'vocode', 'sentence 0']);
    expect(events[0].stream.length / 22050).toBeLessThan(1.05);
    expect(events.filter((e) => !e.partial).map((e) => e.report.index)).toEqual([0, 1]);
    // nothing lost or doubled at the cuts: the same length as vocoding the sentence whole, every sample streamed
    expect(r.audio.length).toBe(whole.audio.length);
    expect(events.reduce((n, e) => n + e.stream.length, 0)).toBe(r.audio.length);
    expect(r.sentences[0].seconds).toBeCloseTo(whole.sentences[0].seconds, 6);
  });

  it('is deterministic for a fixed seed', async () => {
    const a = await synthesizeText(setup(), toneVocoder, 'One two three. Four five.', { seed: 11 });
    const b = await synthesizeText(setup(), toneVocoder, 'One two three. Four five.', { seed: 11 });
    expect(a.audio).toEqual(b.audio);
    expect(a.sentences.map((s) => s.attempts[0].seed)).toEqual(b.sentences.map((s) => s.attempts[0].seed));
  });

  it('retries a failed sentence once with adjusted settings and reports what could not be fixed', async () => {
    const r = await synthesizeText(setup({ stopAfterSteps: 3 }), toneVocoder, 'A sentence that is long enough to be cut short.', { seed: 1 });
    const s = r.sentences[0];
    expect(s.attempts.length).toBe(2);
    expect(s.attempts[0].issues).toContain('early-stop');
    expect(s.attempts[1].stopThreshold).toBeCloseTo(0.8, 6);
    expect(s.attempts[1].seed).not.toBe(s.attempts[0].seed);
    expect(s.ok).toBe(false);
    expect(s.issues).toContain('early-stop');
    expect(r.notes.join('\n')).toMatch(/sentence 1 .* still has attention problems after a retry: early stop/);
  });

  it('lowers the stop threshold after runaway decoding', async () => {
    const r = await synthesizeText(setup({ neverStop: true }), toneVocoder, 'Runaway.', { seed: 1 });
    expect(r.sentences[0].attempts.map((a) => a.stopReason)).toEqual(['max-steps', 'max-steps']);
    expect(r.sentences[0].attempts[1].stopThreshold).toBeCloseTo(0.3, 6);
    expect(r.sentences[0].issues).toContain('runaway');
  });

  it('does not retry when asked not to', async () => {
    const r = await synthesizeText(setup({ neverStop: true }), toneVocoder, 'Runaway.', { retry: false });
    expect(r.sentences[0].attempts.length).toBe(1);
  });

  it('rejects empty text and unknown characters with clear errors', async () => {
    await expect(synthesizeText(setup(), toneVocoder, '  \n ')).rejects.toMatchObject({ code: 'empty-text' });
    await expect(synthesizeText(setup(), toneVocoder, 'Fine. Это нет.')).rejects.toMatchObject({
      code: 'TEXT_UNKNOWN_SYMBOL',
      message: expect.stringMatching(/sentence 2 .*no symbol for "э" \(U\+044D\)/),
    });
  });

  it('cancels between sentences', async () => {
    const ac = new AbortController();
    const done: number[] = [];
    const p = synthesizeText(setup(), toneVocoder, 'One. Two. Three. Four.', {}, {
      signal: ac.signal,
      onSentence: (e) => {
        done.push(e.report.index);
        if (e.report.index === 1) ac.abort();
      },
    });
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(done).toEqual([0, 1]);
  });
});
