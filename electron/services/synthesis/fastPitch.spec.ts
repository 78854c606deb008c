import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../shared/contract/rpc';
import { SynthesizeInput } from '../../../shared/contract/synthesis';
import { acousticModelOf, VoiceManifest } from '../../../shared/contract/voice';
import { checkAcousticControls } from './controls';
import { createAcousticModel } from './createEngine';
import { FastPitchEngine } from './fastPitchEngine';
import { griffinLimVocoder, voiceMelPreset } from './vocoders';
import { synthesizeText } from './synthesize';
import { planAndEncodeText } from './textFrontend';
import { copyVoice, editVoiceJson, tinyVoice } from './testing/tinyVoice';
import { fakeManifest } from './testing/fakeTacotron';
import { checkGraphIO, expectedGraphIO, loadVoiceBundle, type VoiceBundle } from './voiceBundle';

// The duration-model runtime: fastpitch.onnx through onnxruntime-node against PyTorch's own outputs
// (reference.json from `make-tiny-voice --model fastpitch`), the pace and pitch controls, and the
// bundle checks that keep a broken or ambiguous voice.json out.

type RefTensor = { dims: number[]; type: string; data: number[] };

function fastPitchManifest(over: { maxPace?: number; maxPitchShift?: number } = {}): VoiceManifest {
  const m = fakeManifest();
  return { ...m, name: 'fp', tacotron2: null, fastpitch: { graph: 'fastpitch.onnx', nMels: 8, maxPace: over.maxPace ?? 3, maxPitchShift: over.maxPitchShift ?? 12 } };
}

function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return `${(e as ServiceError).code}: ${(e as Error).message}`;
  }
  return 'accepted';
}

describe('voice.json: exactly one acoustic model', () => {
  it('keeps Tacotron-2 manifests without a fastpitch key valid, and says which model a voice holds', () => {
    const t2 = VoiceManifest.parse(fakeManifest());
    expect(t2.fastpitch).toBeUndefined();
    expect(acousticModelOf(t2).kind).toBe('tacotron2');
    expect(acousticModelOf(VoiceManifest.parse(fastPitchManifest())).kind).toBe('fastpitch');
  });

  it('refuses both models and neither, saying so', () => {
    const both = VoiceManifest.safeParse({ ...fakeManifest(), fastpitch: fastPitchManifest().fastpitch });
    expect(both.success).toBe(false);
    expect(both.error!.issues[0].message).toMatch(/holds two acoustic models: exactly one of "tacotron2".*"fastpitch"/);
    const neither = VoiceManifest.safeParse({ ...fakeManifest(), tacotron2: null });
    expect(neither.success).toBe(false);
    expect(neither.error!.issues[0].message).toMatch(/holds no acoustic model/);
  });
});

describe('pace and pitch controls', () => {
  const fp = fastPitchManifest();
  it('accepts the voice range, 1/maxPace typed as a rounded decimal included', () => {
    expect(checkAcousticControls(fp, { pace: 2, pitch: -12 })).toEqual({ pace: 2, pitch: -12 });
    expect(checkAcousticControls(fp, { pace: 0.333 }).pace).toBe(0.333);
    expect(checkAcousticControls(fp, {})).toEqual({ pace: 1, pitch: 0 });
  });
  it('refuses out-of-range values with the range and the voice', () => {
    expect(reason(() => checkAcousticControls(fp, { pace: 3.5 }))).toMatch(/^bad-input: pace 3\.5 is out of range for voice "fp": from 0\.333 \(slower\) to 3 \(faster\)/);
    expect(reason(() => checkAcousticControls(fp, { pace: 0.2 }))).toMatch(/pace 0\.2 is out of range/);
    expect(reason(() => checkAcousticControls(fp, { pace: 0 }))).toMatch(/pace must be a positive number/);
    expect(reason(() => checkAcousticControls(fp, { pitch: 12.5 }))).toMatch(/^bad-input: pitch shift 12\.5 semitones is out of range for voice "fp": from -12 to \+12/);
    expect(reason(() => checkAcousticControls(fp, { pitch: Number.NaN }))).toMatch(/pitch shift must be a number/);
    expect(reason(() => checkAcousticControls(fp, { stopThreshold: 0.6 }))).toMatch(/^bad-input: stop threshold 0\.6: "fp" is a duration voice, which has no stop token/);
  });
  it('the API contract refuses values no voice could take before the voice is known', () => {
    const msg = (input: object) => {
      const r = SynthesizeInput.safeParse({ text: 'Hi.', ...input });
      return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    expect(msg({ pace: 1.5, pitch: -3 })).toBe('accepted');
    expect(msg({ pace: 0 })).toMatch(/^pace: pace must be above 0/);
    expect(msg({ pace: 'fast' })).toMatch(/^pace: pace must be a number/);
    expect(msg({ pitch: 60 })).toMatch(/^pitch: pitch shift must be at most \+48 semitones/);
  });

  it('refuses pace and pitch for a Tacotron-2 voice, saying only duration voices have them', () => {
    const t2 = fakeManifest();
    expect(checkAcousticControls(t2, { pace: 1, pitch: 0 })).toEqual({ pace: 1, pitch: 0 });
    expect(reason(() => checkAcousticControls(t2, { pace: 1.5 }))).toMatch(/^bad-input: pace 1\.5: only duration voices support pace and pitch shift; "fake" is a Tacotron-2 voice/);
    expect(reason(() => checkAcousticControls(t2, { pitch: -2 }))).toMatch(/pitch -2: only duration voices/);
  });
});

describe('fastpitch.onnx graph I/O', () => {
  it('names every difference from the bundle format (voice-graph-mismatch)', () => {
    const spec = expectedGraphIO(fastPitchManifest(), 'fastpitch');
    const io = {
      inputNames: ['text', 'pace'],
      outputNames: ['mel', 'durations'],
      inputMetadata: [{ name: 'text', isTensor: true, type: 'float32', shape: [1, 'N'] }],
      outputMetadata: [{ name: 'mel', isTensor: true, type: 'float32', shape: [1, 80, 'F'] }],
    } as never;
    expect(reason(() => checkGraphIO('fastpitch graph', io, spec))).toMatch(/^voice-graph-mismatch: .*missing input "pitch_shift".*input "text" is float32, expected int64.*axis 1: 80 ≠ 8/);
  });

  it('refuses to run a graph that returns no frames, with a message saying what to do', async () => {
    const m = fastPitchManifest();
    const bundle: VoiceBundle = { dir: '/fake', manifest: m, graphs: { encoder: null, decoderStep: null, postnet: null, fastpitch: 'fastpitch.onnx', waveglow: null } };
    const session = {
      inputNames: ['text', 'pace', 'pitch_shift'],
      outputNames: ['mel', 'durations'],
      inputMetadata: [],
      outputMetadata: [],
      run: async (feeds: Record<string, ort.Tensor>) => ({
        mel: new ort.Tensor('float32', new Float32Array(0), [1, 8, 0]),
        durations: new ort.Tensor('int64', new BigInt64Array(feeds.text.dims[1]), [1, feeds.text.dims[1]]),
      }),
      release: async () => undefined,
    } as unknown as ort.InferenceSession;
    const engine = new FastPitchEngine(bundle, { requested: 'cpu', factory: async () => session });
    await expect(engine.decode([5, 6, 7], { pace: 3 })).rejects.toMatchObject({ code: 'no-frames', message: expect.stringMatching(/gave every one of its 3 symbols 0 frames at pace 3.*try a slower pace/) });
    await expect(synthesizeText(engine, async () => new Float32Array(10), 'Hello there.')).rejects.toMatchObject({
      code: 'no-frames',
      message: expect.stringMatching(/^sentence 1 \("Hello there\."\): the duration model gave/),
    });
  });
});

for (const phonemes of [false, true]) {
  const tv = tinyVoice({ model: 'fastpitch', phonemes });
  describe.skipIf(tv.skip !== null)(`tiny duration voice (${phonemes ? 'phonemes' : 'characters'})`, () => {
    let engine: FastPitchEngine;
    beforeAll(async () => {
      const model = createAcousticModel(await loadVoiceBundle(tv.dir!), { requested: 'cpu' });
      expect(model.kind).toBe('fastpitch');
      engine = model as FastPitchEngine;
    });
    afterAll(() => engine?.dispose());

    it('matches PyTorch (reference.json) within 1e-4: mel and durations', async () => {
      const ref = JSON.parse(await fs.readFile(path.join(tv.dir!, 'reference.json'), 'utf8')).fastpitch as { inputs: Record<string, RefTensor>; outputs: Record<string, RefTensor> };
      const ids = ref.inputs.text.data;
      const out = await engine.decode(ids, { pace: ref.inputs.pace.data[0], pitch: ref.inputs.pitch_shift.data[0] });
      expect([1, out.mel.nMels, out.mel.frames]).toEqual(ref.outputs.mel.dims);
      expect(Array.from(out.durations!)).toEqual(ref.outputs.durations.data);
      let diff = 0;
      for (let i = 0; i < ref.outputs.mel.data.length; i++) diff = Math.max(diff, Math.abs(ref.outputs.mel.data[i] - out.mel.data[i]));
      expect(diff).toBeLessThan(1e-4);
      // The text frontend encodes the reference text to the ids PyTorch was given.
      const refText = JSON.parse(await fs.readFile(path.join(tv.dir!, 'reference.json'), 'utf8')).text as string;
      const chunks = await planAndEncodeText(refText, engine.manifest, { maxChars: 10_000 });
      expect(chunks.flatMap((c) => c.ids)).toEqual(ids);
      // The alignment its durations give: one symbol per frame, in order.
      expect(out.steps).toBe(out.mel.frames);
      expect(out.durations!.reduce((a, b) => a + b, 0)).toBe(out.mel.frames);
    });

    it('pace 2 halves the frames; a pitch shift changes the mel; same input, same output', async () => {
      const [chunk] = await planAndEncodeText('The birch canoe slid on the smooth planks.', engine.manifest);
      const p1 = await engine.decode(chunk.ids);
      const p2 = await engine.decode(chunk.ids, { pace: 2 });
      expect(p2.mel.frames / p1.mel.frames).toBeGreaterThan(0.4);
      expect(p2.mel.frames / p1.mel.frames).toBeLessThan(0.6);
      const up = await engine.decode(chunk.ids, { pitch: 4 });
      expect(up.mel.frames).toBe(p1.mel.frames);
      let diff = 0;
      for (let i = 0; i < up.mel.data.length; i++) diff = Math.max(diff, Math.abs(up.mel.data[i] - p1.mel.data[i]));
      expect(diff).toBeGreaterThan(1e-3);
      expect(Array.from((await engine.decode(chunk.ids)).mel.data)).toEqual(Array.from(p1.mel.data));
    });

    it('synthesizes long text through the one pipeline: sentences in order, no attention health, no retries', async () => {
      const vocoder = griffinLimVocoder(voiceMelPreset(engine.manifest), { iterations: 4, threads: 1 });
      const seen: number[] = [];
      const r = await synthesizeText(engine, vocoder, 'Once upon a time. There was a voice. The end.', { pace: 1.5, pitch: -2 }, { onSentence: (e) => void seen.push(e.report.index) });
      expect(seen).toEqual([0, 1, 2]);
      expect(r.sentences.every((s) => s.ok && s.health === null && s.attempts.length === 1 && s.attempts[0].stopReason === null)).toBe(true);
      expect(r.audio.length).toBeGreaterThan(0);
      await expect(synthesizeText(engine, vocoder, 'Hello.', { pace: 5 })).rejects.toMatchObject({ code: 'bad-input', message: expect.stringMatching(/pace 5 is out of range/) });
    });
  });
}

describe('fastpitch bundles on disk', () => {
  const tv = tinyVoice({ model: 'fastpitch' });
  let tmp: string;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-fp-bundle-'));
  });
  afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

  it.skipIf(tv.skip !== null)('refuses a missing graph, both models and neither, by name', async () => {
    const missing = await copyVoice(tv.dir!, path.join(tmp, 'missing'), ['fastpitch.onnx']);
    await expect(loadVoiceBundle(missing)).rejects.toMatchObject({ code: 'voice-graph-missing', message: expect.stringMatching(/missing its fastpitch graph fastpitch\.onnx/) });
    const both = await copyVoice(tv.dir!, path.join(tmp, 'both'));
    await editVoiceJson(both, (j) => (j.tacotron2 = fakeManifest().tacotron2));
    await expect(loadVoiceBundle(both)).rejects.toMatchObject({ code: 'voice-invalid', message: expect.stringMatching(/holds two acoustic models/) });
    const neither = await copyVoice(tv.dir!, path.join(tmp, 'neither'));
    await editVoiceJson(neither, (j) => (j.fastpitch = null));
    await expect(loadVoiceBundle(neither)).rejects.toMatchObject({ code: 'voice-invalid', message: expect.stringMatching(/holds no acoustic model/) });
  });

  it.skipIf(tv.skip !== null)('refuses a graph whose mel size disagrees with voice.json when it loads (voice-graph-mismatch)', async () => {
    const wrong = await copyVoice(tv.dir!, path.join(tmp, 'wrong'));
    await editVoiceJson(wrong, (j) => {
      j.fastpitch.nMels = 40;
      j.melPreset.nMels = 40;
    });
    const engine = createAcousticModel(await loadVoiceBundle(wrong), { requested: 'cpu' });
    await expect(engine.warmUp()).rejects.toMatchObject({ code: 'voice-graph-mismatch', message: expect.stringMatching(/output "mel" has shape \[1,80,F\], expected \[1,40,F\]/) });
  });
});
