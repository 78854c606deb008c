import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../../../shared/dsp/wav';
import { checkoutRoot, findPython } from '../shell/appPaths';

/**
 * The desktop build finds the trainer: `electron-vite build` puts the main process in out/main, two folders
 * from the repository instead of three, and a packaged app further still; the trainer must be found from there
 * (shell/appPaths.ts). This starts a tiny training through the built runner (out/main/trainer.js) under plain
 * node, then stops it as the app's Stop does: the run must end with a checkpoint and a validation at that step.
 */
const repoRoot = checkoutRoot()!;
const prebuilt = process.env.FORMANT_ELECTRON_VITE_BUILT; // `npm test` builds once (build/test.mjs)
// A lone run builds its own copy, apart from builtWorkers.spec's, which deletes and rebuilds its folder.
const outDir = prebuilt && existsSync(path.join(prebuilt, 'main', 'trainer.js')) ? prebuilt : path.join(repoRoot, 'test-output', 'electron-vite-build-trainer');
const mainDir = path.join(outDir, 'main');

function torchPython(): string | null {
  const py = findPython();
  if (!py) return null;
  return spawnSync(py.path, ['-c', 'import torch, soundfile'], { stdio: 'ignore' }).status === 0 ? py.path : null;
}
const python = torchPython();

/** Five short clips of a voiced tone (mono 16-bit 22050 Hz) with their transcripts, in the LJSpeech layout. */
function tinyDataset(dir: string): void {
  mkdirSync(path.join(dir, 'wavs'), { recursive: true });
  const texts = ['hello there.', 'a cat sat.', 'one two three.', 'it is late.', 'yes, indeed.'];
  const rate = 22050;
  texts.forEach((text, i) => {
    const x = new Float32Array(Math.round(0.7 * rate));
    for (let n = 0; n < x.length; n++) {
      const t = n / rate;
      let v = 0;
      for (let h = 1; h <= 5; h++) v += Math.sin(2 * Math.PI * (110 + 20 * i) * h * t) / h;
      x[n] = 0.3 * v * Math.sin((Math.PI * n) / x.length);
    }
    writeFileSync(path.join(dir, 'wavs', `T-${i}.wav`), encodeWav(x, rate));
  });
  writeFileSync(path.join(dir, 'metadata.csv'), texts.map((t, i) => `T-${i}|${t}|${t}`).join('\n') + '\n');
  // What an export writes beside metadata.csv: the text through the english cleaners (these are already clean).
  writeFileSync(path.join(dir, 'cleaned.csv'), texts.map((t, i) => `T-${i}|${t}`).join('\n') + '\n');
}

describe.skipIf(!python)('training through the electron-vite build', () => {
  beforeAll(() => {
    if (existsSync(path.join(mainDir, 'trainer.js')) && outDir === prebuilt) return;
    rmSync(outDir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 180_000,
    });
    if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  }, 200_000);

  it('finds resources/trainer and Python from out/main, trains, and stops with a checkpoint and a validation', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-built-trainer-'));
    try {
      tinyDataset(path.join(tmp, 'dataset'));
      const probe = path.join(repoRoot, 'electron', 'services', 'training', 'testing', 'builtTrainerProbe.mjs');
      const r = spawnSync(process.execPath, [probe, mainDir, path.join(tmp, 'dataset'), path.join(tmp, 'run')], {
        cwd: tmp, // not the repository: the built code must not lean on the working directory
        encoding: 'utf8',
        timeout: 90_000,
        env: { ...process.env, NODE_OPTIONS: '', FORMANT_TRAINER_DIR: '' }, // no loader flags, no path override
      });
      const line = r.stdout.trim().split('\n').pop() ?? '';
      expect(r.status, `${line}\n${r.stderr.slice(-2000)}`).toBe(0);
      const out = JSON.parse(line);
      expect(out.runDir).toBe(path.join(tmp, 'run'));
      expect(out.events.slice(0, 3)).toContain('start');
      expect(out.ended).toBe('cancelled');
      const at = out.done?.step;
      expect(at).toBeGreaterThanOrEqual(2);
      expect(out.done).toMatchObject({ stopped: 'SIGTERM', checkpoint: out.checkpoint.path });
      expect(out.checkpoint.step).toBe(at);
      expect(existsSync(out.checkpoint.path)).toBe(true);
      expect(out.validation).toBe(at);
      expect(out.events.indexOf('stopping')).toBeLessThan(out.events.indexOf('checkpoint'));
      expect(out.message).toMatch(new RegExp(`training stopped at step ${at} with a checkpoint and a validation`));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
