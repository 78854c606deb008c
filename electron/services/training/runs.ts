import { existsSync, promises as fs, readdirSync } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { AcousticModel, TrainerModel, type CheckpointInfo, type RunSummary } from '../../../shared/contract/training';
import { readJsonObject } from '../fileUtils';
import { listSamples } from './sampleList';
import { runTextFrontend } from './textFrontend';

/**
 * Reading a run folder (written by the trainer): checkpoints/<model>_<step>.pt, metrics.jsonl, plots/,
 * samples/, run.json, alignment_health.json. Pure file reading, no Python needed, so the Train view can show a run
 * while nothing trains.
 */
const CKPT = /^(tacotron2|waveglow|fastpitch)_(\d{8})\.pt$/;

/** People's names of the models, for messages. */
export const MODEL_NAMES: Record<TrainerModel, string> = { tacotron2: 'Tacotron-2', fastpitch: 'FastPitch', waveglow: 'WaveGlow' };

/** The models a run folder holds checkpoints of (file names only: synchronous, for checks at the boundary). */
export function checkpointModels(runDir: string): Set<TrainerModel> {
  const out = new Set<TrainerModel>();
  let names: string[];
  try {
    names = readdirSync(path.join(runDir, 'checkpoints'));
  } catch {
    return out;
  }
  for (const n of names) {
    const m = CKPT.exec(n);
    if (m) out.add(m[1] as TrainerModel);
  }
  return out;
}

/**
 * The model a resume continues when none is named: the run's one acoustic model, else WaveGlow for a
 * vocoder-only run. Refused, by name, for a run holding both acoustic models or none at all.
 */
export function resumeModel(runDir: string): TrainerModel {
  const have = checkpointModels(runDir);
  const acoustic = AcousticModel.options.filter((m) => have.has(m));
  if (acoustic.length > 1) {
    throw new ServiceError('bad-input', `${runDir} holds both Tacotron-2 and FastPitch checkpoints; say which to resume (--model fastpitch or --model tacotron2)`);
  }
  if (acoustic.length === 1) return acoustic[0];
  if (have.has('waveglow')) return 'waveglow';
  throw new ServiceError('bad-input', `${runDir}: no checkpoints to resume (start a new run there instead)`);
}

/**
 * The model a summary shows: the one asked for; else the run's acoustic model (of two, the one with the newest
 * checkpoint), from its checkpoints or, before the first checkpoint, its run.json; else WaveGlow; else null.
 */
function summaryModel(checkpoints: CheckpointInfo[], run: Record<string, unknown> | null, asked?: TrainerModel): TrainerModel | null {
  if (asked) return asked;
  const acoustic = checkpoints.filter((c) => c.model !== 'waveglow').sort((a, b) => a.mtime.localeCompare(b.mtime) || a.step - b.step);
  if (acoustic.length) return acoustic[acoustic.length - 1].model;
  const sections = AcousticModel.options.filter((m) => run?.[m] && typeof run[m] === 'object');
  if (sections.length === 1) return sections[0];
  if (checkpoints.some((c) => c.model === 'waveglow') || (run?.waveglow && typeof run.waveglow === 'object')) return 'waveglow';
  return null;
}

export async function listCheckpoints(runDir: string): Promise<CheckpointInfo[]> {
  const dir = path.join(runDir, 'checkpoints');
  if (!existsSync(dir)) return [];
  const out: CheckpointInfo[] = [];
  for (const name of await fs.readdir(dir)) {
    const m = CKPT.exec(name);
    if (!m) continue;
    const p = path.join(dir, name);
    const st = await fs.stat(p);
    out.push({ model: m[1] as CheckpointInfo['model'], step: Number(m[2]), path: p, bytes: st.size, mtime: st.mtime.toISOString() });
  }
  return out.sort((a, b) => a.model.localeCompare(b.model) || a.step - b.step);
}

async function newest(dir: string, prefix: string): Promise<string | null> {
  if (!existsSync(dir)) return null;
  const names = (await fs.readdir(dir)).filter((n) => n.startsWith(prefix) && n.endsWith('.png')).sort();
  return names.length ? path.join(dir, names[names.length - 1]) : null;
}

export async function runSummary(runDir: string, asked?: TrainerModel): Promise<RunSummary> {
  if (!existsSync(runDir)) throw new ServiceError('not-found', `${runDir}: no such run folder`);
  const run = await readJsonObject(path.join(runDir, 'run.json'));
  const checkpoints = await listCheckpoints(runDir);
  const shown = summaryModel(checkpoints, run, asked);
  const model = shown ?? 'tacotron2'; // an empty folder: nothing to read either way
  const train: [number, number][] = [];
  const validation: [number, number][] = [];
  const metrics = path.join(runDir, 'metrics.jsonl');
  if (existsSync(metrics)) {
    for (const line of (await fs.readFile(metrics, 'utf8')).split('\n')) {
      if (!line.startsWith('{')) continue;
      let r: { event?: string; model?: string; step?: number; loss?: number };
      try {
        r = JSON.parse(line);
      } catch {
        continue; // a line torn by a killed run
      }
      if (r.model !== model || typeof r.step !== 'number' || typeof r.loss !== 'number') continue;
      (r.event === 'validation' ? validation : train).push([r.step, r.loss]);
    }
  }
  const plots = path.join(runDir, 'plots');
  const health = await readJsonObject(path.join(runDir, 'alignment_health.json'));
  return {
    runDir: path.resolve(runDir),
    dataset: typeof run?.dataset === 'string' ? run.dataset : null,
    checkpoints,
    train,
    validation,
    plots: { alignment: await newest(plots, 'alignment_'), mel: await newest(plots, 'mel_'), loss: existsSync(path.join(plots, `loss_${model}.png`)) ? path.join(plots, `loss_${model}.png`) : null },
    alignment: Array.isArray(health?.utterances) ? (health!.utterances as RunSummary['alignment']) : [],
    samples: await listSamples(runDir, run),
    textFrontend: runTextFrontend(run, shown === 'fastpitch' ? 'fastpitch' : 'tacotron2'), // the model that reads text
    model: shown,
    acousticModels: AcousticModel.options.filter((m) => checkpoints.some((c) => c.model === m)),
  };
}

/** The summary of a run folder that does not exist yet: nothing trained, nothing to show. */
export function emptyRunSummary(runDir: string): RunSummary {
  const none = { alignment: null, mel: null, loss: null };
  return { runDir: path.resolve(runDir), dataset: null, checkpoints: [], train: [], validation: [], plots: none, alignment: [], samples: [], textFrontend: null, model: null, acousticModels: [] };
}

export async function runDataset(runDir: string): Promise<string | null> {
  const run = await readJsonObject(path.join(runDir, 'run.json'));
  return typeof run?.dataset === 'string' ? run.dataset : null;
}
