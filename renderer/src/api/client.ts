import { api as contract, type Api } from '../../../shared/contract/index';
import { ServiceError, ServiceEvent, parseOutput, type Client, type ServiceErrorShape } from '../../../shared/contract/rpc';
import { MEDIA_SCHEME, type BridgeReply } from './bridge';

/**
 * The renderer's only way to the services: `api.<method>(input)` over Electron IPC
 * (window.formant from the preload) or, in web mode, POST /api/<method>. Outputs are
 * validated with the contract here, where they arrive; failures throw ServiceError with
 * the service's stable code.
 */
export const isElectron = typeof window !== 'undefined' && Boolean(window.formant);

async function callWeb(method: string, input: unknown): Promise<BridgeReply> {
  let res: Response;
  try {
    res = await fetch(`api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(input ?? {}),
    });
  } catch (e) {
    return { ok: false, error: { code: 'offline', message: `The Formant server is not reachable (${(e as Error).message}). Is \`formant web\` still running?` } };
  }
  try {
    return (await res.json()) as BridgeReply;
  } catch {
    return { ok: false, error: { code: 'bad-output', message: `${method}: HTTP ${res.status} without a JSON body` } };
  }
}

export async function call(method: string, input: unknown): Promise<unknown> {
  const reply = window.formant ? await window.formant.call(method, input) : await callWeb(method, input);
  if (!reply.ok) throw fromShape(reply.error);
  const def = (contract as Record<string, (typeof contract)[keyof Api]>)[method];
  if (!def) throw new ServiceError('unknown-method', `No API method named ${method}`);
  return parseOutput(method, def, reply.result);
}

function fromShape(e: ServiceErrorShape): ServiceError {
  return new ServiceError(e.code, e.message, e.details);
}

/** `api['project.open']({ dir })` — one typed function per method of the contract. */
export const api: Client<Api> = new Proxy({} as Client<Api>, {
  get: (_t, method: string) => (input: unknown) => call(method, input),
});

// ---- events ----
type Listener = (e: ServiceEvent) => void;
const listeners = new Set<Listener>();
let unsubscribeSource: (() => void) | null = null;

function deliver(raw: unknown): void {
  const r = ServiceEvent.safeParse(raw);
  if (!r.success) return; // an event from a newer/older service we don't understand
  for (const l of listeners) l(r.data);
}

const reconnectListeners = new Set<() => void>();

/**
 * Called when web mode's event stream comes back after a break (server restart, sleep):
 * events sent meanwhile are lost, so whoever tracks jobs should re-check them.
 */
export function onReconnect(cb: () => void): () => void {
  reconnectListeners.add(cb);
  return () => reconnectListeners.delete(cb);
}

function connect(): () => void {
  if (window.formant) return window.formant.onEvent(deliver);
  const source = new EventSource('events', { withCredentials: true });
  let broken = false;
  source.onerror = () => {
    broken = true;
  };
  source.onopen = () => {
    if (!broken) return;
    broken = false;
    for (const cb of reconnectListeners) cb();
  };
  source.onmessage = (m) => {
    try {
      deliver(JSON.parse(m.data as string));
    } catch {
      /* malformed frame: ignore */
    }
  };
  return () => source.close();
}

/** Subscribes to service events (job progress, logs); returns the unsubscribe function. */
export function onEvent(cb: Listener): () => void {
  listeners.add(cb);
  if (!unsubscribeSource) unsubscribeSource = connect();
  return () => {
    listeners.delete(cb);
    if (!listeners.size && unsubscribeSource) {
      unsubscribeSource();
      unsubscribeSource = null;
    }
  };
}

/**
 * URL of a file inside an opened project, for <audio>, wavesurfer and <img>. `version`
 * (e.g. the clip's updatedAt) busts caches after a clip is re-rendered in place.
 */
export function mediaUrl(projectDir: string, relativePath: string, version?: string | number): string {
  const q = new URLSearchParams({ project: projectDir, path: relativePath });
  if (version != null) q.set('v', String(version));
  return window.formant ? `${MEDIA_SCHEME}://media/?${q}` : `media?${q}`;
}

/**
 * URL of a training run's plot (`plots/<f>.png`) or validation sample (`samples/<f>.wav`); the run
 * may lie outside the project once the training API started or opened it (training.summary).
 */
export function runMediaUrl(runDir: string, relativePath: string, version?: string | number): string {
  const q = new URLSearchParams({ run: runDir, path: relativePath });
  if (version != null) q.set('v', String(version));
  return window.formant ? `${MEDIA_SCHEME}://media/?${q}` : `media?${q}`;
}

/** Absolute path of a dropped File in Electron; null in web mode (upload it instead). */
export function pathForFile(file: File): string | null {
  return window.formant?.pathForFile(file) || null;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
