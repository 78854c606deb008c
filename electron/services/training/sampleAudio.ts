import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { ServiceError } from '../../../shared/contract/rpc';
import type { SampleAudioResult } from '../../../shared/contract/training';
import { MEL_PRESETS, type MelPreset } from '../../../shared/dsp/melPresets';
import { NpyError, readNpy } from '../../../shared/dsp/npy';
import { encodeWav } from '../../../shared/dsp/wav';
import { writeFileAtomic } from '../atomicWrite';
import { melFromNpy } from '../synthesis/melNpy';
import { vocodeGriffinLim } from '../workers/griffinLimThreads';
import { SAMPLES_DIR, sampleNpyPath, sampleWavPath } from './samplePaths';

/**
 * Validation samples as audio: the trainer saves a free-running mel per validation
 * (`samples/sample_<step:08d>.npy`, the run's mel preset); this turns it into a 16-bit mono WAV at the
 * preset's rate next to it with Griffin-Lim — the same code path as `formant vocode` — once: a WAV newer
 * than its .npy is reused.
 */
/** The mel preset a run was trained with: run.json → <model>.hparams.mel_preset (the trainer's default: nvidia). */
export async function runMelPreset(runDir: string): Promise<MelPreset> {
  let name: unknown = 'nvidia';
  try {
    const run = JSON.parse(await fs.readFile(path.join(runDir, 'run.json'), 'utf8')) as Record<string, { hparams?: { mel_preset?: unknown } } | undefined>;
    name = run.fastpitch?.hparams?.mel_preset ?? run.tacotron2?.hparams?.mel_preset ?? run.waveglow?.hparams?.mel_preset ?? 'nvidia';
  } catch {
    // no or unreadable run.json: the trainer's default preset
  }
  if (name === 'nvidia' || name === 'seed') return MEL_PRESETS[name];
  throw new ServiceError('bad-input', `${runDir}/run.json names an unknown mel preset ${JSON.stringify(name)} (known: nvidia, seed)`);
}

/** True when `wav` exists and is at least as new as `npy` (a re-saved mel invalidates it). */
async function isFresh(wav: string, npy: string): Promise<boolean> {
  const [w, n] = await Promise.all([fs.stat(wav).catch(() => null), fs.stat(npy)]);
  return !!w && w.isFile() && w.size > 44 && w.mtimeMs >= n.mtimeMs;
}

/**
 * Griffin-Lim threads: 2 worker threads for long mels (an unaligned model runs to the decoder cap: 20+ s);
 * griffinLimMagnitudesParallel itself keeps mels under ~5 s on the calling thread (measured: a 5 s sample
 * blocks for ≈ 1–1.5 s on a 2-core box), which a training job between validations can afford.
 */
const GL_THREADS = 2;

/**
 * `npyPath` (a sample mel) → `<same name>.wav`, or the existing WAV when it is up to date.
 * Errors: 'not-found' (no .npy), 'bad-input' (not a mel of this preset, NaN/Inf values).
 */
export async function renderSampleWav(npyPath: string, preset: MelPreset, opts: { iterations?: number; threads?: number } = {}): Promise<SampleAudioResult> {
  if (!existsSync(npyPath)) throw new ServiceError('not-found', `${npyPath}: no such sample mel`);
  const wav = sampleWavPath(npyPath);
  if (await isFresh(wav, npyPath)) {
    const st = await fs.stat(wav);
    // 16-bit mono: 2 bytes a sample after the 44-byte header encodeWav writes
    return { wav, seconds: (st.size - 44) / 2 / preset.sampleRate, sampleRate: preset.sampleRate, cached: true };
  }
  let npy;
  try {
    npy = readNpy(await fs.readFile(npyPath));
  } catch (e) {
    if (e instanceof NpyError) throw new ServiceError('bad-input', `${npyPath}: ${e.message}`);
    throw e;
  }
  const { mel } = melFromNpy(npy.data, npy.shape, preset.nMels);
  if (mel.frames < 2) throw new ServiceError('bad-input', `${npyPath}: ${mel.frames} frame(s), too short to vocode`);
  if (mel.data.some((v) => !Number.isFinite(v))) throw new ServiceError('bad-input', `${npyPath} contains NaN or infinite values`);
  const audio = await vocodeGriffinLim(mel, preset, { iterations: opts.iterations, seed: 0, threads: opts.threads ?? GL_THREADS });
  await writeFileAtomic(wav, encodeWav(audio, preset.sampleRate));
  return { wav, seconds: audio.length / preset.sampleRate, sampleRate: preset.sampleRate, cached: false };
}

/** `training.sampleAudio`: the WAV of a run's validation sample at `step`. */
export async function runSampleAudio(runDir: string, step: number): Promise<SampleAudioResult> {
  const npy = sampleNpyPath(runDir, step);
  if (!existsSync(npy)) throw new ServiceError('not-found', `${runDir}: no validation sample at step ${step} (${path.join(SAMPLES_DIR, path.basename(npy))})`);
  return renderSampleWav(npy, await runMelPreset(runDir));
}

/**
 * Renders samples one at a time in the background of a training job (a validation every few hundred
 * steps; a slow conversion must not pile up work). `idle()` resolves when the queue is empty.
 */
export class SampleRenderQueue {
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly runDir: string) {}

  add(npyPath: string, onDone: (r: SampleAudioResult) => void, onError: (e: unknown) => void): void {
    this.chain = this.chain.then(async () => {
      try {
        onDone(await renderSampleWav(npyPath, await runMelPreset(this.runDir)));
      } catch (e) {
        onError(e);
      }
    });
  }

  idle(): Promise<void> {
    return this.chain;
  }
}
