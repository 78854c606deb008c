import { realFFT } from './fft';
import { loadFastFFT } from './frameFft';
import { GRIFFIN_LIM_MOMENTUM, griffinLimFromPhases, griffinLimMagnitudes, type GriffinLimOptions } from './griffinLim';
import { frameWindow, readWindowedFrame, type StftConfig } from './stft';

/**
 * Griffin-Lim spread over several threads: the frames are cut into `parts` segments (sharing
 * `overlap` frames), each segment is reconstructed independently by a runner (a worker thread,
 * or in-thread), the audio is cross-faded at the seams, and every seam is then repaired: a short
 * window around it is re-run through Griffin-Lim starting from the stitched audio's own phases,
 * so both sides end up phase-consistent, and spliced back with short cross-fades (the repaired
 * audio agrees with its surroundings at the splice points because it started from them).
 * Pure TypeScript; the thread plumbing is the caller's (see electron/cli/commands/dsp.ts).
 */

export interface SegmentTask {
  magnitudes: Float32Array;
  frames: number;
  cfg: StftConfig;
  iterations: number;
  momentum: number;
  seed: number;
}

/** Runs sequential Griffin-Lim on one segment (usually in a worker); reports iterations done. */
export type SegmentRunner = (task: SegmentTask, onIteration: () => void) => Promise<Float32Array>;

export const inThreadRunner: SegmentRunner = async (task, onIteration) =>
  griffinLimMagnitudes(task.magnitudes, task.frames, task.cfg, {
    iterations: task.iterations,
    momentum: task.momentum,
    seed: task.seed,
    onProgress: onIteration,
  });

export interface ParallelGriffinLimOptions extends GriffinLimOptions {
  /** Segments run at once (default 2). */
  parts?: number;
  /** Frames each segment extends past its share (default 32). */
  segmentOverlap?: number;
  /** Half-width in frames of the repaired window around each seam (default 24) and its iterations (default 30). */
  seamFrames?: number;
  seamIterations?: number;
}

export async function griffinLimMagnitudesParallel(
  magnitudes: Float32Array,
  frames: number,
  cfg: StftConfig,
  opts: ParallelGriffinLimOptions,
  run: SegmentRunner,
): Promise<Float32Array> {
  // the WebAssembly FFT here as in the workers (they load it too), so where a segment runs never changes the result
  await loadFastFFT();
  const parts = Math.max(1, Math.floor(opts.parts ?? 2));
  const iterations = opts.iterations ?? 60;
  const momentum = opts.momentum ?? GRIFFIN_LIM_MOMENTUM;
  const ov = opts.segmentOverlap ?? 32;
  const R = opts.seamFrames ?? 24;
  const H = cfg.hopLength;
  const bins = Math.floor(cfg.nFft / 2) + 1;
  // Short inputs, or uncentred frames (not used by any preset): one segment, no seams.
  if (parts === 1 || !cfg.center || frames < parts * 4 * (ov + R)) {
    return griffinLimMagnitudes(magnitudes, frames, cfg, { ...opts, iterations, momentum });
  }
  const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.round((k * frames) / parts));
  const segs = bounds.slice(0, -1).map((b, k) => ({ a: Math.max(0, b - ov), b: Math.min(frames, bounds[k + 1] + ov) }));
  let done = 0;
  const total = segs.reduce((n, s) => n + Math.ceil((s.b - s.a) / 2048) * iterations, 0);
  const tick = () => opts.onProgress?.(Math.min(++done, total), total);
  opts.signal?.throwIfAborted();
  const audios = await Promise.all(
    segs.map((s, k) =>
      run(
        {
          magnitudes: magnitudes.slice(s.a * bins, s.b * bins),
          frames: s.b - s.a,
          cfg,
          iterations,
          momentum,
          seed: ((opts.seed ?? 0) + 0x9e3779b9 * k) >>> 0,
        },
        tick,
      ),
    ),
  );
  opts.signal?.throwIfAborted();
  const outLength = H * Math.max(0, frames - 1);
  const out = new Float32Array(outLength);
  // stitch: segment k owns [bounds[k]·H, bounds[k+1]·H), cross-faded over ±ov/2 frames at each seam
  const fade = Math.floor((ov * H) / 2);
  for (let k = 0; k < parts; k++) {
    const y = audios[k];
    const base = segs[k].a * H;
    const lo = k === 0 ? 0 : bounds[k] * H - fade;
    const hi = k === parts - 1 ? outLength : bounds[k + 1] * H + fade;
    for (let g = lo; g < hi && g < outLength; g++) {
      const v = y[g - base] ?? 0;
      let w = 1;
      if (k > 0 && g < bounds[k] * H + fade) w = (g - lo + 0.5) / (2 * fade);
      else if (k < parts - 1 && g >= bounds[k + 1] * H - fade) w = 1 - (g - (bounds[k + 1] * H - fade) + 0.5) / (2 * fade);
      out[g] += w * v;
    }
  }
  // repair each seam: GL on frames [seam − R, seam + R) from the stitched audio's phases
  const seamIters = opts.seamIterations ?? 30;
  const plan = realFFT(cfg.nFft);
  const win = frameWindow(cfg);
  const w0 = Math.floor((cfg.nFft - cfg.winLength) / 2);
  const frame = new Float64Array(cfg.nFft);
  const spec = new Float64Array(2 * cfg.nFft);
  for (let k = 1; k < parts; k++) {
    const f0 = bounds[k] - R;
    const n = 2 * R;
    const re = new Float32Array(n * bins);
    const im = new Float32Array(n * bins);
    for (let t = 0; t < n; t++) {
      frame.fill(0);
      readWindowedFrame(out, f0 + t, cfg, win, w0, w0 + cfg.winLength, frame);
      plan.forwardInterleaved(frame, spec);
      for (let b = 0; b < bins; b++) {
        const r = spec[2 * b], i = spec[2 * b + 1];
        const m = Math.hypot(r, i);
        re[t * bins + b] = m > 0 ? r / m : 1;
        im[t * bins + b] = m > 0 ? i / m : 0;
      }
    }
    const y = griffinLimFromPhases(magnitudes.subarray(f0 * bins, (f0 + n) * bins), n, cfg, re, im, {
      iterations: seamIters,
      momentum,
      signal: opts.signal,
    });
    // splice back inside the window, with 4-hop cross-fades at both ends
    const base = f0 * H;
    const e = 4 * H;
    const lo = base + cfg.nFft; // skip the window's own edge frames
    const hi = base + y.length - cfg.nFft;
    for (let g = lo; g < hi; g++) {
      const w = Math.min(1, (g - lo + 0.5) / e, (hi - g - 0.5) / e);
      out[g] = (1 - w) * out[g] + w * y[g - base];
    }
  }
  return out;
}
