import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { loadFastFFT } from '../../../shared/dsp/frameFft';
import { GRIFFIN_LIM_MOMENTUM, griffinLim, griffinLimInput, griffinLimOutput } from '../../../shared/dsp/griffinLim';
import { griffinLimMagnitudesParallel, inThreadRunner, type SegmentRunner } from '../../../shared/dsp/griffinLimParallel';
import type { Mel } from '../../../shared/dsp/mel';
import type { MelPreset } from '../../../shared/dsp/melPresets';
import type { GriffinLimWorkerMessage } from './griffinLimWorker';
import { locateWorkerScript, type WorkerScript } from './workerScript';

/**
 * Griffin-Lim over worker threads (shared/dsp/griffinLimParallel does the math, this file the
 * threads): one pooled worker per segment, started from the compiled `griffinLimWorker.js` next to the
 * bundle or, from sources, through tsx. Without either (or when a worker cannot start) the
 * segment runs on the calling thread, so the result never depends on where the code runs.
 */
const here = path.dirname(fileURLToPath(import.meta.url));

export function griffinLimWorkerScript(): WorkerScript | null {
  return locateWorkerScript({ here, built: 'griffinLimWorker.js', dev: 'griffinLimWorkerDev.mjs', env: 'FORMANT_GL_WORKER' });
}

/** Worker threads Griffin-Lim uses by default: FORMANT_GL_THREADS, else the CPU count (at most 4). */
export function defaultGriffinLimThreads(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.FORMANT_GL_THREADS);
  if (Number.isInteger(n) && n >= 1) return n;
  return Math.min(4, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
}

/**
 * Idle Griffin-Lim workers, kept per script so a thread (and, from sources, its tsx start-up of
 * ~0.5 s) is paid once per process, not per segment. Idle workers are unref'd: they never keep
 * a CLI process alive. A worker that failed or was stopped by a cancel is not reused.
 */
const idleWorkers = new Map<string, Worker[]>();

function takeWorker(script: string): Worker {
  const idle = idleWorkers.get(script) ?? [];
  const w = idle.pop() ?? new Worker(script);
  w.ref();
  return w;
}

const watched = new WeakSet<Worker>();

function returnWorker(script: string, w: Worker): void {
  w.unref();
  const idle = idleWorkers.get(script) ?? [];
  idle.push(w);
  idleWorkers.set(script, idle);
  // an idle worker that dies (it should not) leaves the pool; one listener per worker, not one per reuse
  if (!watched.has(w)) {
    watched.add(w);
    w.once('exit', () => idleWorkers.set(script, (idleWorkers.get(script) ?? []).filter((x) => x !== w)));
  }
}

/** Starts `threads` idle workers ahead of the first long mel (the synthesis worker does this when it warms a voice). */
export function warmGriffinLimWorkers(threads = defaultGriffinLimThreads(), script: WorkerScript | null = griffinLimWorkerScript()): void {
  if (!script || threads <= 1) return;
  for (let n = idleWorkers.get(script.path)?.length ?? 0; n < threads; n++) returnWorker(script.path, new Worker(script.path));
}

/** Runs each segment on a pooled worker thread; `signal` stops them at once (the promise rejects with its reason). */
export function workerSegmentRunner(script: WorkerScript | null = griffinLimWorkerScript(), signal?: AbortSignal): SegmentRunner {
  if (!script) return inThreadRunner;
  return (task, onIteration) =>
    new Promise<Float32Array>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let worker: Worker;
      try {
        worker = takeWorker(script.path);
      } catch {
        resolve(inThreadRunner(task, onIteration));
        return;
      }
      let settled = false;
      const finish = (fn: () => void, reusable: boolean) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (reusable) returnWorker(script.path, worker);
        else void worker.terminate();
        fn();
      };
      const onAbort = () => finish(() => reject(signal!.reason), false);
      const onMessage = (m: GriffinLimWorkerMessage) => {
        if (m.type === 'tick') onIteration();
        else if (m.type === 'done') finish(() => resolve(m.audio), true);
        else finish(() => reject(new Error(`Griffin-Lim worker failed: ${m.message}`)), false);
      };
      const onError = (e: Error) => finish(() => reject(e), false);
      const onExit = (code: number) => finish(() => reject(new Error(`Griffin-Lim worker exited (code ${code}) before finishing`)), false);
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage(task);
    });
}

export interface ThreadedGriffinLimOptions {
  iterations?: number;
  momentum?: number;
  seed: number;
  power?: number;
  /** 1 = on this thread (exactly griffinLim()). */
  threads: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Mel → audio with Griffin-Lim over `threads` worker threads: griffinLim()'s steps before and after
 * (griffinLimInput/Output), the core spread out (one segment, on this thread, when threads is 1 or the
 * mel is short). The WebAssembly FFT is loaded first, here and in each worker.
 */
export async function vocodeGriffinLim(mel: Mel, preset: MelPreset, opts: ThreadedGriffinLimOptions, runner?: SegmentRunner): Promise<Float32Array> {
  await loadFastFFT();
  const input = griffinLimInput(mel, preset, opts);
  const y = await griffinLimMagnitudesParallel(
    input.magnitudes,
    input.frames,
    input.cfg,
    {
      iterations: input.iterations,
      momentum: opts.momentum ?? GRIFFIN_LIM_MOMENTUM,
      seed: opts.seed,
      parts: Math.max(1, opts.threads),
      signal: opts.signal,
      onProgress: opts.onProgress,
    },
    runner ?? workerSegmentRunner(griffinLimWorkerScript(), opts.signal),
  );
  return griffinLimOutput(y, preset, input.power);
}

/**
 * Loads the WebAssembly FFT and runs Griffin-Lim once on a short made-up mel of `preset`, so the
 * JIT has compiled the hot loops (and the mel inverse) before a voice's first sentence: part of
 * loading a voice (operations.ts engineFor), ~0.1 s, paid once per thread.
 */
export async function warmGriffinLim(preset: MelPreset): Promise<void> {
  await loadFastFFT();
  const frames = 64;
  const data = Float32Array.from({ length: preset.nMels * frames }, (_, i) => -6 + 4 * Math.abs(Math.sin(i * 0.37)));
  griffinLim({ nMels: preset.nMels, frames, data }, preset, { iterations: 30 });
}
