import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ServiceError } from '../../../shared/contract/rpc';
import type { TrainerEvent } from '../../../shared/contract/training';
import { parseTrainerLine } from './trainerEvents';
import { findPython, noPythonReason, pythonCandidates, trainerEnv, type PythonCandidate } from './pythonEnv';
import { trainerDir } from './trainerPaths';

/**
 * Runs `python -m formant_trainer <args>` as a child process, reports each JSON line as an event and
 * resolves with the last one. Cancelling (AbortSignal) sends SIGTERM, which `train` handles like its time
 * budget: it finishes the step, writes a checkpoint and a validation, and exits. The child is killed only if
 * that takes longer than `stopGraceMs` (checkpoints are atomic, so even then the run resumes from its newest).
 * On Windows, where Node has no signal a process can handle (kill is TerminateProcess), the same request is a
 * `stop` line on the trainer's stdin (FORMANT_STOP_ON_STDIN=1).
 */
export interface TrainerRun {
  events: TrainerEvent[];
  last: TrainerEvent | null;
}

export interface RunTrainerOptions {
  onEvent?: (e: TrainerEvent) => void;
  /** Lines of stderr (tracebacks, warnings), for logs. */
  onStderr?: (line: string) => void;
  signal?: AbortSignal;
  python?: PythonCandidate | null;
  env?: NodeJS.ProcessEnv;
  /** Keep every event (tests, short commands); training keeps only the last. */
  keepEvents?: boolean;
  /** How long a cancelled trainer may take to write its checkpoint and validation before it is killed. */
  stopGraceMs?: number;
}

/**
 * Time to finish a step and write a checkpoint and a validation after Stop: a default-size Tacotron-2 on a CPU
 * needs tens of seconds for the validation's free-running sample. Callers that end their own process on a stop
 * signal (the CLI) wait at least this long.
 */
export const TRAINER_STOP_GRACE_MS = 120_000;

/** The event the app reports the moment Stop is asked (the trainer's own `stopping` follows at the step's end). */
export const STOPPING_EVENT: TrainerEvent = { event: 'stopping', message: 'stopping — saving a checkpoint' };

const MISSING_HINT = 'run `bash resources/trainer/setup-venv.sh` or set FORMANT_PYTHON to a Python with torch ≥ 1.13 (`formant train --check` explains what is missing)';

export function runTrainer(args: string[], opts: RunTrainerOptions = {}): Promise<TrainerRun> {
  const py = opts.python === undefined ? findPython() : opts.python;
  if (!py) {
    return Promise.reject(new ServiceError('python-missing', `No Python for the trainer: ${noPythonReason(pythonCandidates())}; ${MISSING_HINT}.`));
  }
  if (opts.signal?.aborted) return Promise.reject(new ServiceError('cancelled', 'trainer cancelled'));
  return new Promise((resolve, reject) => {
    const byStdin = process.platform === 'win32';
    const env = trainerEnv(byStdin ? { ...opts.env, FORMANT_STOP_ON_STDIN: '1' } : opts.env);
    const child = spawn(py.path, ['-m', 'formant_trainer', ...args], { cwd: trainerDir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined); // a trainer that already ended cannot be asked to stop
    const events: TrainerEvent[] = [];
    let last: TrainerEvent | null = null;
    let stderrTail: string[] = [];
    let cancelled = false;
    const handle = (line: string) => {
      const e = parseTrainerLine(line);
      if (!e) return;
      last = e;
      if (opts.keepEvents) events.push(e);
      opts.onEvent?.(e);
    };
    const handleErr = (line: string) => {
      stderrTail.push(line);
      if (stderrTail.length > 40) stderrTail = stderrTail.slice(-40);
      opts.onStderr?.(line);
    };
    // Whole lines (UTF-8, \n or \r\n), however the pipe chunks them; a last line without a newline comes at the
    // stream's end, which is before the child's 'close'.
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', handle);
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', handleErr);
    const onAbort = () => {
      cancelled = true;
      handle(JSON.stringify(STOPPING_EVENT));
      if (byStdin) child.stdin.end('stop\n');
      else child.kill('SIGTERM');
      setTimeout(() => child.exitCode == null && child.kill('SIGKILL'), opts.stopGraceMs ?? TRAINER_STOP_GRACE_MS).unref();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new ServiceError('python-missing', `cannot start ${py.path}: ${e.message}; ${MISSING_HINT}.`));
    });
    child.on('close', (code) => {
      opts.signal?.removeEventListener('abort', onAbort);
      const lastEvent = last as TrainerEvent | null;
      // stopped by our SIGTERM, or by a signal of its own (Ctrl-C reaches a CLI's child directly)
      if (cancelled || (lastEvent?.event === 'done' && lastEvent.stopped)) return reject(new ServiceError('cancelled', stoppedMessage(lastEvent)));
      if (code === 0) return resolve({ events, last });
      const stderr = stderrTail.join('\n');
      if (/No module named '?(torch|numpy|soundfile|matplotlib|onnx)'?/.test(stderr)) {
        const mod = /No module named '?([\w.]+)'?/.exec(stderr)?.[1];
        return reject(new ServiceError('torch-missing', `${py.path} lacks the Python package ${mod}: ${MISSING_HINT}.`));
      }
      if (lastEvent?.event === 'error') {
        return reject(new ServiceError(lastEvent.code === 'bad-input' ? 'bad-input' : 'trainer-failed', lastEvent.message ?? 'trainer failed', { stderr: stderr.slice(-4000) }));
      }
      reject(new ServiceError('trainer-failed', `the trainer exited with ${code === null ? 'a signal' : `status ${code}`}: ${stderrTail.slice(-6).join(' | ') || 'no output'}`));
    });
  });
}

/** What a stopped run kept, for the user: the step and checkpoint the trainer wrote on its way out, when it did. */
export function stoppedMessage(done: TrainerEvent | null): string {
  if (done?.event === 'done' && done.stopped && done.checkpoint) {
    return `training stopped at step ${done.step} with a checkpoint and a validation (${done.checkpoint}); resume to continue`;
  }
  return 'training stopped; the run keeps its last checkpoint (resume to continue)';
}

/** CLI arguments of `python -m formant_trainer train` from the contract's input. */
export function trainArgs(i: {
  datasetDir: string;
  runDir: string;
  config?: string;
  steps?: number;
  resume?: boolean;
  warmStart?: string | null;
  model?: string;
  overrides?: Record<string, number | string | boolean>;
  timeBudgetSeconds?: number;
  gtaDir?: string;
  /** cleaned.csv for a character-input run (written by cleanedCsv.ts); the trainer otherwise looks in the dataset. */
  textCsv?: string;
}): string[] {
  const a = ['train', i.datasetDir, '--out', i.runDir, '--model', i.model ?? 'tacotron2'];
  if (!i.resume && i.config) a.push('--config', i.config);
  if (i.steps != null) a.push('--steps', String(i.steps));
  if (i.resume) a.push('--resume');
  if (i.warmStart) a.push('--warm-start', i.warmStart);
  for (const [k, v] of Object.entries(i.overrides ?? {})) a.push('--set', `${k}=${JSON.stringify(v)}`);
  if (i.timeBudgetSeconds != null) a.push('--time-budget', String(i.timeBudgetSeconds));
  if (i.gtaDir) a.push('--gta', i.gtaDir);
  if (i.textCsv) a.push('--text-csv', i.textCsv);
  return a;
}
