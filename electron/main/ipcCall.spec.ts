import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDispatcher } from '../services/shell/dispatch';
import { grantDropped, ipcCall, isTrustedSender } from './ipcCall';

// The IPC channel's checks, without Electron: who may call, which names, which inputs.
describe('ipcCall', () => {
  const appUrl = 'file:///opt/formant/out/renderer/index.html';
  const ctx = { emit: () => undefined };
  const dispatch = createDispatcher({ 'jobs.cancel': async ({ jobId }) => ({ cancelled: jobId === 'j1' }) });

  it('trusts only the app page', () => {
    expect(isTrustedSender(appUrl, appUrl)).toBe(true);
    expect(isTrustedSender(appUrl + '#/dataset', appUrl)).toBe(true);
    expect(isTrustedSender('file:///tmp/evil.html', appUrl)).toBe(false);
    expect(isTrustedSender('https://example.com/', appUrl)).toBe(false);
    expect(isTrustedSender(undefined, appUrl)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/x', 'http://localhost:5173/')).toBe(true);
  });

  it('returns results and errors as values', async () => {
    expect(await ipcCall(dispatch, appUrl, appUrl, 'jobs.cancel', { jobId: 'j1' }, ctx)).toEqual({ ok: true, result: { cancelled: true } });
    expect(await ipcCall(dispatch, 'https://evil/', appUrl, 'jobs.cancel', { jobId: 'j1' }, ctx)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ipcCall(dispatch, appUrl, appUrl, 'constructor', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await ipcCall(dispatch, appUrl, appUrl, { toString: () => 'x' }, {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await ipcCall(dispatch, appUrl, appUrl, 'jobs.cancel', { jobId: '' }, ctx)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
  });

  it('reads only files the user dropped or chose: a page naming another path is refused', async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-ipc-'));
    try {
      const dropped = path.join(tmp, 'dropped');
      await fs.mkdir(dropped);
      const imports = createDispatcher({ 'dataset.import': async () => ({ jobId: 'j' }) });
      const call = (paths: string[]) => ipcCall(imports, appUrl, appUrl, 'dataset.import', { projectDir: path.join(tmp, 'p'), paths }, ctx);
      expect(await call(['/etc/passwd'])).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/drop or choose the file instead/) } });
      expect(await call([dropped])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // Only the app page's preload can grant, and only absolute paths.
      expect(grantDropped('https://evil/', appUrl, dropped)).toBe(false);
      expect(grantDropped(appUrl, appUrl, 'relative/x.wav')).toBe(false);
      expect(await call([dropped])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(grantDropped(appUrl, appUrl, dropped)).toBe(true);
      expect(await call([dropped, path.join(dropped, 'take.wav')])).toEqual({ ok: true, result: { jobId: 'j' } });
      expect(await call([dropped, '/etc/passwd'])).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});
