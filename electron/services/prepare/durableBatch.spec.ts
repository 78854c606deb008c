import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DurableBatch } from './durableBatch';

describe('DurableBatch', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-durable-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes and copies whole files, replacing the old one, with no temp file left behind', async () => {
    const b = new DurableBatch();
    const target = path.join(dir, 'a.wav');
    await fs.writeFile(target, 'old');
    await b.writeFile(target, new TextEncoder().encode('new bytes'));
    await fs.writeFile(path.join(dir, 'src.txt'), 'copied');
    await b.copyFile(path.join(dir, 'src.txt'), path.join(dir, 'b.txt'));
    await b.sync();
    expect(await fs.readFile(target, 'utf8')).toBe('new bytes');
    expect(await fs.readFile(path.join(dir, 'b.txt'), 'utf8')).toBe('copied');
    expect((await fs.readdir(dir)).sort()).toEqual(['a.wav', 'b.txt', 'src.txt']);
  });

  it('a failed copy keeps the old file and removes its temp file', async () => {
    const b = new DurableBatch();
    const target = path.join(dir, 'keep.wav');
    await fs.writeFile(target, 'original');
    await expect(b.copyFile(path.join(dir, 'missing.wav'), target)).rejects.toThrow(/ENOENT/);
    expect(await fs.readFile(target, 'utf8')).toBe('original');
    expect(await fs.readdir(dir)).toEqual(['keep.wav']);
    await b.sync(); // nothing pending for the failed file
    expect(existsSync(target)).toBe(true);
  });
});
