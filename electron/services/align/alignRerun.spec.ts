import { spawn, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { loadManifest } from '../projectStore';
import { exportLjspeech } from '../prepare/ljspeechExport';
import { acceptSegments } from './acceptSegments';
import { loadRun, ORPHAN_RECORDING_MS, RECORDINGS_DIR } from './alignRuns';
import { GENERATED_SENTENCES, generatedRecording } from './generatedRecording';
import { runAlignment } from './runAlignment';

// Issue 17, item 4: `formant align` run twice duplicated every clip (the same audio could land in train
// and val), and a killed align left its copy of the recording behind.
const root = path.resolve(__dirname, '..', '..', '..');
const formant = (...args: string[]) => spawnSync(process.execPath, [path.join(root, 'bin', 'formant.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
const SENTENCES = GENERATED_SENTENCES.slice(0, 4);
let dir: string;
let audio: string;
let transcript: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-realign-'));
  const rec = await generatedRecording(SENTENCES, 9);
  audio = path.join(dir, 'chapter.wav');
  await fs.writeFile(audio, encodeWav(rec.samples, rec.sampleRate));
  transcript = path.join(dir, 'chapter.txt');
  await fs.writeFile(transcript, SENTENCES.join(' ') + '\n');
}, 60_000);
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const overlapping = (clips: { sourceStart: number; sourceEnd: number }[]) =>
  clips.filter((a, i) => clips.some((b, j) => i !== j && a.sourceStart < b.sourceEnd - 0.05 && a.sourceEnd > b.sourceStart + 0.05));

describe('aligning the same recording again', () => {
  it('formant align twice (two real processes): the same clips, none added, no audio in two clips', async () => {
    const project = path.join(dir, 'twice');
    const first = formant('align', project, audio, transcript);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/→ 4 clips/);
    const before = (await loadManifest(project)).clips;
    const second = formant('align', project, audio, transcript);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/→ 0 clips \(0\.0 min\), 4 already clips from an earlier run \(kept\)/);
    const after = (await loadManifest(project)).clips;
    expect(after).toEqual(before);
    expect(overlapping(after)).toEqual([]);
    expect(await fs.readdir(path.join(project, RECORDINGS_DIR))).toEqual([]);
    // An export puts each sentence in exactly one of train/val.
    const out = path.join(dir, 'twice-export');
    await exportLjspeech(project, out, { valFraction: 0.5, seed: 1 });
    const meta = (await fs.readFile(path.join(out, 'metadata.csv'), 'utf8')).trim().split('\n');
    expect(meta.map((l) => l.split('|')[1])).toEqual(SENTENCES);
  }, 120_000);

  it('a segment whose audio an earlier clip holds (edited text there) is skipped, not added twice; the earlier edit stays', async () => {
    const project = path.join(dir, 'edited');
    const { run } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
    await acceptSegments(project, run.runId, undefined);
    const { updateManifest } = await import('../projectStore');
    await updateManifest(project, (m) => {
      m.clips[1]!.text = 'Every evening the keeper climbed two hundred steps to light the lantern.';
    });
    const { run: again } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
    const r = await acceptSegments(project, again.runId, undefined);
    expect(r.clips).toEqual([]);
    expect(r.kept).toHaveLength(3);
    expect(r.skipped).toEqual([{ index: 1, reason: expect.stringMatching(/its audio is already in clip \S+ \(an earlier alignment of this recording\)/) }]);
    const m = await loadManifest(project);
    expect(m.clips).toHaveLength(4);
    expect(m.clips[1]!.text).toMatch(/lantern\.$/);
    expect(overlapping(m.clips)).toEqual([]);
  }, 120_000);
});

describe('an align killed before it saved its run', () => {
  it('kill -9 of a real formant align midway: the re-run finishes with 4 clips and nothing left in align/recordings', async () => {
    const project = path.join(dir, 'kill9');
    const child = spawn(process.execPath, [path.join(root, 'bin', 'formant.mjs'), 'align', project, audio, transcript], { stdio: 'ignore', env: { ...process.env, CI: '1' } });
    const waiting = path.join(project, RECORDINGS_DIR);
    const t0 = Date.now();
    // Killed once its copy of the recording is there (it is analysing), or after 20 s at the latest.
    while (Date.now() - t0 < 20_000 && !(await fs.readdir(waiting).catch(() => [])).length) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const rerun = formant('align', project, audio, transcript);
    expect(rerun.status).toBe(0);
    const m = await loadManifest(project);
    expect(m.clips.map((c) => c.text)).toEqual(SENTENCES);
    expect(await fs.readdir(waiting)).toEqual([]);
    expect((await fs.readdir(path.join(project, 'wavs'))).sort()).toEqual(m.clips.map((c) => `${c.id}.wav`).sort());
  }, 120_000);

  it('resumes with the copy it left (not copied twice), and the accept removes it', async () => {
    const project = path.join(dir, 'killed');
    // What kill -9 during the analysis leaves: the waiting copy, no run.
    const { run } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
    const leftover = path.join(project, run.sourcePath);
    await fs.rm(path.join(project, 'align', `${run.runId}.json`));
    await fs.rm(path.join(project, 'align', 'pending.json'));
    const { run: rerun } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
    expect(rerun.sourcePath).toBe(run.sourcePath);
    expect(await fs.readdir(path.dirname(leftover))).toEqual([path.basename(leftover)]);
    await acceptSegments(project, rerun.runId, undefined);
    expect(await fs.readdir(path.join(project, RECORDINGS_DIR))).toEqual([]);
    expect((await loadManifest(project)).clips).toHaveLength(4);
  }, 120_000);

  it('an old leftover of another recording (and a killed copy’s temp file) is removed by the next align', async () => {
    const project = path.join(dir, 'orphans');
    const orphanDir = path.join(project, RECORDINGS_DIR, '0123456789abcdef');
    await fs.mkdir(orphanDir, { recursive: true });
    const orphan = path.join(orphanDir, 'other.wav');
    await fs.writeFile(orphan, encodeWav(new Float32Array(22050), 22050));
    const old = new Date(Date.now() - ORPHAN_RECORDING_MS - 60_000);
    await fs.utimes(orphan, old, old);
    const temp = path.join(orphanDir, '.other.wav.tmp-999999-0badc0de'); // pid 999999 is not running
    await fs.writeFile(temp, 'half a copy');
    await fs.utimes(temp, old, old);
    const { run } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
    await expect(fs.access(orphanDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await loadRun(project, run.runId)).sourcePath.startsWith(RECORDINGS_DIR)).toBe(true);
  }, 120_000);
});

describe('segments the aligner could not place', () => {
  it('confidence ≤ 0.05 becomes a clip marked untranscribed (text kept for review), left out of the export', async () => {
    const project = path.join(dir, 'unsure');
    const { run } = await runAlignment({ projectDir: project, audioPath: audio, transcriptPath: transcript });
    const edited = run.segments.map((s, i) => (i === 2 ? { ...s, confidence: 0.02 } : s));
    const r = await acceptSegments(project, run.runId, edited);
    const m = await loadManifest(project);
    const unsure = m.clips.find((c) => c.id === r.forReview[0])!;
    expect(r.forReview).toHaveLength(1);
    expect(unsure.status).toBe('untranscribed');
    expect(unsure.text).toBe(SENTENCES[2]);
    expect(m.clips.filter((c) => c.status === 'transcribed')).toHaveLength(3);
    const out = path.join(dir, 'unsure-export');
    const ex = await exportLjspeech(project, out, { valFraction: 0, seed: 1 });
    expect(ex.exported).toBe(3);
    expect(await fs.readFile(path.join(out, 'metadata.csv'), 'utf8')).not.toContain(SENTENCES[2]!.slice(0, 20));
  }, 120_000);
});
