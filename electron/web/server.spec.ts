import { promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startJob } from '../services/jobs';
import { startWebServer, type WebServer } from './server';

/** The web-mode server over real HTTP: token, host and origin checks, the API, media with ranges, uploads. */
describe('web server', () => {
  let tmp: string;
  let server: WebServer;
  const headers = (extra: Record<string, string> = {}) => ({ 'Content-Type': 'application/json', 'X-Formant-Token': server.token, ...extra });
  // Replies are read field by field (Node's fetch types json() as unknown; the page's DOM types say any).
  type AnyJsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
  const post = (method: string, body: unknown, h: Record<string, string> = headers()) =>
    fetch(`${server.url}api/${method}`, { method: 'POST', headers: h, body: JSON.stringify(body) }) as Promise<AnyJsonResponse>;

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
    }) as AnyJsonResponse;
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

  it('replays the events a dropped connection missed, exactly once and in order (Last-Event-ID)', async () => {
    // A real job whose events go out through the server, paced by the test.
    let step!: () => void;
    const a = await subscribe();
    const gate = () => new Promise<void>((r) => (step = r));
    const job = startJob('replay-test', server.publish, async (j) => {
      for (let i = 1; i <= 6; i++) {
        await gate();
        j.progress(i / 10, `step ${i}`);
      }
      await gate();
      return { steps: 6 };
    });
    const mine = (frames: SseFrame[]) => frames.filter((f) => f.data?.jobId === job.jobId);
    const settle = () => new Promise((r) => setTimeout(r, 30));

    // 1. Subscribed (above) before the job started; two steps go through, then the connection drops mid-job.
    step(); await settle(); step(); await settle();
    const before = mine(await a.until((f) => mine(f).length >= 3)); // started + step 1 + step 2
    a.close();
    // 2. Three steps happen while nobody listens.
    for (let i = 0; i < 3; i++) { step(); await settle(); }
    // 3. Reconnect the way EventSource does: Last-Event-ID = the last id seen.
    const b = await subscribe(before.at(-1)!.id);
    step(); await settle(); step();
    await job.done;
    const after = mine(await b.until((f) => mine(f).some((x) => x.data.state === 'done')));
    b.close();

    const all = [...before, ...after];
    expect(all.map((f) => f.data.message)).toEqual(['started', 'step 1', 'step 2', 'step 3', 'step 4', 'step 5', 'step 6', 'done']);
    const seqs = all.map((f) => Number(f.id.split('-').pop()));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);

    // An id from another launch cannot be replayed: the client is told to re-check its jobs.
    const c = await subscribe('0000-5');
    const reset = await c.until((f) => f.some((x) => x.event === 'reset'));
    c.close();
    expect(reset.find((x) => x.event === 'reset')!.data).toEqual({ reason: 'other-session' });
  });

  interface SseFrame { id: string; event: string; data: any }
  async function subscribe(lastEventId?: string) {
    const ac = new AbortController();
    const h: Record<string, string> = { 'X-Formant-Token': server.token };
    if (lastEventId) h['Last-Event-ID'] = lastEventId;
    const res = await fetch(`${server.url}events`, { headers: h, signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    const frames: SseFrame[] = [];
    return {
      close: () => ac.abort(),
      /** Reads until `done(frames)` holds (5 s at most). */
      async until(done: (f: SseFrame[]) => boolean): Promise<SseFrame[]> {
        const deadline = Date.now() + 5000;
        while (!done(frames)) {
          if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(frames)}`);
          const { value, done: end } = await reader.read();
          if (end) break;
          buf += dec.decode(value, { stream: true });
          let k;
          while ((k = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, k);
            buf = buf.slice(k + 2);
            const f: SseFrame = { id: '', event: 'message', data: undefined };
            for (const line of block.split('\n')) {
              const m = /^(\w+): ?(.*)$/.exec(line);
              if (!m) continue;
              if (m[1] === 'id') f.id = m[2];
              else if (m[1] === 'event') f.event = m[2];
              else if (m[1] === 'data') f.data = JSON.parse(m[2]);
            }
            if (f.data !== undefined) frames.push(f);
          }
        }
        return frames;
      },
    };
  }
});
