import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ServiceError } from '../../../shared/contract/rpc';
import { shellConfig } from '../shell/shellConfig';
import { locateWorkerScript } from '../workers/workerScript';
import type { AuditionArgs, AuditionResult, SynthesizeArgs } from './operations';
import type { SynthesisResult } from './synthesize';
import type { SentenceMessage, SynthesisWorkerData, VocoderProgressMessage, WorkerOp, WorkerRequest, WorkerResponse } from './workerProtocol';

/**
 * The main-thread side of the synthesis worker: starts the thread lazily, multiplexes requests,
 * forwards per-sentence events, turns cancel (AbortSignal) into a message, and restarts the
 * thread after a crash. The thread is unref'd while idle so it never keeps a CLI process alive.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The worker's script: $FORMANT_SYNTH_WORKER, else `synthesisWorker.js` that electron-vite builds
 * next to the bundle (out/main), else workerEntry.mjs (tsx, from sources).
 */
export function workerScript(): string {
  const found = locateWorkerScript({ here, built: 'synthesisWorker.js', dev: 'workerEntry.mjs', env: 'FORMANT_SYNTH_WORKER' });
  if (!found) {
    throw new ServiceError(
      'synthesis-worker-missing',
      `the synthesis worker script is missing: no synthesisWorker.js next to ${here} (run \`npm run build\`) and no sources to run it from`,
    );
  }
  return found.path;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  onEvent?(e: SentenceMessage): void;
  onProgress?(p: VocoderProgressMessage): void;
}

export class SynthesisWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `onProgress`: the vocoder's progress within a chunk (WaveGlow, per window), between its sentence events. */
  synthesize(args: SynthesizeArgs, onSentence: (e: SentenceMessage) => void, signal?: AbortSignal, onProgress?: (p: VocoderProgressMessage) => void): Promise<SynthesisResult> {
    return this.run('synthesize', args, onSentence, signal, onProgress) as Promise<SynthesisResult>;
  }

  audition(args: AuditionArgs, signal?: AbortSignal): Promise<AuditionResult> {
    return this.run('audition', args, undefined, signal) as Promise<AuditionResult>;
  }

  /** Starts the thread and loads a voice's graphs so the first synthesis starts at once. */
  warm(voiceDir?: string): Promise<void> {
    return this.run('warm', { voiceDir }) as Promise<void>;
  }

  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }

  private run(op: WorkerOp, args: unknown, onEvent?: (e: SentenceMessage) => void, signal?: AbortSignal, onProgress?: (p: VocoderProgressMessage) => void): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(new ServiceError('cancelled', 'synthesis cancelled'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => worker.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
        if (!this.pending.size) this.worker?.unref();
      };
      this.pending.set(id, {
        resolve: (v) => {
          settle();
          resolve(v);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
        onEvent,
        onProgress,
      });
      worker.ref();
      worker.postMessage({ type: 'run', id, op, args } satisfies WorkerRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // The thread has its own module instances: hand it this process's resources/data folders.
    const w = new Worker(workerScript(), { workerData: { shell: shellConfig() } satisfies SynthesisWorkerData });
    w.on('message', (msg: WorkerResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.type === 'event') p.onEvent?.(msg.event);
      else if (msg.type === 'progress') p.onProgress?.(msg.progress);
      else if (msg.type === 'done') p.resolve(msg.result);
      else p.reject(new ServiceError(msg.error.code, msg.error.message, msg.error.details));
    });
    const fail = (why: string) => {
      if (this.worker === w) this.worker = null;
      for (const p of [...this.pending.values()]) p.reject(new ServiceError('synthesis-worker-crashed', `the synthesis worker stopped: ${why}`));
    };
    w.on('error', (e) => fail(e.message));
    w.on('exit', (code) => fail(`exit code ${code}`));
    w.unref();
    this.worker = w;
    return w;
  }
}

let shared: SynthesisWorker | null = null;
/** The process-wide synthesis worker (one thread; graphs stay loaded between requests). */
export function synthesisWorker(): SynthesisWorker {
  shared ??= new SynthesisWorker();
  return shared;
}
