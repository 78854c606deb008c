import { describe, expect, it } from 'vitest';
import { Tacotron2Engine } from './engine';
import { fakeBundle, fakeFactory, fakeManifest } from './testing/fakeTacotron';
import { attentionHealth } from './attentionHealth';

// The decoder loop against a TypeScript double of the graphs (same I/O names and shapes);
// synthesis.spec.ts runs the same engine on a real exported voice.
function engineWith(behaviour = {}, over = {}) {
  const m = fakeManifest(over);
  const factory = fakeFactory(m, behaviour);
  return { engine: new Tacotron2Engine(fakeBundle(m), { requested: 'cpu', factory }), factory, m };
}

describe('Tacotron2Engine.decode (decoder loop)', () => {
  it('walks the attention to the last symbol, stops on the gate and runs the post-net', async () => {
    const { engine, factory } = engineWith({ symbolsPerStep: 0.25 });
    const out = await engine.decode([5, 6, 7, 8, 9], { seed: 1 });
    expect(out.stopReason).toBe('gate');
    expect(out.steps).toBe(16); // the peak reaches symbol 4 at step 16
    expect(out.mel.frames).toBe(16);
    expect(out.mel.nMels).toBe(8);
    expect(out.alignment.length).toBe(16 * 5);
    expect(attentionHealth(out.alignment, out.steps, out.symbols, out.stopReason).ok).toBe(true);
    // row-major [nMels][F]: frame f of every mel channel carries the step number f+1 (+ mask); post-net adds 0.5
    const f3 = out.melDecoder.data[3];
    expect(Math.floor(f3)).toBeGreaterThanOrEqual(4);
    expect(out.mel.data[3]).toBeCloseTo(f3 + 0.5, 6);
    expect(out.mel.data[7 * 16 + 3]).toBe(out.mel.data[3]);
    expect(factory.runs).toEqual({ encoder: 1, decoder: 16, postnet: 1 });
    expect(out.gate.at(-1)).toBeGreaterThan(0.5);
  });

  it('is deterministic for a seed and varies with it (pre-net dropout masks)', async () => {
    const { engine } = engineWith();
    const a = await engine.decode([5, 6, 7], { seed: 7 });
    const b = await engine.decode([5, 6, 7], { seed: 7 });
    const c = await engine.decode([5, 6, 7], { seed: 8 });
    expect(a.mel.data).toEqual(b.mel.data);
    expect(a.mel.data).not.toEqual(c.mel.data);
  });

  it('stops runaway decoding at maxDecoderStepsPerSymbol × symbols', async () => {
    const { engine } = engineWith({ neverStop: true }, { maxDecoderStepsPerSymbol: 6 });
    const out = await engine.decode([5, 6, 7, 8], { seed: 1 });
    expect(out.stopReason).toBe('max-steps');
    expect(out.steps).toBe(24);
    expect(attentionHealth(out.alignment, out.steps, out.symbols, out.stopReason).issues).toContain('runaway');
  });

  it('caps by maxDecoderSteps and honours a per-call limit', async () => {
    const { engine } = engineWith({ neverStop: true }, { maxDecoderSteps: 10 });
    expect((await engine.decode([5, 6, 7, 8], { seed: 1 })).steps).toBe(10);
    expect((await engine.decode([5, 6, 7, 8], { seed: 1, maxDecoderStepsPerSymbol: 1 })).steps).toBe(4);
  });

  it('stops early when the gate fires before the end, and health says so', async () => {
    const { engine } = engineWith({ stopAfterSteps: 3 });
    const out = await engine.decode(Array.from({ length: 30 }, () => 10), { seed: 1 });
    expect(out.steps).toBe(3);
    expect(attentionHealth(out.alignment, out.steps, out.symbols, out.stopReason).issues).toContain('early-stop');
  });

  it('applies a per-call stop threshold', async () => {
    const { engine } = engineWith();
    // sigmoid(10) ≈ 0.99995: a threshold above it never stops.
    const out = await engine.decode([5, 6], { seed: 1, stopThreshold: 0.99999 });
    expect(out.stopReason).toBe('max-steps');
  });

  it('cancels between steps and rejects empty input', async () => {
    const { engine } = engineWith({ neverStop: true });
    const ac = new AbortController();
    ac.abort();
    await expect(engine.decode([5, 6], { seed: 1, signal: ac.signal })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(engine.decode([], { seed: 1 })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('loads graphs lazily, once', async () => {
    const { engine, factory } = engineWith();
    expect(factory.runs.encoder).toBe(0);
    await Promise.all([engine.decode([5], { seed: 1 }), engine.decode([6], { seed: 2 })]);
    expect(engine.provider).toBe('cpu');
    expect([...engine.providerNotes].join()).toMatch(/CPU/);
  });
});
