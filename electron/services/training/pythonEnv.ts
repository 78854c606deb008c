import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TrainingEnv } from '../../../shared/contract/training';
import { findPython, pythonCandidates, type PythonCandidate } from '../shell/appPaths';
import { trainerDir } from './trainerPaths';

/**
 * The trainer's Python (chosen in shell/appPaths.ts: $FORMANT_PYTHON, else the checkout's .venv, else the system
 * python3) and what it lacks: `checkEnv` runs `python -m formant_trainer env` and turns what is missing into
 * sentences that say how to fix it.
 */
export { findPython, pythonCandidates, type PythonCandidate };

/** Why no interpreter was found, as a sentence: a $FORMANT_PYTHON that is not there is named as such. */
export function noPythonReason(candidates: PythonCandidate[]): string {
  const explicit = candidates.find((c) => c.source === 'env');
  if (explicit) return `FORMANT_PYTHON is set to ${explicit.path}, which does not exist`;
  return `No Python found (looked for ${candidates.map((c) => c.path).join(', ')})`;
}

/** Environment for the child: the trainer package importable, unbuffered stdout (JSON lines arrive live). */
export function trainerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = trainerDir();
  const pp = process.env.PYTHONPATH ? `${dir}${path.delimiter}${process.env.PYTHONPATH}` : dir;
  return { ...process.env, PYTHONPATH: pp, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8', ...extra };
}

const SETUP_HINT = 'run `bash resources/trainer/setup-venv.sh` (creates .venv from the pinned requirements), or set FORMANT_PYTHON to a Python that has torch ≥ 1.13';

function runJson(py: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(py, args, { cwd: trainerDir(), env: trainerEnv() });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(e) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export async function checkEnv(candidates = pythonCandidates()): Promise<TrainingEnv> {
  const empty: TrainingEnv = { ok: false, python: null, pythonVersion: null, pythonSource: null, torch: null, cuda: false, cudaDevices: [], onnx: null, onnxruntime: null, problems: [] };
  const py = findPython(candidates);
  if (!py) {
    return { ...empty, problems: [`${noPythonReason(candidates)}: ${SETUP_HINT}.`] };
  }
  if (!existsSync(path.join(trainerDir(), 'formant_trainer', '__init__.py'))) {
    return { ...empty, python: py.path, pythonSource: py.source, problems: [`The trainer package is missing at ${trainerDir()} (set FORMANT_TRAINER_DIR).`] };
  }
  const r = await runJson(py.path, ['-m', 'formant_trainer', 'env'], 120_000);
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  let info: Record<string, unknown> = {};
  try {
    info = line ? (JSON.parse(line) as Record<string, unknown>) : {};
  } catch {
    info = {};
  }
  const str = (k: string) => (typeof info[k] === 'string' ? (info[k] as string) : null);
  const problems: string[] = [];
  if (!line) {
    problems.push(`${py.path} could not run the trainer (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' ')} — ${SETUP_HINT}.`);
  } else {
    if (!str('torch')) problems.push(`${py.path} has no PyTorch (${String(info.error ?? 'import torch failed')}): ${SETUP_HINT}; on Debian/Ubuntu also \`apt-get install python3-torch libopenblas0-pthread\`.`);
    else if (!torchAtLeast(str('torch')!, 1, 13)) problems.push(`PyTorch ${str('torch')} is older than 1.13: ${SETUP_HINT}.`);
    if (!str('numpy')) problems.push(`${py.path} has no numpy: ${SETUP_HINT}.`);
    if (!str('soundfile')) problems.push(`${py.path} has no soundfile (reading WAVs): ${SETUP_HINT}.`);
    if (!str('matplotlib')) problems.push(`${py.path} has no matplotlib (training plots): ${SETUP_HINT}.`);
    if (!str('onnx')) problems.push(`${py.path} has no onnx: export-voice cannot write ONNX graphs; ${SETUP_HINT}.`);
    if (info.symbols == null) problems.push(`The text frontend failed: ${String(info.text_error ?? 'unknown error')}.`);
  }
  return {
    ok: problems.length === 0,
    python: py.path,
    pythonVersion: str('python_version'),
    pythonSource: py.source,
    torch: str('torch'),
    cuda: info.cuda === true,
    cudaDevices: Array.isArray(info.cuda_devices) ? (info.cuda_devices as string[]) : [],
    onnx: str('onnx'),
    onnxruntime: str('onnxruntime'),
    problems,
  };
}

export function torchAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a > major || (a === major && b >= minor);
}
