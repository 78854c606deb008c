import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { findPython } from '../../services/shell/appPaths';

// `formant train` stopped by Ctrl-C or SIGTERM keeps its work: it says "stopping — saving a checkpoint", the trainer
// ends the step it is on with a checkpoint and a validation, and the command ends with one line naming them.
const root = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'formant.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-train-stop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const py = findPython();
const hasTorch = py !== null && spawnSync(py.path, ['-c', 'import torch, soundfile'], { stdio: 'ignore' }).status === 0;

function dataset(dir: string): string {
  mkdirSync(path.join(dir, 'wavs'), { recursive: true });
  const texts = ['hello there.', 'a cat sat.', 'one two three.', 'it is late.', 'yes, indeed.'];
  texts.forEach((_, i) => {
    const x = new Float32Array(15_000).map((_, n) => 0.3 * Math.sin((2 * Math.PI * (120 + 15 * i) * n) / 22050) * Math.sin((Math.PI * n) / 15_000));
    writeFileSync(path.join(dir, 'wavs', `S-${i}.wav`), encodeWav(x, 22050));
  });
  writeFileSync(path.join(dir, 'metadata.csv'), texts.map((t, i) => `S-${i}|${t}|${t}`).join('\n') + '\n');
  return dir;
}

describe.skipIf(!hasTorch)('formant train: Ctrl-C keeps the work', () => {
  it('SIGINT after step 2: "stopping — saving a checkpoint", a checkpoint and a validation at that step, exit 130', async () => {
    const run = path.join(tmp, 'run');
    const args = ['train', dataset(path.join(tmp, 'ds')), '--out', run, '--model', 'tacotron2', '--config', 'tiny', '--steps', '100000', '--set', 'checkpoint_every=100000', '--set', 'validate_every=100000', '--json'];
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      // the signal only to `formant`, as a terminal's Ctrl-C would reach it (the trainer is told by it)
      const lines = stdout.split('\n').slice(0, -1); // complete lines only
      const stepped = lines.some((l) => l.startsWith('{"event":"step"') && (JSON.parse(l) as { step: number }).step >= 2);
      if (!sent && stepped) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    const events = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { event: string; step?: number; path?: string; message?: string; stopped?: string });
    expect(sent, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    expect(events.find((e) => e.event === 'stopping')?.message).toBe('stopping — saving a checkpoint');
    const done = events.find((e) => e.event === 'done')!;
    const checkpoint = events.find((e) => e.event === 'checkpoint')!;
    expect(done).toMatchObject({ stopped: 'SIGTERM', step: checkpoint.step });
    expect(existsSync(checkpoint.path!)).toBe(true);
    expect(events.find((e) => e.event === 'validation')?.step).toBe(done.step);
    expect(stderr.trim().split('\n').at(-1)).toBe(`formant: training stopped at step ${done.step} with a checkpoint and a validation (${checkpoint.path}); resume to continue`);
  }, 150_000);
});
