import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// bench:voice's recognizer must give a file the same transcript in every run and whatever file came before it:
// sox dithered with a fresh seed per run and pocketsphinx carried its cepstral mean across files, and the same
// recordings scored 28.5–30.1 % WER in three runs, as large as some of the changes the benchmark is there to judge.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wavDir = path.resolve(root, '..', 'shared', 'data', 'lj-small', 'wavs');
const py = [process.env.FORMANT_PYTHON, path.join(root, '.venv', 'bin', 'python')].find(
  (p) => p && existsSync(p) && spawnSync(p, ['-c', 'import pocketsphinx'], { stdio: 'ignore' }).status === 0,
);

function recognize(wavs: string[]): Record<string, string> {
  const r = spawnSync(py!, [path.join(root, 'bench', 'voice_recognize.py')], { input: JSON.stringify(wavs), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, string>;
}

describe.skipIf(!py || !existsSync(wavDir))('bench:voice recognizer', () => {
  it('transcribes a file the same in every run and in any order', () => {
    const wavs = ['LJ001-0001', 'LJ001-0002', 'LJ001-0003', 'LJ001-0007'].map((id) => path.join(wavDir, `${id}.wav`));
    const forward = recognize(wavs);
    const again = recognize(wavs);
    const reversed = recognize([...wavs].reverse());
    expect(Object.values(forward).every((h) => h.split(' ').length > 3)).toBe(true);
    expect(again).toEqual(forward);
    expect(reversed).toEqual(forward);
  }, 120_000);
});
