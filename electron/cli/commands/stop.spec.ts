import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../../shared/dsp/wav';
import { utterance } from '../../services/prepare/testSignals';

// Real `formant` processes: paths the OS will not create folders in, and Ctrl-C/SIGTERM, end a command
// promptly with one line (item 3 of issue 17: /proc paths spun forever and ignored SIGTERM).
const root = path.resolve(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'formant.mjs');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-stop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, CI: '1' };

function recordings(dir: string, n: number): string {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `take${i}.wav`), encodeWav(utterance({ rate: 22050, seconds: 2, seed: 300 + i }).samples, 22050));
  return dir;
}

/** Starts `formant args…`, sends `sig` once `ready()` holds, and resolves with how it ended and how long that took. */
async function stopWhen(args: string[], ready: () => boolean, sig: NodeJS.Signals) {
  const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  const t0 = Date.now();
  while (!ready() && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 25));
  const sent = Date.now();
  child.kill(sig);
  const end = await ended;
  return { ...end, ms: Date.now() - sent, stderr };
}

describe('formant stops: no endless retry, Ctrl-C/SIGTERM within a second', () => {
  it.skipIf(process.platform !== 'linux')('import into /proc/self/x: one line naming the folder, exit 1, at once', () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [bin, 'import', '/proc/self/x', recordings(path.join(tmp, 'one'), 1)], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('formant: cannot create the folder /proc/self/x: the system does not allow folders there\n');
    expect(Date.now() - t0).toBeLessThan(15_000); // node start-up + tsx; it used to spin forever
  });

  it('SIGTERM mid-import: the import stops cleanly within a second, says so in one line, and a re-run resumes', async () => {
    const src = recordings(path.join(tmp, 'many'), 12);
    const proj = path.join(tmp, 'proj');
    const wavs = path.join(proj, 'wavs');
    const r = await stopWhen(['import', proj, src], () => existsSync(wavs) && readdirSync(wavs).some((f) => f.endsWith('.wav')), 'SIGTERM');
    expect(r.ms).toBeLessThan(1500);
    expect(r.code ?? 128 + os.constants.signals[r.signal!]).toBeGreaterThanOrEqual(130);
    const lines = r.stderr.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^formant: (import cancelled.*|stopped before the work could finish cleanly; run the command again to resume)$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const again = spawnSync(process.execPath, [bin, 'import', proj, src], { env, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/ 0 failed/);
    expect(JSON.parse(readFileSync(path.join(proj, 'formant.json'), 'utf8')).clips).toHaveLength(12);
  }, 120_000);

  it.skipIf(process.platform === 'win32')('work stuck in a system call (the manifest is a FIFO nobody writes) still ends within a second of SIGTERM', async () => {
    const proj = path.join(tmp, 'fifo-project');
    mkdirSync(proj, { recursive: true });
    spawnSync('mkfifo', [path.join(proj, 'formant.json')]);
    const src = recordings(path.join(tmp, 'fifo-src'), 1);
    const since = Date.now();
    // Give it time to start and block on the FIFO (tsx start-up is a few seconds on a busy machine).
    const r = await stopWhen(['import', proj, src], () => Date.now() - since > 6000, 'SIGTERM');
    expect(r.ms).toBeLessThan(1500);
    expect(r.signal ?? r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(['formant: stopped before the work could finish cleanly; run the command again to resume']);
  }, 60_000);
});
