import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav, parseWavHeader } from '../../../shared/dsp/wav';
import { createApiDispatcher } from '../handlers';
import { createProject, loadManifest } from '../projectStore';
import { utterance } from '../prepare/testSignals';
import { saveTake } from './saveTake';

const PROMPT = 'It was the best of times, it was the worst of times.';

/** A take as the browser sends it: 48 kHz mono 16-bit, 0.6 s before and after the speech. */
function take(opts: { seconds?: number; amp?: number; noiseAmp?: number; seed?: number } = {}): Uint8Array {
  const u = utterance({ rate: 48000, seconds: opts.seconds ?? 3, amp: opts.amp ?? 0.3, noiseAmp: opts.noiseAmp ?? 0.0003, seed: opts.seed ?? 1 });
  return encodeWav(u.samples, 48000);
}

describe('record.saveTake', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-record-'));
    await createProject(dir, { name: 'rec' });
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('keeps the take untouched in sources/ and adds a trimmed, normalized, padded 22050 Hz clip with the prompt as its text', async () => {
    const bytes = take();
    const r = await saveTake(dir, { text: PROMPT, wav: bytes });
    const m = await loadManifest(dir);
    expect(m.clips).toHaveLength(1);
    const clip = m.clips[0]!;
    expect(clip).toMatchObject({ text: PROMPT, status: 'transcribed', origin: 'record' });
    expect(clip.qa?.flags).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.recordedSampleRate).toBe(48000);
    const src = m.sources.find((s) => s.id === clip.sourceId)!;
    expect(new Uint8Array(await fs.readFile(path.join(dir, src.storedPath)))).toEqual(bytes);
    expect(src.storedPath.startsWith('sources/')).toBe(true);
    const out = new Uint8Array(await fs.readFile(path.join(dir, clip.wav)));
    const h = parseWavHeader(out);
    expect([h.sampleRate, h.channelCount, h.bitsPerSample]).toEqual([22050, 1, 16]);
    const x = decodeWav(out).channels[0]!;
    const pad = Math.round(0.5 * 22050);
    expect(x.subarray(0, pad).every((v) => v === 0)).toBe(true);
    expect(x.subarray(x.length - pad).every((v) => v === 0)).toBe(true);
    // Trimmed: 0.6 s of silence each side became the margins (≤ 0.1 s) plus the padding.
    expect(clip.durationSeconds).toBeLessThan(3 + 2 * 0.5 + 0.25);
    expect(clip.durationSeconds).toBeGreaterThan(2.8 + 2 * 0.5);
  });

  it('flags a clipped take and a noisy one at once, in plain words', async () => {
    const loud = take({ amp: 3 }); // saturates: encodeWav clamps to full scale
    const r = await saveTake(dir, { text: PROMPT, wav: loud });
    expect(r.qa.flags).toContain('clipping');
    expect(r.problems.join(' ')).toMatch(/Too loud: the peaks clipped/);
    const noisy = await saveTake(dir, { text: 'The sea is everything.', wav: take({ noiseAmp: 0.03, seed: 2 }) });
    expect(noisy.qa.flags).toContain('low-snr');
    expect(noisy.problems.join(' ')).toMatch(/Noisy: the speech is only [\d.]+ dB above the background/);
    // Stored on the clips too: the Dataset view shows the same flags.
    const m = await loadManifest(dir);
    expect(m.clips.map((c) => c.qa?.flags.includes('clipping'))).toEqual([true, false]);
  });

  it('a retake replaces the earlier take in the dataset; both originals stay in sources/', async () => {
    const first = await saveTake(dir, { text: PROMPT, wav: take({ amp: 3 }) });
    const second = await saveTake(dir, { text: PROMPT, wav: take({ seed: 3 }), replaces: first.clip.id });
    expect(second.replaced).toBe(first.clip.id);
    const m = await loadManifest(dir);
    expect(m.clips.map((c) => c.id)).toEqual([second.clip.id]);
    expect(m.sources).toHaveLength(2);
    await expect(fs.access(path.join(dir, first.clip.wav))).rejects.toThrow();
    expect((await fs.readdir(path.join(dir, 'sources'))).sort()).toEqual(m.sources.map((s) => path.basename(s.storedPath)).sort());
  });

  it('refuses bytes that are not a WAV, and a silent take, leaving nothing behind', async () => {
    await expect(saveTake(dir, { text: PROMPT, wav: new TextEncoder().encode('OggS not a wav at all, sorry') })).rejects.toThrow(/not a readable WAV file/);
    await expect(saveTake(dir, { text: PROMPT, wav: encodeWav(new Float32Array(48000 * 2), 48000) })).rejects.toThrow(/No speech was heard in this take/);
    const m = await loadManifest(dir);
    expect(m.clips).toEqual([]);
    expect(m.sources).toEqual([]);
    expect((await fs.readdir(path.join(dir, 'sources'))).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('is validated at the boundary like every call (empty prompt, damaged base64)', async () => {
    const dispatch = createApiDispatcher();
    const ctx = { emit: () => undefined };
    const empty = await dispatch('record.saveTake', { projectDir: dir, text: '   ', wavBase64: 'UklGRg==' }, ctx).catch((e) => e);
    expect(String((empty as Error).message)).toMatch(/the prompt is empty/);
    const bad = await dispatch('record.saveTake', { projectDir: dir, text: PROMPT, wavBase64: '%%%not base64' }, ctx).catch((e) => e);
    expect(String((bad as Error).message)).toMatch(/did not arrive intact/);
    const ok = (await dispatch('record.saveTake', { projectDir: dir, text: PROMPT, wavBase64: Buffer.from(take()).toString('base64') }, ctx)) as { clip: { text: string } };
    expect(ok.clip.text).toBe(PROMPT);
  });
});
