import { Readable } from 'node:stream';
import { ServiceError } from '../../shared/contract/rpc';
import { access } from '../services/shell/accessPolicy';
import { toErrorShape, httpStatusFor } from '../services/shell/dispatch';
import { mediaResponse } from '../services/shell/mediaResponse';
import { resolveUserPath } from '../services/shell/projectPaths';

/**
 * `formant-media://media/?project=<dir>&path=<relative>` (a file of an opened project) or
 * `formant-media://media/?file=<absolute>` (a file or folder the user chose) or
 * `formant-media://media/?run=<run-dir>&path=plots/<f>.png|samples/<f>.wav` (a training run): the Electron twin
 * of web mode's /media, with the same confinement and Range support. Pure fetch-API code
 * (Request → Response) so it is testable without Electron.
 */
export async function handleMediaRequest(request: Request): Promise<Response> {
  try {
    const url = new URL(request.url);
    if (url.hostname !== 'media') throw new ServiceError('not-found', 'unknown media host');
    const method = request.method.toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') throw new ServiceError('bad-input', 'media is read-only');
    const file = url.searchParams.has('file')
      ? await access.resolveAbsolute(url.searchParams.get('file') ?? '')
      : url.searchParams.has('run')
        ? await access.resolveRunFile(resolveUserPath(url.searchParams.get('run') ?? ''), url.searchParams.get('path') ?? '')
        : await access.resolveProjectFile(resolveUserPath(url.searchParams.get('project') ?? ''), url.searchParams.get('path') ?? '');
    const r = await mediaResponse(file, request.headers.get('range'), method === 'HEAD');
    const body = r.body ? (Readable.toWeb(r.body) as unknown as ReadableStream) : null;
    return new Response(body, { status: r.status, headers: r.headers });
  } catch (e) {
    const error = toErrorShape(e);
    return new Response(JSON.stringify({ ok: false, error }), { status: httpStatusFor(error.code), headers: { 'Content-Type': 'application/json' } });
  }
}
