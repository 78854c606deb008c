import { isIgnorable, readDrop } from './droppedFiles';

/** A DataTransfer as the page sees it, without a browser. */
function fakeTransfer(files: { name: string; rel?: string }[], entries = false): DataTransfer {
  const fs = files.map((f) => Object.assign(new Blob(['x']), { name: f.name, webkitRelativePath: f.rel ?? '' }) as unknown as File);
  return { files: fs, items: fs.map(() => ({ kind: 'file', webkitGetAsEntry: () => (entries ? {} : null) })) } as unknown as DataTransfer;
}

describe('dropped files', () => {
  it('ignores hidden files and OS litter', () => {
    expect(isIgnorable('.DS_Store')).toBe(true);
    expect(isIgnorable('take/._take1.wav')).toBe(true);
    expect(isIgnorable('__MACOSX/take1.wav')).toBe(true);
    expect(isIgnorable('Thumbs.db')).toBe(true);
    expect(isIgnorable('take/take1.wav')).toBe(false);
  });

  it('uses real paths when every file has one (Electron)', async () => {
    const d = await readDrop(fakeTransfer([{ name: 'a.wav' }, { name: 'b.wav' }]), (f) => `/home/me/${f.name}`);
    expect(d).toEqual({ paths: ['/home/me/a.wav', '/home/me/b.wav'], files: [] });
  });

  it('falls back to File objects with their relative path (web mode, synthetic drops)', async () => {
    const d = await readDrop(fakeTransfer([{ name: 'a.wav', rel: 'session/a.wav' }, { name: 'b.txt' }, { name: '.DS_Store' }]), () => null);
    expect(d.paths).toEqual([]);
    expect(d.files.map((f) => f.relativePath)).toEqual(['session/a.wav', 'b.txt']);
  });
});
