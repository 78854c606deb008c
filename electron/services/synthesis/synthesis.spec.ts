import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEL_PRESETS } from '../../../shared/dsp/melPresets';
import { decodeWav } from '../../../shared/dsp/wav';
import { engineFor, runAudition, runSynthesis } from './operations';
import { copyVoice, editVoiceJson, tinyVoice } from './testing/tinyVoice';
import { loadVoiceBundle } from './voiceBundle';
import { SynthesisWorker } from './workerClient';
import type { SentenceMessage } from './workerProtocol';

// End to end on a real exported voice: the trainer's tiny Tacotron-2 + WaveGlow (untrained, so
// its attention means nothing, but its graphs are the real architecture and I/O).
const tiny = tinyVoice();
const d = tiny.skip ? describe.skip : describe;
if (tiny.skip) console.warn(`synthesis.spec: skipped: ${tiny.skip}`);
const voice = tiny.dir!;
const fast = { griffinLimIterations: 4 };

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-synth-spec-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

d('synthesis with the tiny voice bundle', () => {
  it('gives audio whose length is bounded by the decoder-step limit of each sentence', async () => {
    const m = (await loadVoiceBundle(voice)).manifest;
    const r = m.tacotron2!.reductionFactor;
    const hop = Number(m.melPreset.hopLength);
    const res = await runSynthesis({ text: 'Hello there. How are you today?', voiceDir: voice, seed: 5, ...fast }, () => undefined);
    expect(res.sentences.length).toBe(2);
    for (const s of res.sentences) {
      expect(s.frames).toBeGreaterThanOrEqual(r);
      expect(s.frames).toBeLessThanOrEqual(Math.ceil(m.tacotron2!.maxDecoderStepsPerSymbol * s.symbols) * r);
      expect(s.seconds).toBeCloseTo((s.frames * hop) / m.sampleRate, 1);
    }
    expect(res.audio.length).toBeGreaterThan(0);
    expect(res.audio.every((v) => Number.isFinite(v) && Math.abs(v) <= 1)).toBe(true);
    // A stop threshold the gate cannot reach runs every sentence to exactly its step limit.
    const capped = await runSynthesis({ text: 'Hello there.', voiceDir: voice, stopThreshold: 0.999999, maxDecoderStepsPerSymbol: 2, retry: false, ...fast }, () => undefined);
    const s = capped.sentences[0];
    expect(s.attempts[0].stopReason).toBe('max-steps');
    expect(s.frames).toBe(2 * s.symbols * r);
    expect(s.issues).toContain('runaway');
  });

  it('is deterministic for a fixed seed (Griffin-Lim and WaveGlow), and the seed matters', async () => {
    const text = 'The quick brown fox.';
    for (const vocoder of ['griffin-lim', 'waveglow'] as const) {
      const a = await runSynthesis({ text, voiceDir: voice, seed: 42, vocoder, ...fast }, () => undefined);
      const b = await runSynthesis({ text, voiceDir: voice, seed: 42, vocoder, ...fast }, () => undefined);
      const c = await runSynthesis({ text, voiceDir: voice, seed: 43, vocoder, ...fast }, () => undefined);
      expect(a.audio).toEqual(b.audio);
      expect(a.audio).not.toEqual(c.audio);
    }
  });

  it('WaveGlow turns F frames into F × hop samples of the same mel', async () => {
    const a = await runAudition({ text: 'Testing the vocoders.', voiceDir: voice, seed: 3, ...fast });
    expect(a.waveglow).not.toBeNull();
    expect(a.waveglow!.audio.length).toBe(a.mel.frames * 256);
    expect(Math.abs(a.griffinLim.audio.length - a.mel.frames * 256)).toBeLessThanOrEqual(256);
    expect(a.alignment.data.length).toBe(a.alignment.steps * a.alignment.symbols);
    expect(a.mel.data.length).toBe(80 * a.mel.frames);
    expect(a.notes.join()).toMatch(/CPU/);
  });

  it('synthesizes a 2 000-character text in the worker thread, every sentence in order', async () => {
    const text = Array.from({ length: 34 }, (_, i) => `Here is sentence number ${i + 1}, and it carries a few more words.`).join(' ');
    expect(text.length).toBeGreaterThanOrEqual(2000);
    const worker = new SynthesisWorker();
    const events: SentenceMessage[] = [];
    try {
      const res = await worker.synthesize({ text, voiceDir: voice, seed: 1, maxDecoderStepsPerSymbol: 2, retry: false, ...fast }, (e) => void events.push(e));
      expect(events.map((e) => e.report.index)).toEqual([...Array(events.length).keys()]);
      expect(new Set(events.map((e) => e.report.sentence)).size).toBe(34);
      expect(events.map((e) => e.report.text).join(' ')).toBe(text);
      expect(events.reduce((n, e) => n + e.stream.length, 0)).toBe(res.audio.length);
      expect(res.sentences.length).toBe(events.length);
    } finally {
      await worker.terminate();
    }
  }, 180_000);

  it('cancels in the worker thread', async () => {
    const worker = new SynthesisWorker();
    const ac = new AbortController();
    try {
      const p = worker.synthesize({ text: 'One. Two. Three. Four. Five. Six.', voiceDir: voice, ...fast }, (e) => {
        if (e.report.index === 0) ac.abort();
      }, ac.signal);
      await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    } finally {
      await worker.terminate();
    }
  }, 120_000);

  describe('bad input gives clear errors', () => {
    it('empty text and unknown characters', async () => {
      await expect(runSynthesis({ text: ' \n\t ', voiceDir: voice }, () => undefined)).rejects.toMatchObject({ code: 'empty-text' });
      await expect(runSynthesis({ text: 'Fine. Then ☃ happened.', voiceDir: voice }, () => undefined)).rejects.toMatchObject({
        code: 'TEXT_UNKNOWN_SYMBOL',
        message: expect.stringMatching(/sentence 2 .*U\+2603/),
      });
    });

    it('a missing voice folder or graph', async () => {
      await expect(engineFor(path.join(tmp, 'nowhere'))).rejects.toMatchObject({ code: 'voice-not-found', message: expect.stringMatching(/does not exist/) });
      const broken = await copyVoice(voice, path.join(tmp, 'no-decoder'), ['decoder_step.onnx']);
      await expect(engineFor(broken)).rejects.toMatchObject({ code: 'voice-graph-missing', message: expect.stringMatching(/missing its decoderStep graph decoder_step\.onnx/) });
    });

    it('a wrongly shaped graph', async () => {
      const wrongDim = await copyVoice(voice, path.join(tmp, 'wrong-dim'));
      await editVoiceJson(wrongDim, (j) => (j.tacotron2.encoderEmbeddingDim += 1));
      await expect(runSynthesis({ text: 'Hello.', voiceDir: wrongDim }, () => undefined)).rejects.toMatchObject({
        code: 'voice-graph-mismatch',
        message: expect.stringMatching(/encoder graph .*output "memory" has shape \[1,\w+,64\], expected \[1,T,65\]/),
      });
      const swapped = await copyVoice(voice, path.join(tmp, 'swapped'), ['postnet.onnx']);
      await fs.symlink(path.join(voice, 'encoder.onnx'), path.join(swapped, 'postnet.onnx'));
      await expect(runSynthesis({ text: 'Hello.', voiceDir: swapped }, () => undefined)).rejects.toMatchObject({
        code: 'voice-graph-mismatch',
        message: expect.stringMatching(/postnet graph .*missing input "mel".*unexpected input "text"/),
      });
      const notOnnx = await copyVoice(voice, path.join(tmp, 'not-onnx'), ['encoder.onnx']);
      await fs.writeFile(path.join(notOnnx, 'encoder.onnx'), 'not a model');
      await expect(runSynthesis({ text: 'Hello.', voiceDir: notOnnx }, () => undefined)).rejects.toMatchObject({ code: 'voice-graph-invalid' });
    });

    it('a vocoder trained on another mel preset is refused', async () => {
      const other = await copyVoice(voice, path.join(tmp, 'seed-preset'));
      await editVoiceJson(other, (j) => {
        j.name = 'seed-voice';
        j.melPreset = MEL_PRESETS.seed;
        j.waveglow.hopLength = MEL_PRESETS.seed.hopLength;
      });
      await expect(runSynthesis({ text: 'Hello.', voiceDir: voice, vocoder: 'waveglow', waveglowFromDir: other }, () => undefined)).rejects.toMatchObject({
        code: 'vocoder-preset-mismatch',
        message: expect.stringMatching(/vocoder of "seed-voice" was trained on mel preset "seed" but the acoustic model of "tiny" predicts mel preset "nvidia" \(.*nFft: 1024 vs 2048/),
      });
      // Griffin-Lim always uses the acoustic model's own preset.
      await expect(runSynthesis({ text: 'Hello.', voiceDir: voice, vocoder: 'griffin-lim', waveglowFromDir: other, ...fast }, () => undefined)).resolves.toBeTruthy();
      // A manifest whose WaveGlow hop disagrees with its own preset is invalid.
      const incoherent = await copyVoice(voice, path.join(tmp, 'incoherent'));
      await editVoiceJson(incoherent, (j) => (j.waveglow.hopLength = 275));
      await expect(loadVoiceBundle(incoherent)).rejects.toMatchObject({ code: 'voice-invalid', message: expect.stringMatching(/waveglow\.hopLength 275 ≠ melPreset\.hopLength 256/) });
    });

    it('a voice without WaveGlow asked for WaveGlow', async () => {
      const noWg = await copyVoice(voice, path.join(tmp, 'no-wg'), ['waveglow.onnx']);
      await editVoiceJson(noWg, (j) => (j.waveglow = null));
      await expect(runSynthesis({ text: 'Hello.', voiceDir: noWg, vocoder: 'waveglow' }, () => undefined)).rejects.toMatchObject({ code: 'no-waveglow' });
      const a = await runAudition({ text: 'Hello.', voiceDir: noWg, ...fast });
      expect(a.waveglow).toBeNull();
      expect(a.waveglowNote).toMatch(/no WaveGlow/);
    });
  });

  it('writes a WAV the dataset tools read back as mono 16-bit at 22050 Hz', async () => {
    const { encodeWav } = await import('../../../shared/dsp/wav');
    const res = await runSynthesis({ text: 'Short.', voiceDir: voice, ...fast }, () => undefined);
    const wav = decodeWav(encodeWav(res.audio, res.sampleRate));
    expect(wav.sampleRate).toBe(22050);
    expect(wav.channels.length).toBe(1);
    expect(wav.bitsPerSample).toBe(16);
  });
});
