import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { griffinLimMagnitudesParallel, inThreadRunner } from '../../../shared/dsp/griffinLimParallel';
import { presetStftConfig } from '../../../shared/dsp/mel';
import { MEL_PRESETS } from '../../../shared/dsp/melPresets';
import { stft } from '../../../shared/dsp/stft';
import { workerSegmentRunner } from './griffinLimThreads';

/**
 * The worker threads as the packaged app runs them: `electron-vite build` (into test-output/,
 * inside the repo so the bundle's external packages resolve from node_modules) must emit
 * synthesisWorker.js and griffinLimWorker.js next to index.js, and both must run under plain
 * `node` — no tsx, no TypeScript. The synthesis worker speaks one sentence with the embedded
 * demo voice (resources/voices/demo, found through the shell config the client hands it).
 */
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
const outDir = path.join(repoRoot, 'test-output', 'electron-vite-build');
const mainDir = path.join(outDir, 'main');
const hasDemoVoice = existsSync(path.join(repoRoot, 'resources', 'voices', 'demo', 'voice.json'));

/** A voiced test signal's magnitudes: long enough (600 frames) for two segments and a seam. */
function testMagnitudes() {
  const preset = MEL_PRESETS.nvidia;
  const cfg = presetStftConfig(preset);
  const n = 600 * cfg.hopLength;
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / preset.sampleRate;
    phase += (2 * Math.PI * (120 + 30 * Math.sin(2 * Math.PI * 0.5 * t))) / preset.sampleRate;
    let v = 0;
    for (let h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
    x[i] = 0.2 * v * Math.max(0, Math.sin(Math.PI * 3 * t)) ** 0.5;
  }
  const s = stft(x, cfg);
  const magnitudes = new Float32Array(s.re.length).map((_, i) => Math.hypot(s.re[i], s.im[i]));
  return { magnitudes, frames: s.frames, cfg };
}

describe('worker threads in the electron-vite build', () => {
  beforeAll(async () => {
    // `npm test` builds this once before the specs (build/test.mjs); a lone run of this spec builds it here.
    if (process.env.FORMANT_ELECTRON_VITE_BUILT === outDir && existsSync(path.join(mainDir, 'griffinLimWorker.js'))) return;
    await fs.rm(outDir, { recursive: true, force: true });
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', outDir, '--logLevel', 'error'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`electron-vite build failed (exit ${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  }, 150_000);

  it('reuses pooled workers without piling up listeners (no MaxListenersExceededWarning after a dozen runs)', async () => {
    const { magnitudes, frames, cfg } = testMagnitudes();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const runner = workerSegmentRunner({ path: path.join(mainDir, 'griffinLimWorker.js'), from: 'built' });
      for (let i = 0; i < 12; i++) await griffinLimMagnitudesParallel(magnitudes, frames, cfg, { iterations: 1, seed: i, parts: 2 }, runner);
      await new Promise((r) => setTimeout(r, 50)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  }, 60_000);

  it('emits both worker entries next to the main bundle, free of tsx', async () => {
    const files = await fs.readdir(mainDir);
    expect(files).toEqual(expect.arrayContaining(['index.js', 'synthesisWorker.js', 'griffinLimWorker.js']));
    expect(files.filter((f) => f.endsWith('.js')).every((f) => !f.includes('/'))).toBe(true);
    for (const f of files.filter((f) => f.endsWith('.js'))) {
      expect(await fs.readFile(path.join(mainDir, f), 'utf8'), f).not.toMatch(/from ["']tsx|import\(["']tsx/);
    }
  });

  it('runs Griffin-Lim segments on the built worker, identical to the same split on one thread', async () => {
    const { magnitudes, frames, cfg } = testMagnitudes();
    const opts = { iterations: 8, momentum: 0.99, seed: 5, parts: 2 };
    let ticks = 0;
    const built = await griffinLimMagnitudesParallel(magnitudes, frames, cfg, { ...opts, onProgress: () => ticks++ }, workerSegmentRunner({ path: path.join(mainDir, 'griffinLimWorker.js'), from: 'built' }));
    const inThread = await griffinLimMagnitudesParallel(magnitudes, frames, cfg, opts, inThreadRunner);
    expect(ticks).toBe(2 * opts.iterations); // both segments reported every iteration from their threads
    expect(built.length).toBe(inThread.length);
    expect(built).toEqual(inThread);
  });

  it('the same from the sources (tsx bootstrap)', async () => {
    const { magnitudes, frames, cfg } = testMagnitudes();
    const opts = { iterations: 4, momentum: 0.99, seed: 9, parts: 2 };
    const dev = await griffinLimMagnitudesParallel(magnitudes, frames, cfg, opts, workerSegmentRunner());
    expect(dev).toEqual(await griffinLimMagnitudesParallel(magnitudes, frames, cfg, opts, inThreadRunner));
  });

  it('a cancel stops the worker threads part-way and rejects with the abort reason', async () => {
    const { magnitudes, frames, cfg } = testMagnitudes();
    const controller = new AbortController();
    let ticks = 0;
    const run = griffinLimMagnitudesParallel(
      magnitudes,
      frames,
      cfg,
      { iterations: 400, momentum: 0.99, seed: 1, parts: 2, onProgress: () => ++ticks === 4 && controller.abort(new Error('stop')) },
      workerSegmentRunner({ path: path.join(mainDir, 'griffinLimWorker.js'), from: 'built' }, controller.signal),
    );
    await expect(run).rejects.toThrow('stop');
    expect(ticks).toBeLessThan(2 * 400);
    // the pool still works afterwards (the stopped threads were not reused)
    const after = await griffinLimMagnitudesParallel(magnitudes, frames, cfg, { iterations: 2, seed: 2, parts: 2 }, workerSegmentRunner({ path: path.join(mainDir, 'griffinLimWorker.js'), from: 'built' }));
    expect(after).toEqual(await griffinLimMagnitudesParallel(magnitudes, frames, cfg, { iterations: 2, seed: 2, parts: 2 }, inThreadRunner));
  });

  it.skipIf(!hasDemoVoice)('synthesizes a sentence with the demo voice from the built synthesis worker under plain node', () => {
    const probe = path.join(repoRoot, 'electron', 'services', 'workers', 'testing', 'builtWorkerProbe.mjs');
    const r = spawnSync(process.execPath, [probe, mainDir, path.join(repoRoot, 'resources'), 'synthesize', 'The lamp was lit at dusk.'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      // no loader flags inherited from the test runner
      env: { ...process.env, NODE_OPTIONS: '', FORMANT_GL_THREADS: '2' },
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    const out = JSON.parse(line);
    expect(out).toMatchObject({ ok: true, sampleRate: 22050, sentences: 1, execArgv: [] });
    expect(out.seconds).toBeGreaterThan(0.5);
    expect(out.peak).toBeGreaterThan(0.01);
  });
});
