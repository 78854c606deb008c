import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { encodeWav } from '../../../../shared/dsp/wav';
import { findPython, trainerEnv } from '../../training/pythonEnv';
import { trainerDir } from '../../training/trainerPaths';
import { importRecordings } from '../importRecordings';
import { exportLjspeech } from '../ljspeechExport';
import { utterance } from '../testSignals';

/**
 * Test fixtures for the alignment report (specs and e2e): a project imported from speech-like test audio and
 * exported as the app does, and a REAL report written by the Python trainer (2 FastPitch steps on that export).
 */

export function hasTorch(): boolean {
  const py = findPython();
  return !!py && spawnSync(py.path, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** `<projectDir>` with clips take1…take<n> ("Take number i."), exported beside it to `<projectDir>-ljspeech` (an export never goes inside its project); returns the export folder. */
export async function exportedProject(projectDir: string, n: number, scratch: string): Promise<string> {
  const rec = path.join(scratch, `rec-${path.basename(projectDir)}`);
  await fs.mkdir(rec, { recursive: true });
  for (let i = 1; i <= n; i++) {
    await fs.writeFile(path.join(rec, `take${i}.wav`), encodeWav(utterance({ rate: 22050, seconds: 1.2, seed: i }).samples, 22050));
    await fs.writeFile(path.join(rec, `take${i}.txt`), `Take number ${i}.`);
  }
  const imported = await importRecordings(projectDir, [rec]);
  if (imported.failed) throw new Error(`fixture import failed: ${JSON.stringify(imported.files)}`);
  const out = `${projectDir}-ljspeech`;
  await exportLjspeech(projectDir, out, { valFraction: 0.2, seed: 1 });
  return out;
}

/**
 * Trains 2 FastPitch steps on `datasetDir` into `runDir` (validation at step 2 writes alignment_report.json), then
 * marks `flag` as the trainer does for a settled outlier. Two steps cannot tell a wrong transcript from a right one,
 * so the flag itself is set here; everything else (ids, losses, z-scores, format) is the trainer's own output.
 */
export async function trainedReport(datasetDir: string, runDir: string, flag?: string): Promise<string> {
  const py = findPython();
  if (!py) throw new Error('no Python for the trainer');
  const args = ['-m', 'formant_trainer', 'train', datasetDir, '--out', runDir, '--model', 'fastpitch', '--config', 'tiny', '--steps', '2', '--set', 'validate_every=2', '--set', 'fp_bin_loss_start=0', '--set', 'cpu_threads=1'];
  const r = spawnSync(py.path, args, { cwd: trainerDir(), env: trainerEnv(), encoding: 'utf8', timeout: 180_000 });
  const file = path.join(runDir, 'alignment_report.json');
  if (r.status !== 0) throw new Error(`trainer failed (${r.status}): ${r.stderr.slice(-2000)}`);
  if (flag) {
    const report = JSON.parse(await fs.readFile(file, 'utf8')) as { settled: boolean; flagged: string[]; clips: { id: string; z: number; flagged: boolean }[] };
    const clip = report.clips.find((c) => c.id === flag);
    if (!clip) throw new Error(`${flag} is not in the trainer's report (${report.clips.map((c) => c.id).join(', ')})`);
    for (const c of report.clips) c.flagged = c === clip;
    clip.z = Math.max(clip.z, 6);
    report.settled = true;
    report.flagged = [flag];
    await fs.writeFile(file, JSON.stringify(report, null, 1));
  }
  return file;
}
