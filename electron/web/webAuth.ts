import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Web mode's guard against other local pages and processes: the server answers API, event,
 * media and upload requests only with the per-launch token (cookie set from the printed URL,
 * or an X-Formant-Token header), only for its own Host (no DNS rebinding), and API writes
 * only as JSON from its own origin (a cross-site form cannot send JSON without a preflight,
 * which this server never approves).
 */
/** Cookies are shared by every port of a host, so the name carries the port: two servers never overwrite each other's login. */
export const tokenCookieName = (port: number) => `formant_token_${port}`;
export const TOKEN_HEADER = 'x-formant-token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Compares a presented token with the session's in constant time (no early exit at the first wrong
 * character for a timing attack to measure). Both are hashed first, so the lengths always match and
 * the length of the real token does not leak either.
 */
export function sameToken(given: string, token: string): boolean {
  const x = createHash('sha256').update(given).digest();
  const y = createHash('sha256').update(token).digest();
  return timingSafeEqual(x, y);
}

export function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

export function hasToken(req: IncomingMessage, token: string, port: number): boolean {
  const header = req.headers[TOKEN_HEADER];
  const given = (Array.isArray(header) ? header[0] : header) ?? cookieValue(req, tokenCookieName(port));
  return typeof given === 'string' && sameToken(given, token);
}

/** Host names this server answers to; any when it listens on all interfaces by the user's choice. */
export function hostAllowed(req: IncomingMessage, listenHost: string, port: number): boolean {
  if (listenHost === '0.0.0.0' || listenHost === '::') return true;
  const host = (req.headers.host ?? '').toLowerCase();
  const allowed = new Set([`${listenHost}:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  return allowed.has(host);
}

/** A request from a page of another origin (when the browser says so). */
export function crossOrigin(req: IncomingMessage): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site && site !== 'same-origin' && site !== 'none') return true;
  const origin = req.headers.origin;
  return Boolean(origin && origin !== 'null' && origin !== `http://${req.headers.host}`);
}

export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
