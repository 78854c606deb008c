import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import { TextFrontend, type TrainerModel, type TrainInput } from '../../../shared/contract/training';
import { readJsonObject } from '../fileUtils';

/**
 * The text input of a training run (hparams `text_frontend`) as the app sees it: the start input's
 * `textFrontend` becomes the trainer's `text_frontend` override (so trainingTextFrontend and the phonemes.csv
 * step see it too), and a run folder's run.json says which one a run uses.
 */
type ParsedTrainInput = ReturnType<typeof TrainInput.parse>;

/** `textFrontend` → `overrides.text_frontend`; the two disagreeing is a clear error, not a silent pick. */
export function withTextFrontendOverride<T extends Pick<ParsedTrainInput, 'overrides' | 'textFrontend'>>(input: T): T {
  if (!input.textFrontend) return input;
  const o = input.overrides?.text_frontend;
  if (o !== undefined && o !== input.textFrontend) {
    throw new ServiceError('bad-input', `training: textFrontend "${input.textFrontend}" and overrides.text_frontend ${JSON.stringify(o)} disagree; give one`);
  }
  return { ...input, overrides: { ...input.overrides, text_frontend: input.textFrontend } };
}

/**
 * A run's text input from its run.json (`<model>.text_frontend`, else its hparams'); a run.json that records
 * neither is from before phoneme input: characters. Null without a run.json or a section for the model (or an unknown value).
 */
export function runTextFrontend(run: Record<string, unknown> | null, model: TrainerModel = 'tacotron2'): TextFrontend | null {
  const m = run?.[model] as { text_frontend?: unknown; hparams?: { text_frontend?: unknown } } | undefined;
  if (!m || typeof m !== 'object') return null;
  const f = m?.text_frontend ?? m?.hparams?.text_frontend ?? 'characters';
  const parsed = TextFrontend.safeParse(f);
  return parsed.success ? parsed.data : null;
}

/** The text frontend a training run will use: overrides, else (resuming) the run's own, else the config's; characters by default. */
export async function trainingTextFrontend(input: { config?: string; overrides?: Record<string, unknown>; resume?: boolean; runDir: string; model?: TrainerModel }): Promise<string> {
  const o = input.overrides?.text_frontend;
  if (typeof o === 'string') return o;
  if (input.resume) {
    const own = runTextFrontend(await readJsonObject(path.join(input.runDir, 'run.json')), input.model);
    if (own) return own;
  }
  const config = input.config ?? 'default';
  if (config === 'default' || config === 'tiny') return 'characters';
  const json = await readJsonObject(config); // an unreadable config is reported by the trainer itself
  return typeof json?.text_frontend === 'string' ? json.text_frontend : 'characters';
}
