import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { STAGING_DIR, receiveUpload, safeRelativePath } from './uploads';

describe('uploads', () => {
  it('keeps folder structure but refuses escapes', () => {
    expect(safeRelativePath('take1/a.wav')).toBe(path.join('take1', 'a.wav'));
    expect(safeRelativePath('/a//b\\c.wav')).toBe(path.join('a', 'b', 'c.wav'));
    expect(() => safeRelativePath('../x.wav')).toThrow(/unsafe/);
    expect(() => safeRelativePath('a/../../x.wav')).toThrow(/unsafe/);
    expect(() => safeRelativePath('C:/x.wav')).toThrow(/unsafe/);
    expect(() => safeRelativePath('')).toThrow(/empty/);
  });

  it('writes into the staging batch and leaves no partial file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-upload-'));
    try {
      const saved = await receiveUpload(dir, 'b1', 'take/a.wav', Readable.from([Buffer.from('RIFF'), Buffer.from('data')]), 8);
      expect(saved).toBe(path.join(dir, STAGING_DIR, 'b1', 'take', 'a.wav'));
      expect(await fs.readFile(saved, 'utf8')).toBe('RIFFdata');
      await expect(receiveUpload(dir, '../b', 'a.wav', Readable.from([]), 0)).rejects.toMatchObject({ code: 'bad-input' });
      const failing = new Readable({ read() { this.destroy(new Error('connection reset')); } });
      await expect(receiveUpload(dir, 'b2', 'c.wav', failing, null)).rejects.toThrow(/reset/);
      expect(await fs.readdir(path.join(dir, STAGING_DIR, 'b2'))).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
