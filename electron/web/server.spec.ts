import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startWebServer, type WebServer } from './server';

/** The web-mode server over real HTTP: token, host and origin checks, the API, media with ranges, uploads. */
describe('web server', () => {
  let tmp: string;
  let server: WebServer;
  const headers = (extra: Record<string, string> = {}) => ({ 'Content-Type': 'application/json', 'X-Formant-Token': server.token, ...extra });
  const post = (method: string, body: unknown, h: Record<string, string> = headers()) => fetch(`${server.url}api/${method}`, { method: 'POST', headers: h, body: JSON.stringify(body) });

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-web-'));
    const rendererDir = path.join(tmp, 'renderer');
    await fs.mkdir(path.join(rendererDir, 'assets'), { recursive: true });
    await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
    await fs.writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    server = await startWebServer({ port: 0, dataDir: path.join(tmp, 'data'), rendererDir, build: false });
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('listens on loopback and trades the URL token for a cookie', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect((await fetch(server.url)).status).toBe(401);
    expect((await fetch(`${server.url}?token=wrong`, { redirect: 'manual' })).status).toBe(401);
    const r = await fetch(server.openUrl, { redirect: 'manual' });
    expect(r.status).toBe(303);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie.startsWith(`formant_token_${server.port}=`)).toBe(true);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(server.url, { headers: { Cookie: cookie.split(';')[0] } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect((await fetch(`${server.url}assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${server.url}assets/../../etc/passwd`)).status).toBe(404);
  });

  it('refuses API calls without the token, from other origins, as forms, or for another Host', async () => {
    expect((await post('app.info', {}, { 'Content-Type': 'application/json' })).status).toBe(401);
    expect((await post('app.info', {}, headers({ Origin: 'http://evil.example' }))).status).toBe(403);
    expect((await post('app.info', {}, headers({ 'Content-Type': 'text/plain' }))).status).toBe(415);
    // fetch() cannot override Host; a DNS-rebinding page would arrive with its own host name.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}api/app.info`, { method: 'POST', headers: { ...headers(), Host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('runs API methods with validated input and stable error codes', async () => {
    const info = await (await post('app.info', {})).json();
    expect(info).toMatchObject({ ok: true, result: { mode: 'web', nativeDialogs: false, dataDir: path.join(tmp, 'data') } });
    const bad = await post('project.open', { dir: 3 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad-input');
    expect((await (await post('no.such', {})).json()).error.code).toBe('unknown-method');
    const relative = await (await post('project.create', { dir: 'relative/dir' })).json();
    expect(relative.error).toMatchObject({ code: 'bad-input' });
    const missing = await post('project.open', { dir: path.join(tmp, 'nothing') });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('no-project');
  });

  it('creates and opens projects, lists them as recent, serves their media with ranges and takes uploads', async () => {
    const dir = path.join(tmp, 'proj');
    const created = await (await post('project.create', { dir, name: 'Proj' })).json();
    expect(created).toMatchObject({ ok: true, result: { name: 'Proj', clips: [] } });
    const recent = await (await post('app.recentProjects', {})).json();
    expect(recent.result.projects[0]).toMatchObject({ dir, name: 'Proj', exists: true });

    await fs.writeFile(path.join(dir, 'wavs', 'a.wav'), Buffer.from('RIFF0123456789'));
    const q = (p: string) => `${server.url}media?project=${encodeURIComponent(dir)}&path=${encodeURIComponent(p)}`;
    const whole = await fetch(q('wavs/a.wav'), { headers: { 'X-Formant-Token': server.token } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const part = await fetch(q('wavs/a.wav'), { headers: { 'X-Formant-Token': server.token, Range: 'bytes=4-7' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('0123');
    expect((await fetch(q('../proj/formant.json'), { headers: { 'X-Formant-Token': server.token } })).status).toBe(200);
    expect((await fetch(q('../data/recent-projects.json'), { headers: { 'X-Formant-Token': server.token } })).status).toBe(403);
    expect((await fetch(q('wavs/a.wav'))).status).toBe(401);
    const notOpen = `${server.url}media?project=${encodeURIComponent(tmp)}&path=renderer/index.html`;
    expect((await fetch(notOpen, { headers: { 'X-Formant-Token': server.token } })).status).toBe(403);

    const up = await fetch(`${server.url}upload?project=${encodeURIComponent(dir)}&batch=b1&name=${encodeURIComponent('take/one.wav')}`, {
      method: 'POST',
      headers: { 'X-Formant-Token': server.token, 'Content-Type': 'application/octet-stream' },
      body: Buffer.from('RIFFxxxx'),
    });
    const upJson = await up.json();
    expect(upJson.result.path).toBe(path.join(dir, '.staging', 'b1', 'take', 'one.wav'));
    expect(await fs.readFile(upJson.result.path, 'utf8')).toBe('RIFFxxxx');
    expect((await (await post('app.discardUploads', { project: dir, batch: 'b1' })).json()).ok).toBe(true);
    await expect(fs.stat(path.join(dir, '.staging', 'b1'))).rejects.toThrow();

    const elsewhere = await fetch(`${server.url}upload?project=${encodeURIComponent(tmp)}&batch=b1&name=x.wav`, {
      method: 'POST',
      headers: { 'X-Formant-Token': server.token },
      body: 'x',
    });
    expect(elsewhere.status).toBe(403);
  });

  it('streams events to subscribers', async () => {
    const ac = new AbortController();
    const res = await fetch(`${server.url}events`, { headers: { 'X-Formant-Token': server.token }, signal: ac.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain(': formant events');
    ac.abort();
  });
});
