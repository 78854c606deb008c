import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentTypeFor, mediaResponse, parseRange } from './mediaResponse';

async function text(r: Awaited<ReturnType<typeof mediaResponse>>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of r.body!) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

describe('media responses', () => {
  it('parses byte ranges the way browsers send them', () => {
    expect(parseRange(undefined, 100)).toBeNull();
    expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('invalid');
    expect(parseRange('bytes=20-10', 100)).toBe('invalid');
    expect(parseRange('bytes=0-1,5-6', 100)).toBe('invalid');
    expect(parseRange('items=0-1', 100)).toBe('invalid');
  });

  it('serves whole files, partial content and 416', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-media-'));
    const f = path.join(dir, 'a.wav');
    await fs.writeFile(f, '0123456789');
    try {
      const whole = await mediaResponse(f, null);
      expect(whole.status).toBe(200);
      expect(whole.headers['Content-Type']).toBe('audio/wav');
      expect(whole.headers['Content-Length']).toBe('10');
      expect(await text(whole)).toBe('0123456789');
      const part = await mediaResponse(f, 'bytes=2-4');
      expect(part.status).toBe(206);
      expect(part.headers['Content-Range']).toBe('bytes 2-4/10');
      expect(await text(part)).toBe('234');
      const bad = await mediaResponse(f, 'bytes=50-');
      expect(bad.status).toBe(416);
      expect(bad.headers['Content-Range']).toBe('bytes */10');
      expect((await mediaResponse(f, null, true)).body).toBeNull();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('names audio types', () => {
    expect(contentTypeFor('x.FLAC')).toBe('audio/flac');
    expect(contentTypeFor('x.mp3')).toBe('audio/mpeg');
    expect(contentTypeFor('x.bin')).toBe('application/octet-stream');
  });
});
