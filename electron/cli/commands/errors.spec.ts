import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../../../shared/dsp/npy';
import { encodeWav } from '../../../shared/dsp/wav';
import { utterance } from '../../services/prepare/testSignals';

// Real `formant` processes given what careless or hostile users type (issue 17, item 7): each ends with
// exactly one line on stderr that names the problem, no stack trace, and exit code 2 (usage) or 1 (failure).
const root = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'formant.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-errors-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...p: string[]) => path.join(tmp, ...p);

function formant(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: tmp, env: { ...process.env, CI: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  writeFileSync(at('file'), 'not a folder\n');
  mkdirSync(at('folder'));
  writeFileSync(at('take.wav'), encodeWav(utterance({ rate: 22050, seconds: 1.5, seed: 7 }).samples, 22050));
  writeFileSync(at('take.txt'), 'A short take.');
  writeFileSync(at('mel.npy'), writeNpy(new Float32Array(80 * 4).fill(-5), [80, 4]));
  writeFileSync(at('empty-mel.npy'), writeNpy(new Float32Array(0), [80, 0]));
});

// [command line, exit code, the one line it must print]
const cases: [string[], 1 | 2, RegExp][] = [
  // a project folder that is a file (was ENOTDIR with a stack trace)
  [['info', 'file'], 1, /^formant: file is a file, not a project folder$/],
  [['qa', 'file'], 1, /^formant: file is a file, not a project folder$/],
  [['export', 'file', '--out', 'out1'], 1, /^formant: file is a file, not a project folder$/],
  [['import', 'file', 'take.wav'], 1, /^formant: cannot create the folder .*file: .*file is a file, not a folder$/],
  [['align', 'file', 'take.wav', 'take.txt'], 1, /file is a file, not a (project )?folder$/],
  // an output file that is a folder (was EISDIR with a stack trace, after the work was done)
  [['export', 'folder', '--out', 'file'], 2, /^formant: --out file: .*file is a file, not a folder$/],
  [['mel', 'take.wav', '-o', 'folder'], 2, /^formant: -o folder is a folder; name the file to write, e\.g\. folder\/mel\.npy$/],
  [['vocode', 'mel.npy', '-o', 'folder'], 2, /^formant: -o folder is a folder; name the file to write/],
  [['say', 'Hello.', '-o', 'folder'], 2, /^formant: -o folder is a folder; name the file to write/],
  // option values that were silently replaced or unbounded
  [['import', 'p', 'take.wav', '--jobs', '0'], 2, /^formant: --jobs must be a whole number from 1 to 32 \(got "0"\)$/],
  [['import', 'p', 'take.wav', '--jobs', 'abc'], 2, /^formant: --jobs must be a whole number from 1 to 32 \(got "abc"\)$/],
  [['import', 'p', 'take.wav', '--jobs', '1e7'], 2, /^formant: --jobs must be a whole number from 1 to 32 \(got "1e7"\)$/],
  [['import', 'p', 'take.wav', '--sample-rate', 'abc'], 2, /^formant: --sample-rate must be a whole number from 8000 to 96000 \(got "abc"\)$/],
  [['import', 'p', 'take.wav', '--min-clip', '5', '--max-clip', '2'], 2, /^formant: --min-clip \(5 s\) is longer than --max-clip \(2 s\)$/],
  [['export', 'folder', '--out', 'out2', '--seed', 'abc'], 2, /^formant: --seed must be a whole number from 0 to 4294967295 \(got "abc"\)$/],
  [['export', 'folder', '--out', 'out2', '--val-fraction', '2'], 2, /^formant: --val-fraction must be a fraction from 0 to 0\.5 \(got "2"\)$/],
  [['vocode', 'mel.npy', '-o', 'x.wav', '--iters', '1e9'], 2, /^formant: --iters must be a whole number from 1 to 1000 \(got "1e9"\)$/],
  [['vocode', 'mel.npy', '-o', 'x.wav', '--seed', 'abc'], 2, /^formant: --seed must be a whole number/],
  [['vocode', 'empty-mel.npy', '-o', 'x.wav'], 2, /^formant: empty-mel\.npy has no frames \(shape 80 × 0\): nothing to turn into audio$/],
  [['say', 'Hello.', '-o', 'x.wav', '--seed', 'abc'], 2, /^formant: --seed must be a whole number/],
  [['train', 'folder', '--out', 'run', '--steps', 'abc'], 2, /^formant: --steps must be a whole number/],
  [['text', 'Hello.', '--max-chars', '0'], 2, /^formant: --max-chars must be a whole number from 1/],
  // usage errors commander finds: the problem and where the usage is, not the whole help after it
  [['import'], 2, /^formant: missing required argument 'project-dir'; see formant import --help$/],
  [['info', 'folder', '--bogus'], 2, /^formant: unknown option '--bogus'; see formant info --help$/],
  [['info', 'a', 'b'], 2, /^formant: too many arguments for 'info'\. Expected 1 argument but got 2; see formant info --help$/],
  [['voice', 'add-waveglow', 'folder'], 2, /^formant: required option '--waveglow <file-or-dir>' not specified; see formant voice add-waveglow --help$/],
  [['impot', 'p'], 2, /^formant: unknown command 'impot' \(Did you mean import\?\); see formant --help$/],
];

describe('formant: one line for every error, no stack trace, exit 2 for usage and 1 for failure', () => {
  it.each(cases)('formant %j → exit %i', async (args, code, line) => {
    const r = await formant(args);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(line)]);
    expect(r.code).toBe(code);
  }, 60_000);

  it('a 0-frame mel writes no WAV', async () => {
    await formant(['vocode', 'empty-mel.npy', '-o', 'never.wav']);
    expect(existsSync(at('never.wav'))).toBe(false);
  }, 60_000);

  it('output to a reader that has gone (`| head -0`) ends quietly with status 0, no EPIPE stack trace', async () => {
    const child = spawn(process.execPath, [bin, 'text', 'Hello. '.repeat(2000)], { cwd: tmp, env: { ...process.env, CI: '1' } });
    child.stdout.destroy(); // the reader closes before the first write, as `head -0` does
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);

  it('web on a port in use says so in one line (exit 1)', async () => {
    const first = spawn(process.execPath, [bin, 'web', '--port', '0', '--no-build', '--data-dir', at('web-data')], { env: { ...process.env, CI: '1' } });
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let out = '';
        first.stdout.on('data', (d) => {
          out += d;
          const m = /127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        first.on('close', () => reject(new Error(`the first server ended: ${out}`)));
      });
      const r = await formant(['web', '--port', port, '--no-build', '--data-dir', at('web-data')]);
      expect(r.stderr.trim().split('\n')).toEqual([`formant: port ${port} on 127.0.0.1 is already in use (another formant web?); choose another with --port, or --port 0 for a free one`]);
      expect(r.code).toBe(1);
    } finally {
      first.kill('SIGINT');
    }
  }, 60_000);
});
