import { TrainerEvent } from '../../../shared/contract/training';

/** One trainer stdout line → event, or null for anything that is not a JSON object with an `event` (warnings, noise). */
export function parseTrainerLine(line: string): TrainerEvent | null {
  const s = line.trim();
  if (!s.startsWith('{')) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(s);
  } catch {
    return null;
  }
  const r = TrainerEvent.safeParse(raw);
  return r.success ? r.data : null;
}

/** A line for people: what the CLI prints and the job message shows. */
export function describeEvent(e: TrainerEvent): string | null {
  switch (e.event) {
    case 'start':
      return `training ${e.model} from step ${e.step} to ${e.steps} on ${String(e.device)} (${String(e.train_utterances)} clips, batch ${String(e.batch_size)}, world size ${String(e.world_size)})`;
    case 'resumed':
      return `resumed from ${e.checkpoint} (step ${e.step})`;
    case 'warm_start':
      return `warm start from ${e.checkpoint}: ${String(e.loaded)} tensors loaded, skipped ${(e.skipped as unknown[] | undefined)?.length ?? 0}`;
    case 'step':
      return `step ${e.step} loss ${e.loss?.toFixed(4)}${lossParts(e.losses)} grad ${e.grad_norm?.toFixed(2)} ${e.steps_per_s?.toFixed(3)} steps/s${e.frames_per_s !== undefined ? ` (${Math.round(e.frames_per_s)} frames/s)` : ''} ETA ${formatSeconds(e.eta_s ?? 0)}`;
    case 'checkpoint':
      return `checkpoint ${e.path}`;
    case 'validation': {
      const n = Number(e.utterances ?? 0);
      const sample = e.sample ? `; sample ${e.sample.id}: ${e.sample.frames} frames${e.sample.stopped ? '' : ', no stop token'}` : '';
      return `validation step ${e.step}: loss ${e.loss?.toFixed(4)}, ${String(e.aligned ?? 0)}/${n} clips aligned; plots: ${Object.values(e.plots ?? {}).join(', ')}${sample}`;
    }
    case 'sample_audio':
      return `validation sample step ${e.step}: ${e.sample?.wav ?? '?'}${e.sample?.stopped === false ? ' (no stop token: not aligned yet)' : ''}`;
    case 'warning':
      return `warning: ${e.message}`;
    case 'phonemes':
      return String(e.message);
    case 'time_budget':
      return `time budget spent after ${formatSeconds(Number(e.seconds ?? 0))}: stopped at step ${e.step} (resume to continue)`;
    case 'stopping':
      return typeof e.step === 'number' ? `stopping at step ${e.step} — saving a checkpoint and a validation` : (e.message ?? 'stopping — saving a checkpoint');
    case 'done':
      return e.stopped ? `stopped at step ${e.step}; checkpoint ${e.checkpoint}` : `done at step ${e.step}; checkpoint ${e.checkpoint}`;
    case 'exported':
      return `voice written to ${String(e.voice_dir)}`;
    case 'error':
      return `error: ${e.message}`;
    default:
      return null;
  }
}

/** A model's loss parts beside its total (FastPitch: mel, duration, pitch, energy, align, bin), e.g. " (mel 1.02 duration 0.31)". */
export function lossParts(losses: Record<string, number> | undefined): string {
  const parts = Object.entries(losses ?? {}).filter(([k, v]) => k !== 'total' && Number.isFinite(v));
  return parts.length > 1 ? ` (${parts.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ')})` : '';
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 5400) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}
