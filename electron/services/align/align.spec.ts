import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from '../../../shared/dsp/wav';
import { loadManifest } from '../projectStore';
import { acceptSegments } from './acceptSegments';
import { alignSpeech, type EngineSegment } from './alignEngine';
import { bandedDtw } from './bandedDtw';
import { generatedRecording, GENERATED_SENTENCES } from './generatedRecording';
import { readLjSpeech, sharedDataDir, type JoinedRecording } from './joinedRecording';
import { runAlignment } from './runAlignment';
import { discardRun, loadPendingRun, loadRun } from './alignRuns';
import { snapBoundaries } from './snapToPauses';
import { transcriptUnits, type TextUnit } from './transcriptUnits';
import { joinUtterances } from './joinedRecording';
import { main } from '../../cli/formant';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const units = (texts: string[]): TextUnit[] => texts.map((text, i) => ({ text, charStart: 0, charEnd: text.length, sentence: i }));

/** Segment k's cuts lie in the true pauses around utterance `u`, and its speech matches. */
function rightPlace(rec: JoinedRecording, s: EngineSegment, u: number): boolean {
  const before = u === 0 ? { start: 0, end: rec.utterances[0]!.speech.start } : rec.pauses[u - 1]!;
  const after = u === rec.utterances.length - 1 ? { start: rec.utterances[u]!.speech.end, end: Infinity } : rec.pauses[u]!;
  const inside = (t: number, p: { start: number; end: number }) => t >= p.start - 0.02 && t <= p.end + 0.02;
  return inside(s.cutStart, before) && inside(s.cutEnd, after);
}

describe('align engine on a generated recording (espeak voice ≠ aligner voice)', () => {
  let rec: JoinedRecording;
  beforeAll(async () => {
    rec = await generatedRecording();
  }, 60_000);

  it('puts every boundary inside the true pause and every text on its sentence', async () => {
    const r = await alignSpeech(rec.samples, rec.sampleRate, units(GENERATED_SENTENCES));
    expect(r.segments.map((s) => s.text)).toEqual(GENERATED_SENTENCES);
    r.segments.forEach((s, k) => expect(rightPlace(rec, s, k), `segment ${k} ${s.cutStart}..${s.cutEnd}`).toBe(true));
    expect(r.unmatchedSpeech).toEqual([]);
    // Speech edges within 250 ms of the truth (the truth uses a per-utterance silence threshold), nothing flagged.
    r.segments.forEach((s, k) => {
      expect(Math.abs(s.start - rec.utterances[k]!.speech.start)).toBeLessThan(0.25);
      expect(Math.abs(s.end - rec.utterances[k]!.speech.end)).toBeLessThan(0.25);
      expect(s.confidence).toBeGreaterThan(0.5);
    });
  }, 60_000);

  it.each([5, 0])('keeps the damage local when sentence %i is missing from the text (an ad-lib in the audio)', async (deleted) => {
    const texts = GENERATED_SENTENCES.filter((_, i) => i !== deleted);
    const r = await alignSpeech(rec.samples, rec.sampleRate, units(texts));
    const wrong = r.segments.filter((s) => !rightPlace(rec, s, s.sentence >= deleted ? s.sentence + 1 : s.sentence));
    expect(wrong.length).toBeLessThanOrEqual(1);
    // The segment that swallowed the extra speech is flagged, the others are not.
    for (const s of wrong) expect(s.confidence).toBeLessThan(0.5);
    expect(r.segments.filter((s) => s.confidence < 0.5).length).toBeLessThanOrEqual(2);
  }, 60_000);

  it('flags speech before the first sentence of the text as unmatched, and leaves the clips as they are', async () => {
    const texts = GENERATED_SENTENCES.slice(1); // the recording says sentence 0 first, the text does not
    const r = await alignSpeech(rec.samples, rec.sampleRate, units(texts));
    const extra = rec.utterances[0]!.speech;
    expect(r.unmatchedSpeech).toHaveLength(1);
    const u = r.unmatchedSpeech[0]!;
    expect(u.reason).toBe('before-transcript');
    expect(u.start).toBeLessThanOrEqual(extra.start + 0.1);
    expect(u.end).toBeGreaterThanOrEqual(extra.end - 0.1);
    expect(u.speechSeconds).toBeGreaterThan(0.5 * (extra.end - extra.start));
    // Every sentence of the text is still its own clip, in its place, and none reaches into the extra speech.
    expect(r.segments.map((s) => s.text)).toEqual(texts);
    r.segments.forEach((s, k) => expect(rightPlace(rec, s, k + 1), `segment ${k} ${s.cutStart}..${s.cutEnd}`).toBe(true));
    expect(r.segments[0]!.cutStart).toBeGreaterThanOrEqual(u.end);
    r.segments.forEach((s) => expect(s.confidence).toBeGreaterThan(0.5));
  }, 60_000);

  it('does not let the first clip swallow an extra sentence said just before the text (a short pause between them)', async () => {
    // A long extra sentence, then the text: the warping path alone stretches the first sentence over both.
    const extra = 'But which must certainly have come from the study of the twelfth or even the eleventh century manuscripts.';
    const texts = GENERATED_SENTENCES.slice(0, 4);
    const lead = await generatedRecording([extra, ...texts], 5);
    const r = await alignSpeech(lead.samples, lead.sampleRate, units(texts));
    expect(r.unmatchedSpeech.map((u) => u.reason)).toEqual(['before-transcript']);
    expect(r.unmatchedSpeech[0]!.start).toBeLessThanOrEqual(lead.utterances[0]!.speech.start + 0.1);
    expect(r.unmatchedSpeech[0]!.end).toBeGreaterThanOrEqual(lead.utterances[0]!.speech.end - 0.1);
    r.segments.forEach((s, k) => expect(rightPlace(lead, s, k + 1), `segment ${k} ${s.cutStart}..${s.cutEnd}`).toBe(true));
    r.segments.forEach((s) => expect(s.confidence).toBeGreaterThan(0.5));
  }, 60_000);

  it('flags speech after the last sentence of the text as unmatched', async () => {
    const texts = GENERATED_SENTENCES.slice(0, -1);
    const r = await alignSpeech(rec.samples, rec.sampleRate, units(texts));
    const extra = rec.utterances[rec.utterances.length - 1]!.speech;
    expect(r.unmatchedSpeech.map((u) => u.reason)).toEqual(['after-transcript']);
    expect(r.unmatchedSpeech[0]!.start).toBeLessThanOrEqual(extra.start + 0.1);
    expect(r.unmatchedSpeech[0]!.end).toBeGreaterThanOrEqual(extra.end - 0.1);
    r.segments.forEach((s, k) => expect(rightPlace(rec, s, k), `segment ${k}`).toBe(true));
  }, 60_000);

  it('flags a sentence of the text that is not in the audio and aligns the rest', async () => {
    const extra = 'Meanwhile the price of copper rose sharply in distant markets overseas.';
    const texts = [...GENERATED_SENTENCES.slice(0, 7), extra, ...GENERATED_SENTENCES.slice(7)];
    const r = await alignSpeech(rec.samples, rec.sampleRate, units(texts));
    const ghost = r.segments[7]!;
    expect(ghost.text).toBe(extra);
    expect(ghost.confidence).toBeLessThan(0.5);
    const others = r.segments.filter((_, k) => k !== 7);
    const wrong = others.filter((s, k) => !rightPlace(rec, s, k));
    expect(wrong.length).toBeLessThanOrEqual(1);
  }, 60_000);
});

describe('align engine on real speech (../shared/data/lj-small)', async () => {
  const utts = await readLjSpeech(path.join(sharedDataDir(repoRoot), 'lj-small'), 14);
  it.skipIf(!utts)('places the boundaries of 14 joined LJSpeech utterances in their pauses', async () => {
    const rec = joinUtterances(utts!, 22050, { seed: 11 });
    const r = await alignSpeech(rec.samples, rec.sampleRate, units(rec.utterances.map((u) => u.text)));
    const right = r.segments.filter((s, k) => rightPlace(rec, s, k)).length;
    expect(right).toBe(rec.utterances.length);
  }, 90_000);
});

describe('banded DTW', () => {
  it('recovers a known warp (every frame of the second half said twice as slowly)', () => {
    const dim = 3;
    const n = 60;
    const synth = new Float32Array(n * dim);
    for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) synth[i * dim + k] = Math.sin(i * 0.7 + k * 1.3) + 0.05 * i;
    const map: number[] = [];
    for (let i = 0; i < n; i++) map.push(...(i < 30 ? [i] : [i, i]));
    const real = new Float32Array(map.length * dim);
    map.forEach((i, j) => real.set(synth.subarray(i * dim, i * dim + dim), j * dim));
    const p = bandedDtw({ synth: { data: synth, dim, frames: n }, s0: 0, s1: n, real: { data: real, dim, frames: map.length }, r0: 0, r1: map.length, slope: 1.5, radius: 20 });
    for (let i = 0; i < n; i++) {
      expect(map[p.realFrom[i]!]).toBe(i);
      expect(map[p.realTo[i]!]).toBe(i);
    }
    expect(p.cost).toBeCloseTo(0, 6);
  });
});

describe('pause snapping', () => {
  const runs = [
    { start: 0.5, end: 3.0 },
    { start: 3.2, end: 6.0 }, // a comma breath at 3.0–3.2
    { start: 7.0, end: 9.0 }, // the sentence break at 6.0–7.0
  ];
  it('moves a boundary into the nearest pause, longer pauses winning close calls', () => {
    const [b] = snapBoundaries([{ start: 5.2, end: 5.5 }], runs, 9.5);
    expect(b!.inPause).toBe(true);
    expect(b!.cut).toBeCloseTo(6.5, 6);
  });
  it('leaves a boundary with no pause within reach where the path put it, marked', () => {
    const [b] = snapBoundaries([{ start: 1.4, end: 1.6 }], runs, 9.5);
    expect(b!.inPause).toBe(false);
    expect(b!.cut).toBeCloseTo(1.5, 6);
  });
});

describe('bad input', () => {
  it('rejects an empty transcript or one without words', () => {
    expect(() => transcriptUnits('  \n ')).toThrow(/transcript is empty/);
    expect(() => transcriptUnits('… — !')).toThrow(/no words/);
  });
  it('rejects a transcript that cannot be this recording (far too short for it)', async () => {
    const rec = await generatedRecording(GENERATED_SENTENCES.slice(0, 6), 2);
    await expect(alignSpeech(rec.samples, rec.sampleRate, units(['Hello.']))).rejects.toMatchObject({ code: 'mismatch', message: /not in the transcript/ });
  }, 30_000);
  it('rejects a silent recording', async () => {
    await expect(alignSpeech(new Float32Array(22050 * 3), 22050, units(['Hello there.']))).rejects.toMatchObject({ code: 'no-speech' });
  });
});

describe('runAlignment + acceptSegments (what formant align does)', () => {
  it('copies the recording untouched and adds one clip per sentence: mono 16-bit, padded, with text and confidence', async () => {
    const rec = await generatedRecording(GENERATED_SENTENCES.slice(0, 4), 9);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-align-'));
    try {
      const audio = path.join(dir, 'chapter 1.wav');
      const wavBytes = encodeWav(rec.samples, rec.sampleRate);
      await fs.writeFile(audio, wavBytes);
      const transcript = path.join(dir, 'chapter1.txt');
      await fs.writeFile(transcript, GENERATED_SENTENCES.slice(0, 4).join(' ') + '\n');
      const project = path.join(dir, 'project');
      const { run } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
      expect(run.segments.map((s) => s.text)).toEqual(GENERATED_SENTENCES.slice(0, 4));
      expect(run.unmatchedSpeech).toEqual([]);
      // Before accepting, nothing is in sources/ or the manifest: the recording waits under align/, the run is pending.
      expect((await loadManifest(project)).sources).toEqual([]);
      expect(await fs.readdir(path.join(project, 'sources')).catch(() => [])).toEqual([]);
      expect(run.sourceId).toBe('');
      expect(new Uint8Array(await fs.readFile(path.join(project, run.sourcePath)))).toEqual(wavBytes);
      expect((await loadPendingRun(project))?.runId).toBe(run.runId);
      // A second alignment replaces the pending one (same recording: one waiting copy), and discarding forgets it.
      const { run: second } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
      expect(second.sourcePath).toBe(run.sourcePath);
      expect((await loadPendingRun(project))?.runId).toBe(second.runId);
      await expect(loadRun(project, run.runId)).rejects.toMatchObject({ code: 'not-found' });
      await discardRun(project, second.runId);
      expect(await loadPendingRun(project)).toBe(null);
      expect(await fs.readdir(path.join(project, 'align', 'recordings'))).toEqual([]);
      expect((await loadManifest(project)).sources).toEqual([]);
      const { run: third } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
      expect(third.segments).toEqual(run.segments);
      const first = await acceptSegments(project, third.runId, undefined);
      expect(await loadPendingRun(project)).toBe(null);
      expect(await fs.readdir(path.join(project, 'align', 'recordings'))).toEqual([]);
      const again = await acceptSegments(project, third.runId, undefined); // streamed from sources/, replaces
      expect(again.clips).toEqual(first.clips);
      const m = await loadManifest(project);
      expect(m.clips).toHaveLength(4);
      expect(m.sources).toHaveLength(1);
      const source = m.sources[0]!;
      expect(source.originalPath).toBe(path.resolve(audio));
      expect(source.id).toBe('chapter_1');
      expect(new Uint8Array(await fs.readFile(path.join(project, source.storedPath)))).toEqual(wavBytes);
      for (const [k, c] of m.clips.entries()) {
        expect(c.text).toBe(GENERATED_SENTENCES[k]);
        expect(c.origin).toBe('align');
        expect(c.confidence).toBeGreaterThan(0.5);
        const wav = decodeWav(new Uint8Array(await fs.readFile(path.join(project, c.wav))));
        expect(wav.sampleRate).toBe(22050);
        expect(wav.channels).toHaveLength(1);
        expect(wav.bitsPerSample).toBe(16);
        const lead = wav.channels[0]!.subarray(0, 11025);
        expect(lead.every((x) => x === 0)).toBe(true);
        expect(wav.channels[0]![11025 + 2205]).not.toBe(undefined);
      }
      await expect(runAlignment({ projectDir: project, audioPath: audio, transcript: 'word '.repeat(2000) })).rejects.toMatchObject({ code: 'mismatch' });
      expect(await fs.readdir(path.join(project, 'align', 'recordings'))).toEqual([]); // a failed run leaves no waiting copy
      await expect(runAlignment({ projectDir: project, audioPath: path.join(dir, 'missing.wav'), transcript: 'Hello.' })).rejects.toMatchObject({ code: 'not-found' });
      await fs.writeFile(path.join(dir, 'empty.wav'), '');
      await expect(runAlignment({ projectDir: project, audioPath: path.join(dir, 'empty.wav'), transcript: 'Hello.' })).rejects.toMatchObject({ code: 'bad-audio', message: /empty file/ });
      // The CLI: a clear message and a failing exit code for an empty transcript, and nothing added.
      await fs.writeFile(path.join(dir, 'empty.txt'), '\n  \n');
      const err: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
      let code: number;
      try {
        code = await main(['node', 'formant', 'align', project, audio, path.join(dir, 'empty.txt')]);
      } finally {
        process.stderr.write = write;
      }
      expect(code).toBe(1);
      expect(err.join('')).toMatch(/transcript is empty/);
      expect((await loadManifest(project)).clips).toHaveLength(4);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
