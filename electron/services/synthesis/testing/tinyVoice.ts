import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, promises as fs, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkoutRoot, pythonCandidates } from '../../shell/appPaths';
import { trainerDir as resolveTrainerDir } from '../../training/trainerPaths';

/**
 * The trainer's tiny voice bundle for specs and benchmarks, made with its documented command
 * (`python -m formant_trainer make-tiny-voice --out <dir>`, resources/trainer) — untrained, so
 * its attention is not meaningful, but its graphs have the real architecture and I/O.
 * Cached in the OS temp folder, keyed by the trainer sources that shape the export.
 * Returns the folder, or the reason it cannot be made (no Python with torch) so specs can skip.
 */
export const repoRoot = checkoutRoot() ?? process.cwd();
const trainerDir = resolveTrainerDir();

/** The first interpreter, in the app's order (shell/appPaths.ts), that can export: torch and onnx. */
export function trainerPython(): string | null {
  for (const { path: py } of pythonCandidates()) {
    if (!existsSync(py)) continue;
    const r = spawnSync(py, ['-c', 'import torch, onnx'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

function sourceHash(): string {
  const h = createHash('sha256');
  const pkg = path.join(trainerDir, 'formant_trainer');
  for (const f of ['export_onnx.py', 'tiny_voice.py', 'model.py', 'layers.py', 'hparams.py', 'waveglow.py', 'frontend.py', 'fastpitch.py', 'mas.py']) {
    const p = path.join(pkg, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  const phonemeTable = path.join(repoRoot, 'shared', 'text', 'phonemeSymbols.json'); // the phoneme variant embeds it
  if (existsSync(phonemeTable)) h.update(readFileSync(phonemeTable));
  return h.digest('hex').slice(0, 12);
}

export type TinyVoice = { dir: string; skip: null } | { dir: null; skip: string };

const cache = new Map<string, TinyVoice>();

export interface TinyVoiceOptions {
  /** The phoneme-input variant (`make-tiny-voice --phonemes`: phoneme table, text.phonemizer). */
  phonemes?: boolean;
  /**
   * `fastpitch`: a duration-model voice (`make-tiny-voice --model fastpitch`: one fastpitch.onnx graph), made
   * with its reference.json (PyTorch's mel and durations at pace 1.25, +2 semitones) for parity specs.
   */
  model?: 'tacotron2' | 'fastpitch';
}

export function tinyVoice(opts: TinyVoiceOptions = {}): TinyVoice {
  const phonemes = Boolean(opts.phonemes);
  const model = opts.model ?? 'tacotron2';
  const kind = `${model}-${phonemes ? 'phonemes' : 'chars'}`;
  const hit = cache.get(kind);
  if (hit) return hit;
  const v = makeTinyVoice(phonemes, model);
  cache.set(kind, v);
  return v;
}

function makeTinyVoice(phonemes: boolean, model: 'tacotron2' | 'fastpitch'): TinyVoice {
  if (!existsSync(path.join(trainerDir, 'formant_trainer', 'tiny_voice.py'))) return { dir: null, skip: 'the trainer (resources/trainer) has no tiny_voice.py' };
  if (model === 'fastpitch' && !existsSync(path.join(trainerDir, 'formant_trainer', 'fastpitch.py'))) return { dir: null, skip: 'the trainer (resources/trainer) has no fastpitch.py' };
  const py = trainerPython();
  if (!py) return { dir: null, skip: 'no Python with torch + onnx (run build/setup.sh to create .venv)' };
  const dir = path.join(os.tmpdir(), `formant-synth-tiny-${model === 'fastpitch' ? 'fastpitch-' : ''}${phonemes ? 'phonemes-' : ''}${sourceHash()}`);
  if (existsSync(path.join(dir, 'voice.json'))) return { dir, skip: null };
  // Spec files run in parallel processes: one makes the voice, the others wait for it.
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (existsSync(path.join(dir, 'voice.json'))) return { dir, skip: null };
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true }); // a maker that died
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (!existsSync(path.join(dir, 'voice.json'))) makeInto(py, dir, phonemes, model);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return { dir, skip: null };
}

function makeInto(py: string, dir: string, phonemes: boolean, model: 'tacotron2' | 'fastpitch'): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(path.dirname(tmp), { recursive: true });
  const r = spawnSync(py, ['-m', 'formant_trainer', 'make-tiny-voice', '--out', tmp, ...(model === 'fastpitch' ? ['--model', 'fastpitch'] : ['--no-reference']), ...(phonemes ? ['--phonemes'] : [])], { cwd: trainerDir, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0 || !existsSync(path.join(tmp, 'voice.json'))) {
    throw new Error(`make-tiny-voice failed (exit ${r.status}): ${(r.stderr || r.stdout || '').slice(-2000)}`);
  }
  try {
    renameSync(tmp, dir);
  } catch {
    // another spec process made it first
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A copy of a voice folder to break in a test: voice.json copied, graphs symlinked (they are large). */
export async function copyVoice(src: string, dest: string, skip: string[] = []): Promise<string> {
  await fs.mkdir(dest, { recursive: true });
  for (const f of await fs.readdir(src)) {
    if (skip.includes(f)) continue;
    if (f.endsWith('.onnx')) await fs.symlink(path.join(src, f), path.join(dest, f));
    else await fs.copyFile(path.join(src, f), path.join(dest, f));
  }
  return dest;
}

export async function editVoiceJson(dir: string, edit: (j: Record<string, any>) => void): Promise<void> {
  const p = path.join(dir, 'voice.json');
  const j = JSON.parse(await fs.readFile(p, 'utf8'));
  edit(j);
  await fs.writeFile(p, JSON.stringify(j, null, 2));
}
