import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDir } from './fileUtils';
import { openOrCreateProject } from './projectStore';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-makedir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('makeDir: mkdir -p that always ends', () => {
  it('creates the missing levels, is a no-op on an existing folder, and survives racing itself', async () => {
    const deep = path.join(tmp, 'a', 'b', 'c');
    await makeDir(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeDir(deep);
    await Promise.all(Array.from({ length: 8 }, (_, i) => makeDir(path.join(tmp, 'race', 'x', String(i % 2)))));
    expect(statSync(path.join(tmp, 'race', 'x', '1')).isDirectory()).toBe(true);
  });

  it('refuses a path through a file, naming it', async () => {
    const file = path.join(tmp, 'file');
    writeFileSync(file, 'x');
    await expect(makeDir(path.join(file, 'sub'))).rejects.toMatchObject({ code: 'not-a-folder', message: `cannot create the folder ${path.join(file, 'sub')}: ${file} is a file, not a folder` });
  });

  it.skipIf(process.platform !== 'linux')('fails at once where the OS allows no folders (/proc), also through the project store (web mode answered never)', async () => {
    const t0 = Date.now();
    await expect(makeDir('/proc/self/x/y')).rejects.toMatchObject({ code: 'io', message: 'cannot create the folder /proc/self/x: the system does not allow folders there' });
    await expect(openOrCreateProject('/proc/self/x')).rejects.toMatchObject({ code: 'io' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
