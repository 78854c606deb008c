// Drives the electron-vite build's synthesis worker (out/main/synthesisWorker.js) the way the
// app's workerClient does, with plain `node` (no tsx, no TypeScript): one request, one JSON line.
//   node builtWorkerProbe.mjs <built main dir> <resources dir> <op: synthesize|audition> <text> [voiceDir]
// FORMANT_GL_THREADS picks the Griffin-Lim threads inside it. Used by builtWorkers.spec.ts and for timings.
import path from 'node:path';
import { Worker } from 'node:worker_threads';

const [mainArg, resourcesArg, op, text, voiceDir] = process.argv.slice(2);
const mainDir = path.resolve(mainArg);
const resourcesDir = path.resolve(resourcesArg);
const shell = { mode: 'electron', dataDir: path.join(resourcesDir, '..', 'test-output', 'probe-data'), resourcesDir, version: 'probe' };
const worker = new Worker(path.join(mainDir, 'synthesisWorker.js'), { workerData: { shell } });
const t0 = performance.now();
let sentences = 0;
worker.on('message', (m) => {
  if (m.type === 'event') sentences++;
  else if (m.type === 'error') {
    process.stdout.write(JSON.stringify({ ok: false, error: m.error }) + '\n');
    process.exit(1);
  } else {
    const r = m.result;
    const out =
      op === 'audition'
        ? { ok: true, op, voice: r.voice, sampleRate: r.sampleRate, frames: r.mel.frames, seconds: r.griffinLim.audio.length / r.sampleRate, griffinLimMs: r.griffinLim.ms, peak: peakOf(r.griffinLim.audio) }
        : { ok: true, op, sampleRate: r.sampleRate, seconds: r.audio.length / r.sampleRate, sentences, peak: peakOf(r.audio), timings: r.timings, notes: r.notes };
    process.stdout.write(JSON.stringify({ ...out, wallMs: performance.now() - t0, execArgv: process.execArgv }) + '\n');
    void worker.terminate();
  }
});
worker.on('error', (e) => {
  process.stdout.write(JSON.stringify({ ok: false, error: { message: String(e && e.stack || e) } }) + '\n');
  process.exit(1);
});
worker.postMessage({ type: 'run', id: 1, op, args: { text, voiceDir: voiceDir || undefined, seed: 3 } });

function peakOf(a) {
  let p = 0;
  for (let i = 0; i < a.length; i++) p = Math.max(p, Math.abs(a[i]));
  return p;
}
