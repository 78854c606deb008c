import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ServiceError, type ServiceEvent } from '../../../shared/contract/rpc';
import { startJob, type StartedJob } from '../jobs';
import { runTrainer } from './trainerProcess';

/**
 * Bundles from checkpoint files without training (the trainer's from-checkpoints, export-vocoder, add-waveglow;
 * resources/trainer/formant_trainer/cli_published.py): NVIDIA's published tacotron2_statedict.pt and
 * waveglow_256channels*.pt, read as data (never unpickled as code), or this trainer's own checkpoints. Shared by
 * the CLI (`formant voice …`) and the app.
 */
export interface CheckpointSource {
  model: string;
  file?: string;
  sha256?: string;
  steps?: number;
}

export interface VoiceFromCheckpointsResult {
  voiceDir: string;
  waveglow: boolean;
  sources: CheckpointSource[];
}

function needFile(p: string | undefined, flag: string): void {
  if (p === undefined) return;
  if (!existsSync(p)) throw new ServiceError('bad-input', `${flag} ${p}: no such file`);
  if (!statSync(p).isFile()) throw new ServiceError('bad-input', `${flag} ${p}: a checkpoint file is expected, this is a folder`);
}

const weightsArgs = (w?: 'fp32' | 'fp16') => ['--weights', w ?? 'fp32'];

export function startVoiceFromCheckpoints(
  input: { tacotron2: string; waveglow?: string; outDir: string; name?: string; weights?: 'fp32' | 'fp16' },
  emit: (e: ServiceEvent) => void,
): StartedJob<VoiceFromCheckpointsResult> {
  needFile(input.tacotron2, '--tacotron2');
  needFile(input.waveglow, '--waveglow');
  return startJob('voice-from-checkpoints', emit, async (job) => {
    job.progress(null, `reading ${path.basename(input.tacotron2)}${input.waveglow ? ` and ${path.basename(input.waveglow)}` : ''}, exporting ONNX graphs`);
    const args = ['from-checkpoints', '--tacotron2', input.tacotron2, '--out', input.outDir, ...weightsArgs(input.weights)];
    if (input.waveglow) args.push('--waveglow', input.waveglow);
    if (input.name) args.push('--name', input.name);
    const r = await runTrainer(args, { signal: job.signal, stopGraceMs: 2000 });
    const e = r.last;
    if (!e || e.event !== 'exported') throw new ServiceError('trainer-failed', 'from-checkpoints ended without writing a voice');
    return { voiceDir: String(e.voice_dir), waveglow: Boolean(e.waveglow), sources: Array.isArray(e.sources) ? (e.sources as CheckpointSource[]) : [] };
  });
}

export function startExportVocoder(
  input: { waveglow: string; outDir: string; name?: string; weights?: 'fp32' | 'fp16' },
  emit: (e: ServiceEvent) => void,
): StartedJob<{ vocoderDir: string; melPreset: string }> {
  needFile(input.waveglow, '--waveglow');
  return startJob('export-vocoder', emit, async (job) => {
    job.progress(null, `exporting ${path.basename(input.waveglow)} as a WaveGlow bundle`);
    const args = ['export-vocoder', '--waveglow', input.waveglow, '--out', input.outDir, ...weightsArgs(input.weights), ...(input.name ? ['--name', input.name] : [])];
    const e = (await runTrainer(args, { signal: job.signal, stopGraceMs: 2000 })).last;
    if (!e || e.event !== 'vocoder-exported') throw new ServiceError('trainer-failed', 'export-vocoder ended without writing a vocoder');
    return { vocoderDir: String(e.vocoder_dir), melPreset: String(e.mel_preset) };
  });
}

/** `waveglow`: a WaveGlow checkpoint or a vocoder bundle folder. The voice's mel preset must be the WaveGlow's. */
export function startAddWaveGlow(
  input: { voiceDir: string; waveglow: string; weights?: 'fp32' | 'fp16' },
  emit: (e: ServiceEvent) => void,
): StartedJob<{ voiceDir: string; melPreset: string }> {
  if (!existsSync(path.join(input.voiceDir, 'voice.json'))) throw new ServiceError('bad-input', `${input.voiceDir}: not a voice folder (no voice.json)`);
  if (!existsSync(input.waveglow)) throw new ServiceError('bad-input', `--waveglow ${input.waveglow}: no such file or folder`);
  return startJob('add-waveglow', emit, async (job) => {
    job.progress(null, `adding the WaveGlow of ${path.basename(input.waveglow)} to ${path.basename(input.voiceDir)}`);
    const args = ['add-waveglow', input.voiceDir, '--waveglow', input.waveglow, ...weightsArgs(input.weights)];
    const e = (await runTrainer(args, { signal: job.signal, stopGraceMs: 2000 })).last;
    if (!e || e.event !== 'waveglow-added') throw new ServiceError('trainer-failed', 'add-waveglow ended without changing the voice');
    return { voiceDir: String(e.voice_dir), melPreset: String(e.mel_preset) };
  });
}
