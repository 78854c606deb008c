import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Serves a file with HTTP Range support so <audio> can seek and wavesurfer can fetch,
 * shared by web mode (/media) and Electron's media protocol.
 */
const TYPES: Record<string, string> = {
  '.wav': 'audio/wav',
  '.wave': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.m4a': 'audio/mp4',
  '.aac': 'audio/aac',
  '.webm': 'audio/webm',
  '.aif': 'audio/aiff',
  '.aiff': 'audio/aiff',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.npy': 'application/octet-stream',
};

export function contentTypeFor(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface MediaResponse {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  /** Null for 416 and HEAD requests. */
  body: Readable | null;
}

/** Parses one `bytes=a-b` / `bytes=a-` / `bytes=-n` range; null when absent, 'invalid' when unsatisfiable. */
export function parseRange(header: string | undefined | null, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'invalid';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'invalid';
  return { start, end };
}

export async function mediaResponse(file: string, rangeHeader: string | undefined | null, head = false): Promise<MediaResponse> {
  const st = await fs.stat(file);
  const size = st.size;
  const base: Record<string, string> = {
    'Content-Type': contentTypeFor(file),
    'Accept-Ranges': 'bytes',
    // Clips are re-rendered in place after edits; the client adds ?v=<updatedAt> to bust caches.
    'Cache-Control': 'no-cache',
    'Last-Modified': st.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
  };
  const range = parseRange(rangeHeader, size);
  if (range === 'invalid') return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, body: null };
  if (range) {
    return {
      status: 206,
      headers: { ...base, 'Content-Range': `bytes ${range.start}-${range.end}/${size}`, 'Content-Length': String(range.end - range.start + 1) },
      body: head ? null : createReadStream(file, { start: range.start, end: range.end }),
    };
  }
  return { status: 200, headers: { ...base, 'Content-Length': String(size) }, body: head || size === 0 ? null : createReadStream(file) };
}
