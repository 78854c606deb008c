import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startWebServer, type WebServer } from './server';
import { sameToken } from './webAuth';

/**
 * The web server's guards over real HTTP: slow uploads are not cut by a request timeout (slow API
 * bodies are), file-reading API calls stay inside the open projects and the data folder, and the
 * login link's token is compared in constant time.
 */
describe('web server guards', () => {
  let tmp: string;
  let server: WebServer;
  let project: string;
  const BODY_TIMEOUT_MS = 600;

  const post = (method: string, body: unknown) =>
    fetch(`${server.url}api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Formant-Token': server.token }, body: JSON.stringify(body) });

  /** A request whose body arrives in `chunks` pieces, `gapMs` apart (a slow link). */
  const trickle = (pathAndQuery: string, contentType: string, chunks: Buffer[], gapMs: number) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${server.url}${pathAndQuery}`, { method: 'POST', headers: { 'Content-Type': contentType, 'X-Formant-Token': server.token } }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      let i = 0;
      const next = () => {
        if (i === chunks.length) return req.end();
        req.write(chunks[i++]);
        setTimeout(next, gapMs);
      };
      next();
    });

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-web-guards-'));
    const rendererDir = path.join(tmp, 'renderer');
    await fs.mkdir(rendererDir);
    await fs.writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>studio</title>');
    server = await startWebServer({ port: 0, dataDir: path.join(tmp, 'data'), rendererDir, build: false, requestBodyTimeoutMs: BODY_TIMEOUT_MS, uploadIdleTimeoutMs: 400 });
    project = path.join(tmp, 'proj');
    expect((await post('project.create', { dir: project, name: 'P' })).status).toBe(200);
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('an upload slower than the request timeout completes; an API body that slow gets 408; a stalled upload ends', async () => {
    const chunks = Array.from({ length: 8 }, (_, i) => Buffer.alloc(1024, 65 + i));
    // 8 chunks 200 ms apart: 1.4 s, more than twice the body deadline, never idle for 400 ms.
    const up = await trickle(`upload?project=${encodeURIComponent(project)}&batch=slow&name=long.wav`, 'application/octet-stream', chunks, 200);
    expect(up.status).toBe(200);
    expect((await fs.readFile(path.join(project, '.staging', 'slow', 'long.wav'))).equals(Buffer.concat(chunks))).toBe(true);

    const json = Buffer.from(JSON.stringify({ projectDir: project }));
    const slowApi = await trickle('api/dataset.qa', 'application/json', [json.subarray(0, 5), json.subarray(5, 10), json.subarray(10)], 500);
    expect(slowApi.status).toBe(408);
    expect(JSON.parse(slowApi.body).error.message).toMatch(/did not arrive within/);

    // Stalled: one chunk, then silence past the idle limit; nothing is left in the staging folder.
    const stalled = await new Promise<string>((resolve) => {
      const req = http.request(`${server.url}upload?project=${encodeURIComponent(project)}&batch=stall&name=x.wav`, { method: 'POST', headers: { 'X-Formant-Token': server.token } });
      req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.write(Buffer.alloc(100));
    });
    expect(stalled).toMatch(/ECONNRESET|socket hang up|408/);
    await new Promise((r) => setTimeout(r, 100));
    expect(await fs.readdir(path.join(project, '.staging', 'stall'))).toEqual([]);
  });

  it('refuses training and synthesis paths outside the open projects and the data folder, and writes nothing there', async () => {
    const elsewhere = path.join(tmp, 'elsewhere');
    const message = async (r: Response) => ((await r.json()) as { error: { message: string } }).error.message;
    const train = await post('training.start', { datasetDir: path.join(tmp, 'data', 'lj'), runDir: path.join(elsewhere, 'run'), config: 'tiny', steps: 1 });
    expect(train.status).toBe(403);
    expect(await message(train)).toBe(`${path.join(elsewhere, 'run')} is outside the open projects and the data folder, where the app writes; in the browser, give a path inside an open project or the data folder (${path.join(tmp, 'data')})`);
    expect((await post('training.start', { datasetDir: '/etc', runDir: path.join(project, 'runs', 'voice'), config: 'tiny', steps: 1 })).status).toBe(403);
    expect((await post('training.summary', { runDir: '/var/log' })).status).toBe(403);
    expect((await post('synthesis.synthesize', { text: 'Hello.', voiceDir: elsewhere })).status).toBe(403);
    const wav = Buffer.from('RIFF').toString('base64');
    expect((await post('synthesis.saveWav', { wavBase64: wav, outPath: path.join(elsewhere, 'x.wav') })).status).toBe(403);
    expect(existsSync(elsewhere)).toBe(false);
    // inside the project (or the data folder) the call reaches its method, which judges the input itself
    expect((await post('synthesis.saveWav', { wavBase64: wav, outPath: path.join(project, 'x.wav') })).status).not.toBe(403);
  });

  it('refuses to import or align files outside the open projects and the data folder', async () => {
    const imp = await post('dataset.import', { projectDir: project, paths: ['/etc/passwd'] });
    expect(imp.status).toBe(403);
    expect(((await imp.json()) as { error: { message: string } }).error.message).toMatch(/\/etc\/passwd is outside the open projects and the data folder/);
    expect((await post('dataset.import', { projectDir: project, paths: ['~/../../etc/hostname'] })).status).toBe(403);
    expect((await post('align.run', { projectDir: project, audioPath: '/etc/passwd', transcript: 'x' })).status).toBe(403);
    expect((await post('align.run', { projectDir: project, audioPath: path.join(project, 'x.wav'), transcriptPath: '/etc/passwd' })).status).toBe(403);
    expect(await fs.readdir(path.join(project, 'sources'))).toEqual([]);

    // What the page uploaded into the project is importable (the job starts; the file is not audio).
    const up = await fetch(`${server.url}upload?project=${encodeURIComponent(project)}&batch=ok&name=a.wav`, { method: 'POST', headers: { 'X-Formant-Token': server.token }, body: 'RIFF' });
    expect(up.status).toBe(200);
    const ok = await post('dataset.import', { projectDir: project, paths: [path.join(project, '.staging', 'ok')] });
    expect(ok.status).toBe(200);
    // Let the job finish before the folder goes.
    const { jobId } = ((await ok.json()) as { result: { jobId: string } }).result;
    for (let i = 0; i < 300; i++) {
      const running = ((await (await post('jobs.list', {})).json()) as { result: { jobIds: string[] } }).result.jobIds;
      if (!running.includes(jobId)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('compares the login token in constant time and still tells right from wrong', async () => {
    const wrong = server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A');
    expect((await fetch(`${server.url}?token=${encodeURIComponent(wrong)}`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${server.url}?token=short`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${server.url}?token=`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(server.openUrl, { redirect: 'manual' })).status).toBe(303);
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abc', 'abd')).toBe(false);
    expect(sameToken('', 'abc')).toBe(false);
  });
});
