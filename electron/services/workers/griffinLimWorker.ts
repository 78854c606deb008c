import { parentPort } from 'node:worker_threads';
import { loadFastFFT } from '../../../shared/dsp/frameFft';
import { griffinLimMagnitudes } from '../../../shared/dsp/griffinLim';
import type { SegmentTask } from '../../../shared/dsp/griffinLimParallel';

/**
 * One Griffin-Lim segment on a worker thread (see griffinLimThreads.ts): receives a
 * SegmentTask, reports each iteration, returns the audio (transferred, not copied).
 * Built as `out/main/griffinLimWorker.js` (electron.vite.config.ts); from sources it is
 * started through griffinLimWorkerDev.mjs, which registers tsx first.
 */
export type GriffinLimWorkerMessage = { type: 'tick' } | { type: 'done'; audio: Float32Array } | { type: 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('griffinLimWorker must run in a worker thread (see griffinLimThreads.ts)');

port.on('message', async (task: SegmentTask) => {
  const post = (m: GriffinLimWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    await loadFastFFT(); // once per thread; fft.js stays in place where it cannot load
    const audio = griffinLimMagnitudes(task.magnitudes, task.frames, task.cfg, {
      iterations: task.iterations,
      momentum: task.momentum,
      seed: task.seed,
      onProgress: () => post({ type: 'tick' }),
    });
    post({ type: 'done', audio }, [audio.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'error', message: String((e as Error)?.stack ?? e) });
  }
});
