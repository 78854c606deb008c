import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../formant';

// `formant train` / `formant export-voice` choosing a model, as a person types them: help, refusals and exit codes
// (everything here is decided before Python runs).
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-train-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ds = path.join(tmp, 'ds');
mkdirSync(ds);
writeFileSync(path.join(ds, 'metadata.csv'), 'X-1|text|text\n');
const run = path.join(tmp, 'run');
mkdirSync(path.join(run, 'checkpoints'), { recursive: true });
writeFileSync(path.join(run, 'checkpoints', 'fastpitch_00000010.pt'), 'only listed');
writeFileSync(path.join(run, 'checkpoints', 'tacotron2_00000020.pt'), 'only listed');

let stderr = '';
let stdout = '';
async function formant(...args: string[]): Promise<number> {
  stderr = '';
  stdout = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  try {
    return await main(['node', 'formant', ...args]);
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

describe('formant train --model', () => {
  it('says in its help when to pick the duration model and when Tacotron-2', async () => {
    expect(await formant('train', '--help')).toBe(0);
    const help = (stdout + stderr).replace(/\s+/g, ' ');
    expect(help).toMatch(/fastpitch: the duration model: pick it on a CPU/);
    expect(help).toMatch(/tacotron2: the seed’s attention model: pick it on a GPU/);
  });

  it('refuses an unknown model and bad combinations with exit code 2 and what to do instead', async () => {
    expect(await formant('train', ds, '--out', path.join(tmp, 'r1'), '--model', 'vits')).toBe(2);
    expect(stderr).toMatch(/--model vits: expected fastpitch, tacotron2 or waveglow/);
    expect(await formant('train', ds, '--out', path.join(tmp, 'r1'), '--model', 'fastpitch', '--gta', ds)).toBe(2);
    expect(stderr).toMatch(/--gta: .*use it with --model waveglow \(FastPitch trains on the recorded mels\)/);
    // a run with both acoustic models: resume must be told which
    expect(await formant('train', ds, '--out', run, '--resume')).toBe(2);
    expect(stderr).toMatch(/holds both Tacotron-2 and FastPitch checkpoints; say which to resume/);
    expect(await formant('train', ds, '--out', path.join(tmp, 'empty'), '--resume')).toBe(2);
    expect(stderr).toMatch(/no checkpoints to resume/);
  });
});

describe('formant export-voice --acoustic', () => {
  it('asks which acoustic model to export from a run that holds both, and refuses an unknown one', async () => {
    expect(await formant('export-voice', run, '--out', path.join(tmp, 'v'))).toBe(2);
    expect(stderr).toMatch(/say which to export \(--acoustic fastpitch or --acoustic tacotron2\)/);
    expect(await formant('export-voice', run, '--out', path.join(tmp, 'v'), '--acoustic', 'vits')).toBe(2);
    expect(stderr).toMatch(/--acoustic vits: expected fastpitch or tacotron2/);
  });
});
