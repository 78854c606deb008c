/**
 * `npm run bench:dsp`: mel extraction and Griffin-Lim on 60 s of real speech (LJSpeech clips from
 * ../shared/data concatenated), in TypeScript (shared/dsp) and in PyTorch on CPU
 * (bench/dsp_torch.py, same audio, same presets), with ratios.
 * Griffin-Lim starts from the true |STFT| on both sides; Formant runs what `formant vocode`/`say`
 * run (the preset's iterations, the WebAssembly FFT, BENCH_THREADS worker threads), PyTorch runs
 * 60 iterations of the same fast Griffin-Lim; both print the spectral convergence they reach.
 *   BENCH_SECONDS=60        audio length
 *   BENCH_THREADS=2         worker threads for Griffin-Lim (1: on the main thread only)
 *   BENCH_TORCH_THREADS=2   torch.set_num_threads
 *   BENCH_TORCH_GL_ITERS=60 torch Griffin-Lim iterations actually run (the time is scaled to 60, the
 *                           spectral convergence is the one reached: fewer only for a quick look)
 *   BENCH_PYTHON=…          interpreter (default: ./.venv/bin/python if it has torch, else /usr/bin/python3)
 *   BENCH_SKIP_TORCH=1      TypeScript numbers only
 * Wall and CPU time are both printed: on a shared machine the CPU time is the fairer number.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workerSegmentRunner } from '../electron/cli/commands/dsp';
import { frameFFT, loadFastFFT } from '../shared/dsp/frameFft';
import { GRIFFIN_LIM_MOMENTUM, griffinLim, griffinLimMagnitudes, spectralConvergence } from '../shared/dsp/griffinLim';
import { griffinLimMagnitudesParallel } from '../shared/dsp/griffinLimParallel';
import { melSpectrogram, presetStftConfig } from '../shared/dsp/mel';
import { MEL_PRESETS } from '../shared/dsp/melPresets';
import { stftMagnitudes } from '../shared/dsp/stft';
import { decodeWav } from '../shared/dsp/wav';

const root = path.resolve(import.meta.dirname, '..');
const wavs = path.resolve(root, '..', 'shared', 'data', 'lj-small', 'wavs');
const seconds = Number(process.env.BENCH_SECONDS ?? 60);

function measure<T>(fn: () => T): { wall: number; cpu: number; value: T } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = fn();
  const d = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (d.user + d.system) / 1e6, value };
}
async function measureAsync<T>(fn: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const c = process.cpuUsage(); // process-wide: includes the worker threads
  const t = performance.now();
  const value = await fn();
  const d = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (d.user + d.system) / 1e6, value };
}
const threads = Number(process.env.BENCH_THREADS ?? 2);

function loadSpeech(): Float32Array {
  const want = Math.round(seconds * 22050);
  const out = new Float32Array(want);
  let n = 0;
  const files = readdirSync(wavs).filter((f) => f.endsWith('.wav')).sort();
  while (n < want) {
    for (const f of files) {
      const w = decodeWav(readFileSync(path.join(wavs, f)));
      if (w.sampleRate !== 22050) throw new Error(`${f}: ${w.sampleRate} Hz, expected 22050`);
      const x = w.channels[0].subarray(0, want - n);
      out.set(x, n);
      n += x.length;
      if (n >= want) break;
    }
  }
  return out;
}

function pickPython(): string | null {
  if (process.env.BENCH_PYTHON) return process.env.BENCH_PYTHON;
  for (const py of [path.join(root, '.venv', 'bin', 'python'), '/usr/bin/python3']) {
    if (existsSync(py) && spawnSync(py, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0) return py;
  }
  return null;
}

if (!existsSync(wavs)) {
  console.log(`bench:dsp: ${wavs} not found (the LJSpeech sample lives in ../shared/data); nothing to measure`);
  process.exit(0);
}

const audio = loadSpeech();
const dur = audio.length / 22050;
const fast = await loadFastFFT();
console.log(
  `bench:dsp — ${dur.toFixed(1)} s of LJSpeech, node ${process.version}, ${os.cpus().length} CPUs visible, load average ${os.loadavg()[0].toFixed(1)}; ` +
    `Griffin-Lim FFT: ${fast ? frameFFT(1024).backend : 'fft.js (the WebAssembly FFT did not load)'}`,
);

interface Row {
  preset: string;
  melWall: number;
  melCpu: number;
  iterations: number;
  glWall: number;
  glCpu: number;
  glSc: number;
  glMelWall: number;
  glOneWall: number;
  glOneCpu: number;
  glOneSc: number;
}
const rows: Row[] = [];
for (const name of ['nvidia', 'seed'] as const) {
  const p = MEL_PRESETS[name];
  const cfg = presetStftConfig(p);
  melSpectrogram(audio.subarray(0, 22050 * 2), p); // warm-up (JIT)
  let mel = measure(() => melSpectrogram(audio, p));
  for (let r = 0; r < 2; r++) {
    const m = measure(() => melSpectrogram(audio, p));
    if (m.wall < mel.wall) mel = m;
  }
  // Griffin-Lim core on the true |STFT| (what the torch side runs), at Formant's iterations and momentum
  const iterations = p.griffinLim.iterations;
  const bins = p.nFft / 2 + 1;
  const mags: Float32Array[] = [];
  const frames = stftMagnitudes(audio, cfg, 1, (_t, m) => mags.push(Float32Array.from(m)));
  const S = new Float32Array(frames * bins);
  mags.forEach((m, t) => S.set(m, t * bins));
  const glOpts = { iterations, momentum: GRIFFIN_LIM_MOMENTUM, seed: 0 };
  // warm-up: JIT, and the worker threads started (as the synthesis worker does when it loads a voice)
  await griffinLimMagnitudesParallel(S.subarray(0, 600 * bins), 600, cfg, { ...glOpts, iterations: 2, parts: threads }, workerSegmentRunner());
  const par = await measureAsync(() => griffinLimMagnitudesParallel(S, frames, cfg, { ...glOpts, parts: threads }, workerSegmentRunner()));
  const sc = spectralConvergence(par.value, S, frames, cfg);
  const one = threads > 1 ? measure(() => griffinLimMagnitudes(S, frames, cfg, glOpts)) : par;
  const oneSc = threads > 1 ? spectralConvergence(one.value, S, frames, cfg) : sc;
  // and the whole vocoder from the model's mel (mel → linear NNLS, power, GL, de-emphasis), on this thread
  const full = measure(() => griffinLim(mel.value, p, { seed: 0 }));
  rows.push({ preset: name, melWall: mel.wall, melCpu: mel.cpu, iterations, glWall: par.wall, glCpu: par.cpu, glSc: sc, glMelWall: full.wall, glOneWall: one.wall, glOneCpu: one.cpu, glOneSc: oneSc });
  console.log(`  TS ${name.padEnd(6)} mel ${(mel.wall * 1000).toFixed(0)} ms (${(dur / mel.wall).toFixed(0)}× real time; CPU ${(mel.cpu * 1000).toFixed(0)} ms)`);
  console.log(
    `  TS ${name.padEnd(6)} Griffin-Lim ${iterations} it on ${threads} worker thread${threads > 1 ? 's' : ''} ${par.wall.toFixed(2)} s, RTF ${(par.wall / dur).toFixed(3)} (CPU ${par.cpu.toFixed(2)} s), spectral convergence ${sc.toFixed(4)}` +
      (threads > 1 ? ` | on the main thread ${one.wall.toFixed(2)} s (CPU ${one.cpu.toFixed(2)} s), spectral convergence ${oneSc.toFixed(4)}` : '') +
      ` | from mel (NNLS inverse + GL, main thread) ${full.wall.toFixed(2)} s`,
  );
}

if (process.env.BENCH_SKIP_TORCH) {
  console.log('  PyTorch: skipped (BENCH_SKIP_TORCH)');
  process.exit(0);
}
const py = pickPython();
if (!py) {
  console.log('  PyTorch: no Python with torch found (run build/setup.sh, or apt-get install python3-torch); TS numbers only');
  process.exit(0);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'bench-dsp-'));
const raw = path.join(tmp, 'audio.f32');
writeFileSync(raw, new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
const torchThreads = process.env.BENCH_TORCH_THREADS ?? '2';
const iters = process.env.BENCH_TORCH_GL_ITERS ?? '60';
const r = spawnSync(py, [path.join(root, 'bench', 'dsp_torch.py'), raw, torchThreads, iters], { encoding: 'utf8', maxBuffer: 1 << 24 });
rmSync(tmp, { recursive: true, force: true });
if (r.status !== 0) {
  console.log(`  PyTorch run failed (${py}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  process.exit(1);
}
const torch = JSON.parse(r.stdout.trim().split('\n').pop()!);
console.log(`  PyTorch ${torch.torch} (${py}), ${torch.threads} threads; Griffin-Lim ran ${iters} iterations${iters === '60' ? '' : ', time scaled to 60 (its spectral convergence is that of ' + iters + ')'}`);
for (const row of rows) {
  const t = torch.presets[row.preset];
  console.log(
    `  torch ${row.preset.padEnd(6)} mel ${(t.mel_s * 1000).toFixed(0)} ms (${(dur / t.mel_s).toFixed(0)}× real time; CPU ${(t.mel_cpu_s * 1000).toFixed(0)} ms)` +
      ` | Griffin-Lim 60 it ${t.gl_s.toFixed(2)} s, RTF ${(t.gl_s / dur).toFixed(3)} (CPU ${t.gl_cpu_s.toFixed(2)} s), spectral convergence ${t.gl_spectral_convergence.toFixed(4)}`,
  );
}
console.log('  ratios:');
let met = true;
for (const row of rows) {
  const t = torch.presets[row.preset];
  const ratio = row.glWall / t.gl_s;
  const ok = ratio <= 0.5 && row.glSc <= t.gl_spectral_convergence;
  met &&= ok;
  console.log(
    `    ${row.preset.padEnd(6)} mel ${(t.mel_s / row.melWall).toFixed(2)}× faster (wall), ${(t.mel_cpu_s / row.melCpu).toFixed(2)}× (CPU)` +
      ` | Griffin-Lim Formant / PyTorch time ${ratio.toFixed(2)} wall, ${(row.glCpu / t.gl_cpu_s).toFixed(2)} CPU` +
      ` (main thread only: ${(row.glOneWall / t.gl_s).toFixed(2)} wall, ${(row.glOneCpu / t.gl_cpu_s).toFixed(2)} CPU)` +
      `; spectral convergence ${row.glSc.toFixed(4)} (${row.iterations} it) vs ${t.gl_spectral_convergence.toFixed(4)} (${iters} it)` +
      ` — goal (≤ 0.5 of the time, convergence ≤ PyTorch's): ${ok ? 'met' : 'NOT met'}`,
  );
}
if (!met) console.log('  (on a busy machine wall times swing; the CPU ratio is the steadier one)');
