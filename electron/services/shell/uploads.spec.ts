import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { STAGING_DIR, discardStagingBatch, receiveUpload, safeRelativePath } from './uploads';

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

  describe('does not follow links planted in the staging folder', () => {
    let dir: string;
    let outside: string;
    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-upload-'));
      outside = path.join(dir, 'outside');
      await fs.mkdir(path.join(dir, 'proj', STAGING_DIR, 'b1'), { recursive: true });
      await fs.mkdir(outside);
      await fs.writeFile(path.join(outside, 'precious.txt'), 'keep');
    });
    afterEach(() => fs.rm(dir, { recursive: true, force: true }));
    const proj = () => path.join(dir, 'proj');
    const upload = (batch: string, name: string, text: string) => receiveUpload(proj(), batch, name, Readable.from([Buffer.from(text)]), null);

    it('replaces a link at the file name instead of writing through it', async () => {
      await fs.symlink(path.join(outside, 'precious.txt'), path.join(proj(), STAGING_DIR, 'b1', 'one.wav'));
      const saved = await upload('b1', 'one.wav', 'RIFFnew');
      expect(await fs.readFile(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep');
      expect((await fs.lstat(saved)).isSymbolicLink()).toBe(false);
      expect(await fs.readFile(saved, 'utf8')).toBe('RIFFnew');
    });

    it('discarding a batch never follows a link out of the project', async () => {
      await fs.mkdir(path.join(outside, 'Documents'));
      await fs.writeFile(path.join(outside, 'Documents', 'keep.txt'), 'keep');
      await fs.symlink(outside, path.join(proj(), STAGING_DIR, 'linked'));
      await discardStagingBatch(proj(), 'linked');
      expect(await fs.readdir(path.join(proj(), STAGING_DIR))).toEqual(['b1']);
      await fs.rm(path.join(proj(), STAGING_DIR), { recursive: true });
      await fs.symlink(outside, path.join(proj(), STAGING_DIR));
      await expect(discardStagingBatch(proj(), 'Documents')).rejects.toMatchObject({ code: 'forbidden' });
      expect(await fs.readFile(path.join(outside, 'Documents', 'keep.txt'), 'utf8')).toBe('keep');
      await fs.rm(path.join(proj(), STAGING_DIR));
      await fs.mkdir(path.join(proj(), STAGING_DIR, 'done', 'take'), { recursive: true });
      await discardStagingBatch(proj(), 'done');
      expect(await fs.readdir(path.join(proj(), STAGING_DIR))).toEqual([]);
    });

    it('refuses a linked folder inside the batch, a linked batch and a linked .staging, creating nothing outside', async () => {
      await fs.symlink(outside, path.join(proj(), STAGING_DIR, 'b1', 'take'));
      await expect(upload('b1', 'take/sub/a.wav', 'x')).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/symbolic link/) });
      await fs.symlink(outside, path.join(proj(), STAGING_DIR, 'b2'));
      await expect(upload('b2', 'a.wav', 'x')).rejects.toMatchObject({ code: 'forbidden' });
      await fs.rm(path.join(proj(), STAGING_DIR), { recursive: true });
      await fs.symlink(outside, path.join(proj(), STAGING_DIR));
      await expect(upload('b3', 'a.wav', 'x')).rejects.toMatchObject({ code: 'forbidden' });
      expect(await fs.readdir(outside)).toEqual(['precious.txt']);
    });
  });

  it('two uploads of the same name at once each write their own temp file; the result is one of them, whole', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-upload-'));
    try {
      // Interleaved chunks: with a shared temp name the two would write into one file.
      const slow = (ch: string) =>
        Readable.from(
          (async function* () {
            for (let i = 0; i < 8; i++) {
              yield Buffer.alloc(4096, ch);
              await new Promise((r) => setTimeout(r, 10));
            }
          })(),
        );
      const [a, b] = await Promise.all([receiveUpload(dir, 'b1', 'same.wav', slow('a'), null), receiveUpload(dir, 'b1', 'same.wav', slow('b'), null)]);
      expect(a).toBe(b);
      const text = await fs.readFile(a, 'utf8');
      expect(text.length).toBe(8 * 4096);
      expect([text.replace(/a/g, ''), text.replace(/b/g, '')]).toContain('');
      expect(await fs.readdir(path.dirname(a))).toEqual(['same.wav']);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
