// Drives the electron-vite build's synthesis worker (out/main/synthesisWorker.js) the way the
// app's workerClient does, with plain `node` (no tsx, no TypeScript): it warms the voice (as the
// app does when the Synthesize view lists voices), then runs one request `PROBE_REPEAT` times
// (default 1) and prints one JSON line per run.
//   node builtWorkerProbe.mjs <built main dir> <resources dir> <op: synthesize|audition> <text> [voiceDir]
// FORMANT_GL_THREADS picks the Griffin-Lim threads inside it. Used by builtWorkers.spec.ts and for timings.
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const [mainArg, resourcesArg, op, text, voiceDir] = process.argv.slice(2);
const mainDir = path.resolve(mainArg);
const resourcesDir = path.resolve(resourcesArg);
const repeat = Number(process.env.PROBE_REPEAT ?? 1);
const shell = { mode: 'electron', dataDir: path.join(resourcesDir, '..', 'test-output', 'probe-data'), resourcesDir, version: 'probe' };
const worker = new Worker(path.join(mainDir, 'synthesisWorker.js'), { workerData: { shell } });
worker.on('error', (e) => fail({ message: String((e && e.stack) || e) }));

let nextId = 1;
function request(opName, args, onEvent) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m.id !== id) return;
      if (m.type === 'event') onEvent?.(m.event);
      else {
        worker.off('message', onMessage);
        if (m.type === 'done') resolve(m.result);
        else reject(m.error);
      }
    };
    worker.on('message', onMessage);
    worker.postMessage({ type: 'run', id, op: opName, args });
  });
}

function peakOf(a) {
  let p = 0;
  for (let i = 0; i < a.length; i++) p = Math.max(p, Math.abs(a[i]));
  return p;
}

/** CPU time of the whole process (all its threads) since `from`, in ms. */
function cpuMsSince(from) {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function fail(error) {
  process.stdout.write(JSON.stringify({ ok: false, error }) + '\n');
  process.exit(1);
}

try {
  await request('warm', { voiceDir: voiceDir || undefined });
  for (let run = 0; run < repeat; run++) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let sentences = 0;
    const r = await request(op, { text, voiceDir: voiceDir || undefined, seed: 3 }, () => sentences++);
    const out =
      op === 'audition'
        ? { voice: r.voice, sampleRate: r.sampleRate, frames: r.mel.frames, seconds: r.griffinLim.audio.length / r.sampleRate, griffinLimMs: r.griffinLim.ms, peak: peakOf(r.griffinLim.audio) }
        : { sampleRate: r.sampleRate, seconds: r.audio.length / r.sampleRate, sentences, peak: peakOf(r.audio), timings: r.timings, notes: r.notes };
    process.stdout.write(JSON.stringify({ ok: true, op, run, ...out, wallMs: performance.now() - t0, cpuMs: cpuMsSince(cpu0), execArgv: process.execArgv }) + '\n');
  }
  await worker.terminate();
} catch (e) {
  fail(e);
}
