import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import type { CheckpointInfo, RunSummary } from '../../../shared/contract/training';
import { readJsonObject } from '../fileUtils';
import { listSamples } from './sampleList';
import { runTextFrontend } from './textFrontend';

/**
 * Reading a run folder (written by the trainer): checkpoints/<model>_<step>.pt, metrics.jsonl, plots/,
 * samples/, run.json, alignment_health.json. Pure file reading, no Python needed, so the Train view can show a run
 * while nothing trains.
 */
const CKPT = /^(tacotron2|waveglow)_(\d{8})\.pt$/;

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

export async function runSummary(runDir: string, model: 'tacotron2' | 'waveglow' = 'tacotron2'): Promise<RunSummary> {
  if (!existsSync(runDir)) throw new ServiceError('not-found', `${runDir}: no such run folder`);
  const run = await readJsonObject(path.join(runDir, 'run.json'));
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
    checkpoints: await listCheckpoints(runDir),
    train,
    validation,
    plots: { alignment: await newest(plots, 'alignment_'), mel: await newest(plots, 'mel_'), loss: existsSync(path.join(plots, `loss_${model}.png`)) ? path.join(plots, `loss_${model}.png`) : null },
    alignment: Array.isArray(health?.utterances) ? (health!.utterances as RunSummary['alignment']) : [],
    samples: await listSamples(runDir, run),
    textFrontend: runTextFrontend(run), // Tacotron-2's: the model that reads text
  };
}

export async function runDataset(runDir: string): Promise<string | null> {
  const run = await readJsonObject(path.join(runDir, 'run.json'));
  return typeof run?.dataset === 'string' ? run.dataset : null;
}
