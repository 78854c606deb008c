import { createDispatcher } from '../services/shell/dispatch';
import { ipcCall, isTrustedSender } from './ipcCall';

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
});
