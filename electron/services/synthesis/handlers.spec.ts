import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceEvent } from '../../../shared/contract/rpc';
import { SentenceItem, SynthesisJobResult, synthesisMethods } from '../../../shared/contract/synthesis';
import { decodeWav } from '../../../shared/dsp/wav';
import { configureShell, shellConfig } from '../shell/shellConfig';
import { synthesisHandlers as h } from './handlers';
import { copyVoice, tinyVoice } from './testing/tinyVoice';
import { synthesisWorker } from './workerClient';
import { cancelJob } from '../jobs';

// The API as the renderer sees it: the synthesize job's events, the voice list, audition, saveWav.
const tiny = tinyVoice();
const d = tiny.skip ? describe.skip : describe;
let tmp: string;
let saved: ReturnType<typeof shellConfig>;
const events: ServiceEvent[] = [];
const ctx = { emit: (e: ServiceEvent) => void events.push(e) };

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-synth-api-'));
  saved = { ...shellConfig() };
  process.env.FORMANT_VOICES_DIR = path.join(tmp, 'resources-voices');
  configureShell({ dataDir: path.join(tmp, 'data') });
});
afterAll(async () => {
  delete process.env.FORMANT_VOICES_DIR;
  configureShell(saved);
  await synthesisWorker().terminate();
  await fs.rm(tmp, { recursive: true, force: true });
});

function jobEnd(jobId: string): Promise<Extract<ServiceEvent, { type: 'job' }>> {
  return new Promise((resolve) => {
    const t = setInterval(() => {
      const e = events.find((x) => x.type === 'job' && x.jobId === jobId && x.state !== 'running');
      if (e && e.type === 'job') {
        clearInterval(t);
        resolve(e);
      }
    }, 20);
  });
}

describe('synthesis API without a voice', () => {
  it('lists no voices and explains how to get one when synthesizing', async () => {
    const r = await h['synthesis.voices']!({ projectDir: undefined }, ctx);
    expect(r.voices).toEqual([]);
    const { jobId } = await h['synthesis.synthesize']!(synthesisMethods['synthesis.synthesize'].input.parse({ text: 'Hello.' }), ctx);
    const end = await jobEnd(jobId);
    expect(end.state).toBe('failed');
    expect(end.error?.code).toBe('no-voice');
    expect(end.error?.message).toMatch(/no voice is installed.*formant export-voice/);
  }, 60_000);

  it('refuses empty text before starting a job', async () => {
    await expect(h['synthesis.synthesize']!(synthesisMethods['synthesis.synthesize'].input.parse({ text: '   ' }), ctx)).rejects.toMatchObject({ code: 'empty-text' });
  });
});

d('synthesis API with the tiny voice as the embedded demo voice', () => {
  beforeAll(async () => {
    await copyVoice(tiny.dir!, path.join(tmp, 'resources-voices', 'demo'));
  });

  it('lists the demo voice as the default', async () => {
    const r = await h['synthesis.voices']!({ projectDir: undefined }, ctx);
    expect(r.voices).toHaveLength(1);
    expect(r.voices[0]).toMatchObject({ name: 'tiny', source: 'embedded', isDefault: true, hasWaveglow: true, melPreset: 'nvidia', error: null });
    expect(synthesisMethods['synthesis.voices'].output.safeParse(r).success).toBe(true);
  });

  it('runs a synthesize job: per-sentence items in order with streamed audio, WAV written atomically', async () => {
    const out = path.join(tmp, 'out', 'speech.wav');
    const input = synthesisMethods['synthesis.synthesize'].input.parse({ text: 'First sentence. Second one, with a clause. Third!', outPath: out, seed: 2 });
    const { jobId } = await h['synthesis.synthesize']!(input, ctx);
    const end = await jobEnd(jobId);
    expect(end.state).toBe('done');
    const items = events.filter((e) => e.type === 'job' && e.jobId === jobId && e.item).map((e) => SentenceItem.parse((e as { item: unknown }).item));
    expect(items.map((i) => i.index)).toEqual([0, 1, 2]);
    expect(items.map((i) => i.text)).toEqual(['First sentence.', 'Second one, with a clause.', 'Third!']);
    expect(items.every((i) => i.wavBase64 && decodeWav(Buffer.from(i.wavBase64, 'base64')).sampleRate === 22050)).toBe(true);
    const result = SynthesisJobResult.parse(end.result);
    expect(result.outPath).toBe(out);
    expect(result.wavBase64).toBeNull();
    const wav = decodeWav(await fs.readFile(out));
    expect(wav.channels.length).toBe(1);
    expect(wav.bitsPerSample).toBe(16);
    expect(wav.channels[0].length / 22050).toBeCloseTo(result.durationSeconds, 3);
    expect((await fs.readdir(path.dirname(out))).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 120_000);

  it('auditions one sentence through both vocoders and finds the matching dataset clip', async () => {
    const project = path.join(tmp, 'project');
    await fs.mkdir(project, { recursive: true });
    const now = new Date().toISOString();
    await fs.writeFile(
      path.join(project, 'formant.json'),
      JSON.stringify({
        schemaVersion: 1, name: 'p', createdAt: now, updatedAt: now, settings: {},
        sources: [{ id: 's', originalPath: '/x.wav', storedPath: 'sources/s.wav', sha256: 'a'.repeat(64), bytes: 1, importedAt: now, durationSeconds: 2, sampleRate: 22050, channels: 1, codec: 'pcm_s16le', status: 'ok' }],
        clips: [{ id: 'c1', sourceId: 's', sourceStart: 0, sourceEnd: 1, wav: 'wavs/c1.wav', durationSeconds: 2, text: 'It cost $5.', status: 'transcribed', createdAt: now, updatedAt: now }],
      }),
    );
    const input = synthesisMethods['synthesis.audition'].input.parse({ text: 'it cost five dollars', projectDir: project });
    const r = synthesisMethods['synthesis.audition'].output.parse(await h['synthesis.audition']!(input, ctx));
    expect(r.mel.rows).toBe(80);
    expect(r.mel.data.length).toBe(80 * r.mel.cols);
    expect(r.alignment.data.length).toBe(r.alignment.rows * r.alignment.cols);
    expect(r.waveglow).not.toBeNull();
    expect(r.recording).toMatchObject({ clipId: 'c1', path: 'wavs/c1.wav' });
  }, 120_000);

  it('saves a WAV and refuses bytes that are not one', async () => {
    const wav = await fs.readFile(path.join(tmp, 'out', 'speech.wav'));
    const target = path.join(tmp, 'saved.wav');
    expect(await h['synthesis.saveWav']!({ wavBase64: wav.toString('base64'), outPath: target }, ctx)).toEqual({ outPath: target, bytes: wav.length });
    await expect(h['synthesis.saveWav']!({ wavBase64: Buffer.from('nope').toString('base64'), outPath: target }, ctx)).rejects.toThrow();
    expect((await fs.readFile(target)).equals(wav)).toBe(true);
  });

  // An untrained decoder runs to its step limit (10 frames per symbol): a 40-symbol sentence is a 400-frame mel,
  // which WaveGlow renders in 128-frame windows.
  const toLimit = { vocoder: 'waveglow', stopThreshold: 0.9999, retry: false, seed: 4 };
  const jobEvents = (jobId: string) => events.filter((e): e is Extract<ServiceEvent, { type: 'job' }> => e.type === 'job' && e.jobId === jobId);

  it("moves the job's progress with each WaveGlow window, never backwards", async () => {
    const input = synthesisMethods['synthesis.synthesize'].input.parse({ text: 'The birch canoe slid on the smooth planks.', ...toLimit });
    const { jobId } = await h['synthesis.synthesize']!(input, ctx);
    expect((await jobEnd(jobId)).state).toBe('done');
    const windows = jobEvents(jobId).filter((e) => e.state === 'running' && !e.item && /vocoding/.test(e.message ?? ''));
    expect(windows.length).toBeGreaterThanOrEqual(3);
    expect(windows.map((e) => e.message)).toContain('sentence 1/1 · vocoding 100%');
    const progress = jobEvents(jobId).filter((e) => e.state === 'running' && e.progress != null).map((e) => e.progress!);
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  }, 120_000);

  it('stops a WaveGlow synthesis on cancel between windows', async () => {
    const text = Array.from({ length: 8 }, (_, i) => `Sentence number ${i + 1} is long enough for several windows.`).join(' ');
    const { jobId } = await h['synthesis.synthesize']!(synthesisMethods['synthesis.synthesize'].input.parse({ text, ...toLimit }), ctx);
    await new Promise<void>((resolve) => {
      const t = setInterval(() => jobEvents(jobId).some((e) => /vocoding/.test(e.message ?? '')) && (clearInterval(t), resolve()), 5);
    });
    expect(cancelJob(jobId)).toBe(true);
    const end = await jobEnd(jobId);
    expect(end.state).toBe('cancelled');
    expect(jobEvents(jobId).filter((e) => e.item).length).toBeLessThan(8);
  }, 120_000);
});
