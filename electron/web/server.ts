import { createReadStream, promises as fs } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ServiceEvent } from '../../shared/contract/rpc';
import { ServiceError } from '../../shared/contract/rpc';
import { createApiDispatcher } from '../services/handlers';
import { access } from '../services/shell/accessPolicy';
import { apiRoots } from '../services/shell/apiRoots';
import { toErrorShape, httpStatusFor } from '../services/shell/dispatch';
import { contentTypeFor, mediaResponse } from '../services/shell/mediaResponse';
import { resolveUserPath } from '../services/shell/projectPaths';
import { configureShell } from '../services/shell/shellConfig';
import { STAGING_DIR, receiveUpload } from '../services/shell/uploads';
import { EventLog, resetFrame } from './eventLog';
import { defaultRendererDir, ensureRendererBuilt } from './rendererBuild';
import { crossOrigin, hasToken, hostAllowed, newToken, sameToken, tokenCookie } from './webAuth';

/**
 * Web mode: the studio in a browser, served by a Node process running the same services.
 *   GET  /                 the renderer bundle (index.html needs the token: ?token=… sets the cookie)
 *   POST /api/<method>     JSON in, `{ ok, result | error }` out, validated by the contract
 *   GET  /events           Server-Sent Events: every ServiceEvent (job progress), with ids; a reconnect's
 *                          Last-Event-ID replays what it missed from a bounded ring (eventLog.ts)
 *   GET  /media?project&path   a file of an opened project, with Range support
 *   GET  /media?run&path       plots/*.png or samples/*.wav of a training run the training service started or opened
 *   POST /upload?project&batch&name   raw bytes of one dropped file → <project>/.staging/<batch>/<name>
 * Listens on 127.0.0.1 unless told otherwise.
 */
export interface WebServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir?: string;
  rendererDir?: string;
  /** Build the renderer when missing or stale (default true). */
  build?: boolean;
  token?: string;
  log?: (line: string) => void;
  /** Events kept for replay to reconnecting clients (default DEFAULT_EVENT_RING). */
  eventRing?: number;
  /** An API request body must arrive within this (default 5 min); uploads have no overall limit. */
  requestBodyTimeoutMs?: number;
  /** An upload that sends nothing for this long is dropped (default 2 min). */
  uploadIdleTimeoutMs?: number;
}

export interface WebServer {
  url: string;
  /** The URL with the access token, to open in a browser. */
  openUrl: string;
  host: string;
  port: number;
  token: string;
  /** Sends an event to every subscriber (and keeps it for replay), as the services' emit does. */
  publish(e: ServiceEvent): void;
  /** Ends every event stream (clients reconnect and get what they missed replayed): for tests of exactly that. */
  dropEventStreams(): void;
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // wavesurfer.js styles its shadow DOM with <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};

const MAX_JSON_BYTES = 32 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: string | Buffer, type = 'application/json', extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

function sendError(res: ServerResponse, e: unknown): void {
  const error = toErrorShape(e);
  send(res, httpStatusFor(error.code), JSON.stringify({ ok: false, error }));
}

/**
 * Timeouts: Node's own `requestTimeout` (5 min for the whole request, body included) would cut a
 * large recording uploaded over a slow link or an SSH tunnel with 408, so it is off; API bodies
 * get that deadline here instead (`readJson`), and an upload is dropped only when it stalls
 * (`uploadIdleTimeoutMs` without a byte). Headers still must arrive within Node's headersTimeout.
 */
const DEFAULT_BODY_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_UPLOAD_IDLE_MS = 2 * 60_000;

async function readJson(req: IncomingMessage, timeoutMs: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceError('timeout', `the request body did not arrive within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  const read = async () => {
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_JSON_BYTES) throw new ServiceError('bad-input', 'request body too large');
      chunks.push(c as Buffer);
    }
  };
  const reading = read();
  reading.catch(() => undefined); // after a timeout nobody awaits it: its later failure (connection closed) is not unhandled
  try {
    await Promise.race([reading, deadline]);
  } finally {
    clearTimeout(timer);
  }
  if (!size) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ServiceError('bad-input', 'request body is not valid JSON');
  }
}

export async function startWebServer(opts: WebServerOptions = {}): Promise<WebServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? newToken();
  const log = opts.log ?? (() => undefined);
  const bodyTimeoutMs = opts.requestBodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const uploadIdleMs = opts.uploadIdleTimeoutMs ?? DEFAULT_UPLOAD_IDLE_MS;
  configureShell({ mode: 'web', ...(opts.dataDir ? { dataDir: path.resolve(opts.dataDir) } : {}) });
  const rendererDir = opts.build === false ? (opts.rendererDir ?? defaultRendererDir) : await ensureRendererBuilt({ outDir: opts.rendererDir, log });

  const clients = new Set<ServerResponse>();
  const events = new EventLog(opts.eventRing);
  const broadcast = (e: ServiceEvent) => {
    const { frame } = events.append(e);
    for (const c of clients) c.write(frame);
  };
  const dispatch = createApiDispatcher();
  const ctx = { emit: broadcast };
  let port = opts.port ?? 0;

  const serveStatic = async (res: ServerResponse, urlPath: string, authed: boolean) => {
    const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
    const file = path.resolve(rendererDir, rel);
    if (!file.startsWith(path.resolve(rendererDir) + path.sep)) return send(res, 404, 'not found', 'text/plain');
    const st = await fs.stat(file).catch(() => null);
    if (!st?.isFile()) return send(res, 404, 'not found', 'text/plain');
    if (rel === 'index.html') {
      if (!authed)
        return send(res, 401, '<!doctype html><title>Formant Studio</title><body style="font:16px system-ui;background:#111;color:#ddd;padding:3em">Open the link printed by <code>formant web</code>: it carries this session\'s access token.</body>', 'text/html; charset=utf-8', { 'Content-Security-Policy': CSP });
      return send(res, 200, await fs.readFile(file), 'text/html; charset=utf-8', { 'Content-Security-Policy': CSP });
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': STATIC_TYPES[path.extname(file)] ?? contentTypeFor(file),
      'Content-Length': String(st.size),
      // Hashed asset names: cache freely.
      'Cache-Control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    createReadStream(file).pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, host, port)) return send(res, 421, JSON.stringify({ ok: false, error: { code: 'forbidden', message: 'unexpected Host' } }));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const authed = hasToken(req, token, port);
    const method = req.method ?? 'GET';

    if ((url.pathname === '/' || url.pathname === '/index.html') && url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      if (!sameToken(url.searchParams.get('token') ?? '', token)) return send(res, 401, 'wrong token', 'text/plain');
      res.writeHead(303, { ...SECURITY_HEADERS, 'Set-Cookie': tokenCookie(token, port), Location: '/' });
      return res.end();
    }

    const guarded = url.pathname.startsWith('/api/') || url.pathname === '/events' || url.pathname === '/media' || url.pathname === '/upload';
    if (guarded) {
      if (!authed) return send(res, 401, JSON.stringify({ ok: false, error: { code: 'unauthorized', message: 'missing or wrong access token' } }));
      if (crossOrigin(req)) return send(res, 403, JSON.stringify({ ok: false, error: { code: 'forbidden', message: 'cross-origin request refused' } }));
    }

    if (url.pathname.startsWith('/api/')) {
      if (method !== 'POST') return send(res, 405, JSON.stringify({ ok: false, error: { code: 'bad-input', message: 'use POST' } }), 'application/json', { Allow: 'POST' });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(res, 415, JSON.stringify({ ok: false, error: { code: 'bad-input', message: 'expected application/json' } }));
      const name = decodeURIComponent(url.pathname.slice('/api/'.length));
      try {
        const input = await readJson(req, bodyTimeoutMs);
        await access.checkApiPaths(name, input, apiRoots());
        const result = await dispatch(name, input, ctx);
        return send(res, 200, JSON.stringify({ ok: true, result }));
      } catch (e) {
        const code = toErrorShape(e).code;
        if (code === 'internal') log(`${name}: ${(e as Error)?.stack ?? e}`);
        // The rest of a late body is not read: close the connection after the answer.
        if (code === 'timeout') return send(res, 408, JSON.stringify({ ok: false, error: toErrorShape(e) }), 'application/json', { Connection: 'close' });
        return sendError(res, e);
      }
    }

    if (url.pathname === '/events') {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      // Reconnect after 1 s (EventSource's default is ~3 s) and replay what the client missed.
      res.write(': formant events\nretry: 1000\n\n');
      const lastId = req.headers['last-event-id'] ?? url.searchParams.get('lastEventId');
      if (typeof lastId === 'string' && lastId) {
        const replay = events.since(lastId);
        if (replay.ok) for (const f of replay.frames) res.write(f);
        else res.write(resetFrame(replay.reason, events));
      }
      // Same tick as the replay: no event can fall between the two.
      clients.add(res);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      req.on('close', () => {
        clearInterval(ping);
        clients.delete(res);
      });
      return;
    }

    if (url.pathname === '/media') {
      if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'use GET', 'text/plain');
      try {
        const file = url.searchParams.has('run')
          ? await access.resolveRunFile(resolveUserPath(url.searchParams.get('run') ?? ''), url.searchParams.get('path') ?? '')
          : await access.resolveProjectFile(resolveUserPath(url.searchParams.get('project') ?? ''), url.searchParams.get('path') ?? '');
        const r = await mediaResponse(file, req.headers.range, method === 'HEAD');
        res.writeHead(r.status, { ...SECURITY_HEADERS, ...r.headers });
        if (r.body) r.body.pipe(res);
        else res.end();
      } catch (e) {
        sendError(res, e);
      }
      return;
    }

    if (url.pathname === '/upload') {
      if (method !== 'POST') return send(res, 405, 'use POST', 'text/plain');
      try {
        const project = resolveUserPath(url.searchParams.get('project') ?? '');
        if (!access.isOpenProject(project)) throw new ServiceError('forbidden', `${project} is not an open project`);
        const len = req.headers['content-length'] ? Number(req.headers['content-length']) : null;
        const batch = url.searchParams.get('batch') ?? '';
        // No overall deadline (a 2-hour recording over a slow link takes long), but a stalled one ends.
        req.setTimeout(uploadIdleMs, () => req.destroy(new ServiceError('timeout', `upload stalled: nothing arrived for ${Math.round(uploadIdleMs / 1000)} s`)));
        const saved = await receiveUpload(project, batch, url.searchParams.get('name') ?? '', req, len);
        req.setTimeout(0);
        return send(res, 200, JSON.stringify({ ok: true, result: { path: saved, batchDir: path.join(project, STAGING_DIR, batch) } }));
      } catch (e) {
        return sendError(res, e);
      }
    }

    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'method not allowed', 'text/plain');
    return serveStatic(res, url.pathname, authed);
  };

  const server = http.createServer({ requestTimeout: 0 }, (req, res) => {
    handle(req, res).catch((e) => {
      log(`web: ${(e as Error)?.stack ?? e}`);
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;
  return {
    url,
    openUrl: `${url}?token=${token}`,
    host,
    port,
    token,
    publish: broadcast,
    dropEventStreams: () => {
      for (const c of clients) c.end();
      clients.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        clients.clear();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
