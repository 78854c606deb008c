import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { access } from '../services/shell/accessPolicy';
import { handleMediaRequest } from './mediaProtocol';

// Electron's media protocol is plain fetch-API code: exercised here with Request objects.
describe('formant-media protocol', () => {
  let tmp: string;
  const url = (q: Record<string, string>) => `formant-media://media/?${new URLSearchParams(q)}`;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-proto-'));
    await fs.mkdir(path.join(tmp, 'proj', 'wavs'), { recursive: true });
    await fs.writeFile(path.join(tmp, 'proj', 'wavs', 'a.wav'), 'RIFF0123456789');
    await fs.writeFile(path.join(tmp, 'chosen.flac'), 'fLaC');
    await fs.writeFile(path.join(tmp, 'other.wav'), 'RIFF');
    access.grantProject(path.join(tmp, 'proj'));
    access.grantChosen(path.join(tmp, 'chosen.flac'));
  });
  afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

  it('serves project files with ranges and user-chosen files', async () => {
    const r = await handleMediaRequest(new Request(url({ project: path.join(tmp, 'proj'), path: 'wavs/a.wav' }), { headers: { Range: 'bytes=4-5' } }));
    expect(r.status).toBe(206);
    expect(r.headers.get('content-type')).toBe('audio/wav');
    expect(await r.text()).toBe('01');
    const c = await handleMediaRequest(new Request(url({ file: path.join(tmp, 'chosen.flac') })));
    expect(c.status).toBe(200);
    expect(c.headers.get('content-type')).toBe('audio/flac');
  });

  it('refuses everything else', async () => {
    expect((await handleMediaRequest(new Request(url({ project: path.join(tmp, 'proj'), path: '../other.wav' })))).status).toBe(403);
    expect((await handleMediaRequest(new Request(url({ file: path.join(tmp, 'other.wav') })))).status).toBe(403);
    expect((await handleMediaRequest(new Request(url({ project: tmp, path: 'other.wav' })))).status).toBe(403);
    expect((await handleMediaRequest(new Request('formant-media://elsewhere/?file=/etc/passwd'))).status).toBe(404);
    expect((await handleMediaRequest(new Request(url({ project: path.join(tmp, 'proj'), path: 'wavs/a.wav' }), { method: 'POST', body: 'x' }))).status).toBe(400);
  });
});
