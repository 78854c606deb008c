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
 * Called when web mode's event stream comes back after a break and the server could not replay
 * what was missed (it restarted, or the break outlasted its event ring): whoever tracks jobs
 * should re-check them. Ordinary breaks need nothing: the server replays the missed events.
 */
export function onReconnect(cb: () => void): () => void {
  reconnectListeners.add(cb);
  return () => reconnectListeners.delete(cb);
}

function connect(): () => void {
  if (window.formant) return window.formant.onEvent(deliver);
  // Events carry ids `<server epoch>-<seq>`; EventSource sends the last one back when it reconnects and
  // the server replays what followed (electron/web/eventLog.ts). `seen` drops any repeat, so each event
  // is delivered exactly once, in order.
  const seen = new EventIdTracker();
  const source = new EventSource('events', { withCredentials: true });
  source.addEventListener('reset', (m) => {
    seen.accept((m as MessageEvent).lastEventId);
    for (const cb of reconnectListeners) cb();
  });
  source.onmessage = (m) => {
    if (!seen.accept(m.lastEventId)) return;
    try {
      deliver(JSON.parse(m.data as string));
    } catch {
      /* malformed frame: ignore */
    }
  };
  return () => source.close();
}

/** Remembers the newest event id of the server's current epoch; `accept` is false for ones already seen. */
export class EventIdTracker {
  private epoch = '';
  private seq = 0;
  accept(id: string | undefined | null): boolean {
    const m = id ? /^(.+)-(\d+)$/.exec(id) : null;
    if (!m) return true; // an id-less frame (older server): nothing to compare
    const seq = Number(m[2]);
    if (m[1] === this.epoch && seq <= this.seq) return false;
    this.epoch = m[1];
    this.seq = seq;
    return true;
  }
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
