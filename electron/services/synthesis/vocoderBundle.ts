import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { ServiceError } from '../../../shared/contract/rpc';
import { VOCODER_FILE, VocoderManifest } from '../../../shared/contract/voice';
import { pathExists as exists } from '../fileUtils';
import type { Mel } from './acousticModel';
import { createSession } from './executionProviders';
import { checkGraphIO } from './voiceBundle';
import { runWaveGlow, type WaveGlowRunOptions } from './waveGlowRun';

/**
 * A standalone WaveGlow (`<dir>/vocoder.json` + its graph, written by `formant voice vocoder`): usable by any voice of
 * the same mel preset, like another voice's WaveGlow (`--waveglow-from`). Its graph loads on first use.
 */
export class WaveGlowBundle {
  private loading: Promise<ort.InferenceSession> | null = null;
  readonly providerNotes = new Set<string>();

  constructor(
    readonly dir: string,
    readonly manifest: VocoderManifest,
  ) {}

  get graph(): string {
    return path.join(this.dir, this.manifest.waveglow.graph);
  }

  private session(): Promise<ort.InferenceSession> {
    this.loading ??= (async () => {
      let created: Awaited<ReturnType<typeof createSession>>;
      try {
        created = await createSession(this.graph);
      } catch (e) {
        throw new ServiceError('voice-graph-invalid', `vocoder "${this.manifest.name}": ${this.graph} cannot be loaded: ${(e as Error).message}`);
      }
      const nMels = Number((this.manifest.melPreset as Record<string, unknown>).nMels ?? 80);
      const f = (...dims: (number | string)[]) => ({ type: 'float32' as const, dims });
      checkGraphIO(`vocoder "${this.manifest.name}": ${this.graph}`, created.session, {
        inputs: { mel: f(1, nMels, 'F'), z: f(1, 'G', 'S'), sigma: f(1) },
        outputs: { audio: f(1, 'N') },
      });
      this.providerNotes.add(created.choice.note);
      return created.session;
    })();
    this.loading.catch(() => (this.loading = null));
    return this.loading;
  }

  async waveglow(mel: Mel, opts: WaveGlowRunOptions): Promise<Float32Array> {
    return runWaveGlow(await this.session(), this.manifest.waveglow, mel, opts);
  }

  async dispose(): Promise<void> {
    const s = await this.loading?.catch(() => null);
    await s?.release();
  }
}

/** True when `dir` holds a vocoder bundle (and no voice). */
export async function isVocoderBundle(dir: string): Promise<boolean> {
  return (await exists(path.join(dir, VOCODER_FILE))) && !(await exists(path.join(dir, 'voice.json')));
}

export async function loadVocoderBundle(dir: string): Promise<WaveGlowBundle> {
  const abs = path.resolve(dir);
  const file = path.join(abs, VOCODER_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ServiceError('voice-not-found', `${abs} has no ${VOCODER_FILE}: not a vocoder bundle (make one with \`formant voice vocoder\`)`);
    throw new ServiceError('voice-invalid', `${file} cannot be read: ${(e as Error).message}`);
  }
  const parsed = VocoderManifest.safeParse(json);
  if (!parsed.success) throw new ServiceError('voice-invalid', `${file} is not a valid vocoder manifest:\n${z.prettifyError(parsed.error)}`);
  const m = parsed.data;
  const hop = (m.melPreset as Record<string, unknown>).hopLength;
  if (typeof hop === 'number' && hop !== m.waveglow.hopLength) throw new ServiceError('voice-invalid', `${file} is inconsistent: waveglow.hopLength ${m.waveglow.hopLength} ≠ melPreset.hopLength ${hop}`);
  const bundle = new WaveGlowBundle(abs, m);
  if (!(await exists(bundle.graph))) throw new ServiceError('voice-graph-missing', `vocoder "${m.name}" (${abs}) is missing its graph ${m.waveglow.graph}`);
  return bundle;
}
