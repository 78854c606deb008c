/**
 * `npm run bench:dsp`: mel extraction and Griffin-Lim (60 iterations) on 60 s of real speech
 * (LJSpeech clips from ../shared/data concatenated), in TypeScript (shared/dsp) and in PyTorch on
 * CPU (bench/dsp_torch.py, same audio, same presets), with ratios.
 *   BENCH_SECONDS=60        audio length
 *   BENCH_THREADS=2         worker threads for the parallel Griffin-Lim run
 *   BENCH_TORCH_THREADS=2   torch.set_num_threads
 *   BENCH_TORCH_GL_ITERS=10 torch Griffin-Lim iterations actually run (scaled to 60; Debian's torch is slow)
 *   BENCH_PYTHON=…          interpreter (default: ./.venv/bin/python if it has torch, else /usr/bin/python3)
 *   BENCH_SKIP_TORCH=1      TypeScript numbers only
 * Wall and CPU time are both printed: on a shared machine the CPU time is the fairer number.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workerSegmentRunner } from '../electron/cli/commands/dsp';
import { griffinLim, griffinLimMagnitudes, spectralConvergence } from '../shared/dsp/griffinLim';
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
console.log(`bench:dsp — ${dur.toFixed(1)} s of LJSpeech, node ${process.version}, ${os.cpus().length} CPUs visible, load average ${os.loadavg()[0].toFixed(1)}`);

interface Row {
  preset: string;
  melWall: number;
  melCpu: number;
  glWall: number;
  glCpu: number;
  glSc: number;
  glMelWall: number;
  glParWall: number;
  glParCpu: number;
  glParSc: number;
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
  // Griffin-Lim core on the true |STFT| (what the torch side runs), 60 iterations, momentum 0.99
  const bins = p.nFft / 2 + 1;
  const mags: Float32Array[] = [];
  const frames = stftMagnitudes(audio, cfg, 1, (_t, m) => mags.push(Float32Array.from(m)));
  const S = new Float32Array(frames * bins);
  mags.forEach((m, t) => S.set(m, t * bins));
  const gl = measure(() => griffinLimMagnitudes(S, frames, cfg, { iterations: 60, momentum: 0.99, seed: 0 }));
  const sc = spectralConvergence(gl.value, S, frames, cfg);
  const par = await measureAsync(() => griffinLimMagnitudesParallel(S, frames, cfg, { iterations: 60, momentum: 0.99, seed: 0, parts: threads }, workerSegmentRunner()));
  const parSc = spectralConvergence(par.value, S, frames, cfg);
  // and the full vocoder path from the model's mel (mel → linear NNLS, power, GL, de-emphasis)
  const full = measure(() => griffinLim(mel.value, p, { seed: 0 }));
  rows.push({ preset: name, melWall: mel.wall, melCpu: mel.cpu, glWall: gl.wall, glCpu: gl.cpu, glSc: sc, glMelWall: full.wall, glParWall: par.wall, glParCpu: par.cpu, glParSc: parSc });
  console.log(
    `  TS ${name.padEnd(6)} mel ${(mel.wall * 1000).toFixed(0)} ms (${(dur / mel.wall).toFixed(0)}× real time; CPU ${(mel.cpu * 1000).toFixed(0)} ms)` +
      ` | Griffin-Lim 60 it ${gl.wall.toFixed(2)} s, RTF ${(gl.wall / dur).toFixed(3)} (CPU ${gl.cpu.toFixed(2)} s), spectral convergence ${sc.toFixed(4)}` +
      ` | from mel (NNLS inverse + GL) ${full.wall.toFixed(2)} s`,
  );
  console.log(
    `  TS ${name.padEnd(6)} Griffin-Lim 60 it on ${threads} worker threads ${par.wall.toFixed(2)} s, RTF ${(par.wall / dur).toFixed(3)} (CPU ${par.cpu.toFixed(2)} s), spectral convergence ${parSc.toFixed(4)}`,
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
const iters = process.env.BENCH_TORCH_GL_ITERS ?? '10';
const r = spawnSync(py, [path.join(root, 'bench', 'dsp_torch.py'), raw, torchThreads, iters], { encoding: 'utf8', maxBuffer: 1 << 24 });
rmSync(tmp, { recursive: true, force: true });
if (r.status !== 0) {
  console.log(`  PyTorch run failed (${py}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  process.exit(1);
}
const torch = JSON.parse(r.stdout.trim().split('\n').pop()!);
console.log(`  PyTorch ${torch.torch} (${py}), ${torch.threads} threads; Griffin-Lim ran ${iters} iterations, scaled to 60`);
for (const row of rows) {
  const t = torch.presets[row.preset];
  console.log(
    `  torch ${row.preset.padEnd(6)} mel ${(t.mel_s * 1000).toFixed(0)} ms (${(dur / t.mel_s).toFixed(0)}× real time; CPU ${(t.mel_cpu_s * 1000).toFixed(0)} ms)` +
      ` | Griffin-Lim 60 it ${t.gl_s.toFixed(2)} s, RTF ${(t.gl_s / dur).toFixed(3)} (CPU ${t.gl_cpu_s.toFixed(2)} s), spectral convergence ${t.gl_spectral_convergence.toFixed(4)}`,
  );
}
console.log('  ratios (torch time / TS time; > 1 means TS is faster):');
for (const row of rows) {
  const t = torch.presets[row.preset];
  console.log(
    `    ${row.preset.padEnd(6)} mel ${(t.mel_s / row.melWall).toFixed(2)}× wall, ${(t.mel_cpu_s / row.melCpu).toFixed(2)}× CPU` +
      ` | Griffin-Lim ${(t.gl_s / row.glWall).toFixed(2)}× wall, ${(t.gl_cpu_s / row.glCpu).toFixed(2)}× CPU` +
      ` | Griffin-Lim on ${threads} threads ${(t.gl_s / row.glParWall).toFixed(2)}× wall`,
  );
}
