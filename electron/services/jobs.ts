import { randomUUID } from 'node:crypto';
import { ServiceError, type JobEvent, type ServiceEvent } from '../../shared/contract/rpc';

/**
 * Long work runs as a job: it reports progress (0..1, a message, per-item results),
 * can be cancelled through its AbortSignal, and ends done, failed or cancelled.
 * The same job runs under the CLI (progress bar), Electron (IPC events) and web mode (SSE).
 */
export interface Job {
  readonly id: string;
  readonly kind: string;
  readonly signal: AbortSignal;
  progress(fraction: number | null, message?: string, item?: unknown): void;
  /** Throws a 'cancelled' ServiceError when the job was cancelled; call between units of work. */
  throwIfCancelled(): void;
}

const running = new Map<string, AbortController>();

export function cancelJob(jobId: string): boolean {
  const c = running.get(jobId);
  if (!c) return false;
  c.abort();
  return true;
}

export function runningJobs(): string[] {
  return [...running.keys()];
}

export interface StartedJob<R> {
  jobId: string;
  done: Promise<R>;
}

export function startJob<R>(kind: string, emit: (e: ServiceEvent) => void, work: (job: Job) => Promise<R>, opts: { signal?: AbortSignal } = {}): StartedJob<R> {
  const id = randomUUID();
  const controller = new AbortController();
  opts.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  running.set(id, controller);
  const send = (e: Omit<JobEvent, 'type' | 'jobId' | 'kind'>) => emit({ type: 'job', jobId: id, kind, ...e });
  const job: Job = {
    id,
    kind,
    signal: controller.signal,
    progress(fraction, message = '', item) {
      send({ state: 'running', progress: fraction == null ? null : Math.max(0, Math.min(1, fraction)), message, item });
    },
    throwIfCancelled() {
      if (controller.signal.aborted) throw new ServiceError('cancelled', `${kind} cancelled`);
    },
  };
  const done = (async () => {
    send({ state: 'running', progress: 0, message: 'started' });
    try {
      const result = await work(job);
      send({ state: 'done', progress: 1, message: 'done', result });
      return result;
    } catch (e) {
      const err = e instanceof ServiceError ? e : new ServiceError('failed', (e as Error)?.message ?? String(e));
      send({ state: err.code === 'cancelled' ? 'cancelled' : 'failed', progress: null, message: err.message, error: err.toJSON() });
      throw err;
    } finally {
      running.delete(id);
    }
  })();
  // The promise is awaited by whoever cares; don't crash the process on an unobserved failure.
  done.catch(() => undefined);
  return { jobId: id, done };
}
