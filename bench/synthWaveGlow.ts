import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { createSession } from '../electron/services/synthesis/executionProviders';
import { loadVocoderBundle } from '../electron/services/synthesis/vocoderBundle';
import { runWaveGlow } from '../electron/services/synthesis/waveGlowRun';

/**
 * bench:synth §5 — WaveGlow on a CPU, ONNX Runtime (the app's runtime) against PyTorch eager on the same weights,
 * mel and noise z (bench/synth_torch.py waveglow-make / waveglow-time write them), plus fp16 weights and windowed
 * rendering, each compared with the reference output: max |difference| and signal-to-difference ratio (dB).
 */
const fmt = (x: number, d = 2) => x.toFixed(d);

async function readF32(file: string): Promise<Float32Array> {
  const b = await fs.readFile(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function compare(ref: Float32Array, x: Float32Array): { maxAbs: number; snrDb: number } {
  let maxAbs = 0;
  let sig = 0;
  let err = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = x[i] - ref[i];
    maxAbs = Math.max(maxAbs, Math.abs(d));
    sig += ref[i] * ref[i];
    err += d * d;
  }
  return { maxAbs, snrDb: err === 0 ? Infinity : 10 * Math.log10(sig / err) };
}

export async function benchWaveGlow(py: string, root: string, label: string): Promise<void> {
  const script = path.join(root, 'bench', 'synth_torch.py');
  const published = process.env.FORMANT_WAVEGLOW;
  const dir = path.join(os.tmpdir(), published ? `formant-bench-waveglow-${path.basename(published)}` : 'formant-bench-waveglow');
  if (!existsSync(path.join(dir, 'source.json')) || !existsSync(path.join(dir, 'fp16', 'vocoder.json'))) {
    console.log(`making the benchmark WaveGlow bundles in ${dir} (88 M parameters: a few minutes) …`);
    const r = spawnSync(py, [script, 'waveglow-make', dir, ...(published ? ['--published', published] : [])], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`synth_torch.py waveglow-make failed: ${r.stderr.slice(-2000)}`);
  }
  const source = JSON.parse(await fs.readFile(path.join(dir, 'source.json'), 'utf8')) as { source: string };
  const frames = Number(process.env.FORMANT_BENCH_WG_FRAMES ?? 48);
  const r = spawnSync(py, [script, 'waveglow-time', dir, '--frames', String(frames), '--repeat', '2'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synth_torch.py waveglow-time failed: ${r.stderr.slice(-2000)}`);
  const torch = JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; samples: number; parameters: number; torch: string; threads: number; nMels: number; nGroup: number };
  const [mel, z, ref] = await Promise.all(['mel.bin', 'z.bin', 'audio.bin'].map((f) => readF32(path.join(dir, f))));
  const audioSeconds = torch.samples / 22050;
  console.log(`${label} WaveGlow on the CPU: ${source.source}; ${(torch.parameters / 1e6).toFixed(1)} M parameters, ${frames} frames (${fmt(audioSeconds)} s of audio), sigma 0.6`);
  console.log(`   PyTorch ${torch.torch} eager (CPU, ${torch.threads} threads): ${fmt(torch.seconds)} s  (${fmt(torch.seconds / audioSeconds, 1)}× slower than real time)`);

  const results: Record<string, { seconds: number; audio: Float32Array }> = {};
  for (const weights of ['fp32', 'fp16'] as const) {
    const bundle = await loadVocoderBundle(path.join(dir, weights));
    const tLoad = performance.now();
    const { session } = await createSession(bundle.graph);
    const loadS = (performance.now() - tLoad) / 1000;
    const feeds = (f: number) => ({
      mel: new ort.Tensor('float32', f === frames ? mel : mel.filter((_, i) => i % frames < f), [1, torch.nMels, f]),
      z: new ort.Tensor('float32', f === frames ? z : z.filter((_, i) => i % (z.length / torch.nGroup) < (f * 256) / torch.nGroup), [1, torch.nGroup, (f * 256) / torch.nGroup]),
      sigma: new ort.Tensor('float32', Float32Array.of(0.6), [1]),
    });
    await session.run(feeds(8)); // warm-up
    let best = Infinity;
    let audio: Float32Array = new Float32Array(0);
    for (let rep = 0; rep < 2; rep++) {
      const t0 = performance.now();
      audio = (await session.run(feeds(frames))).audio.data as Float32Array;
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    results[weights] = { seconds: best, audio };
    const vsTorch = compare(ref, audio);
    const ratio = torch.seconds / best;
    const size = (await fs.stat(bundle.graph)).size / 2 ** 20;
    console.log(
      `   ONNX Runtime (node, CPU), ${weights} weights (${size.toFixed(0)} MiB, loaded in ${fmt(loadS, 1)} s): ${fmt(best)} s (${fmt(best / audioSeconds, 1)}× real time); ` +
        `PyTorch / ONNX ${fmt(ratio)}× (target ≥ 1.5×: ${ratio >= 1.5 ? 'met' : 'NOT met'}); vs PyTorch max |Δ| ${vsTorch.maxAbs.toExponential(2)}, SNR ${fmt(vsTorch.snrDb, 1)} dB`,
    );
    if (weights === 'fp16') {
      const vs32 = compare(results.fp32.audio, audio);
      console.log(`   fp16 weights vs fp32 graph: max |Δ| ${vs32.maxAbs.toExponential(2)}, SNR ${fmt(vs32.snrDb, 1)} dB (half the file; computed in fp32)`);
    } else {
      // Windowed rendering (the app's path for long mels) with the app's 16 frames of context each side; windows of 8
      // frames so that a short benchmark mel still splits (the app's windows are 128 frames: fewer seams, same context).
      const t0 = performance.now();
      const windowed = await runWaveGlow(session, { graph: 'waveglow.onnx', sigma: 0.6, nGroup: torch.nGroup, hopLength: 256 }, { nMels: torch.nMels, frames, data: mel }, { seed: 1, windowFrames: 8, contextFrames: 16 });
      const whole = await runWaveGlow(session, { graph: 'waveglow.onnx', sigma: 0.6, nGroup: torch.nGroup, hopLength: 256 }, { nMels: torch.nMels, frames, data: mel }, { seed: 1, windowFrames: 100_000 });
      const seams = compare(whole, windowed);
      console.log(`   windowed (8-frame windows + 16 frames of context each side, seeded z) vs one run: max |Δ| ${seams.maxAbs.toExponential(2)}, SNR ${fmt(seams.snrDb, 1)} dB (${fmt((performance.now() - t0) / 1000)} s for both)`);
    }
    await session.release();
  }
}
