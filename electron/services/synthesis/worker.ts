import { parentPort, workerData } from 'node:worker_threads';
import { ServiceError } from '../../../shared/contract/rpc';
import { engineFor, runAudition, runSynthesis, type AuditionArgs, type SynthesizeArgs } from './operations';
import { configureShell } from '../shell/shellConfig';
import { warmGriffinLimWorkers } from '../workers/griffinLimThreads';
import { planAndEncodeText } from './textFrontend';
import type { SynthesisWorkerData, WorkerRequest, WorkerResponse } from './workerProtocol';

/**
 * The synthesis worker thread: ONNX inference and Griffin-Lim run here, so the Electron main
 * process (and with it the UI's IPC) stays responsive. One request at a time per operation;
 * cancel arrives as a message and aborts between decoder steps.
 */
const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread (see workerClient.ts)');

// Same resources/data folders as the process that started this thread (a bundle's own defaults differ).
const data = workerData as SynthesisWorkerData | undefined;
if (data?.shell) configureShell(data.shell);

const controllers = new Map<number, AbortController>();

function post(msg: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'cancel') {
    controllers.get(msg.id)?.abort();
    return;
  }
  const controller = new AbortController();
  controllers.set(msg.id, controller);
  void (async () => {
    try {
      if (msg.op === 'synthesize') {
        let chunks = 0;
        const result = await runSynthesis(
          msg.args as SynthesizeArgs,
          (e) => {
            const stream = new Float32Array(e.stream);
            post({ type: 'event', id: msg.id, event: { report: e.report, stream, partial: e.partial } }, [stream.buffer]);
          },
          controller.signal,
          (plan) => (chunks = plan.length),
          (chunk, done, total) => post({ type: 'progress', id: msg.id, progress: { chunk, chunks, done, total } }),
        );
        post({ type: 'done', id: msg.id, result }, [result.audio.buffer as ArrayBuffer]);
      } else if (msg.op === 'warm') {
        // Load a voice's acoustic graphs ahead of the first request (time to first audio).
        const engine = await engineFor((msg.args as { voiceDir?: string }).voiceDir);
        await engine.warmUp();
        // a phoneme voice's first espeak-ng run (its start-up is slower than the next ones) happens here, not on the first click
        await planAndEncodeText('Hello.', engine.manifest).catch(() => undefined);
        warmGriffinLimWorkers();
        post({ type: 'done', id: msg.id, result: null });
      } else {
        const result = await runAudition(msg.args as AuditionArgs, controller.signal);
        post({ type: 'done', id: msg.id, result });
      }
    } catch (e) {
      // Cancel can land anywhere (decoder loop, Griffin-Lim's own AbortSignal check, its worker
      // threads): whatever was thrown, an aborted request ends as 'cancelled', not as a failure.
      const err = controller.signal.aborted
        ? new ServiceError('cancelled', 'synthesis cancelled')
        : e instanceof ServiceError
          ? e
          : new ServiceError('synthesis-failed', (e as Error)?.message ?? String(e));
      post({ type: 'error', id: msg.id, error: { code: err.code, message: err.message, details: err.details } });
    } finally {
      controllers.delete(msg.id);
    }
  })();
});
