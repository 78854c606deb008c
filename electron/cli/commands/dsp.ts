import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { ServiceError } from '../../../shared/contract/rpc';
import { melSpectrogram } from '../../../shared/dsp/mel';
import { DEFAULT_MEL_PRESET, MEL_PRESETS, type MelPreset } from '../../../shared/dsp/melPresets';
import { NpyError, readNpy, writeNpy } from '../../../shared/dsp/npy';
import { decodeWav, downmix, encodeWav, WavError } from '../../../shared/dsp/wav';
import { writeFileAtomic } from '../../services/atomicWrite';
import { decodeMonoToArray } from '../../services/prepare/ffmpeg';
import { melFromNpy } from '../../services/synthesis/melNpy';
import type { RegisterCommand } from '../formant';
import { GRIFFIN_LIM_MOMENTUM } from '../../../shared/dsp/griffinLim';
import { vocodeGriffinLim } from '../../services/workers/griffinLimThreads';
import { checkOutputFile, integerOption, numberOption, seedOption } from '../options';
import { ProgressBar } from '../progress';

/** Far beyond where Griffin-Lim stops improving (~100); bounds a typo like 1e9 to minutes, not days. */
const MAX_ITERATIONS = 1000;

/**
 * `formant mel` and `formant vocode`: the models' mel spectrogram of any audio file, and
 * Griffin-Lim audio from a mel (.npy), with the shared/dsp code the app itself uses.
 */

function presetOption(name: string): MelPreset {
  if (name === 'nvidia' || name === 'seed') return MEL_PRESETS[name];
  throw new ServiceError('bad-input', `unknown --preset ${JSON.stringify(name)} (choose nvidia or seed)`);
}

/** Any audio ffmpeg reads → mono float32 at `rate`, through the same decoder the importer uses. */
async function decodeWithFfmpeg(file: string, rate: number): Promise<Float32Array> {
  const { samples } = await decodeMonoToArray(file, { sampleRate: rate });
  if (samples.length === 0) throw new ServiceError('bad-audio', `${path.basename(file)}: no audio samples`);
  return samples;
}

/**
 * Mono samples at the preset's rate. A WAV already at that rate is decoded directly (bit-exact,
 * no ffmpeg); anything else (other rates, compressed formats, WAV encodings we don't read) goes
 * through ffmpeg.
 */
export async function loadAudioForPreset(file: string, preset: MelPreset): Promise<{ samples: Float32Array; via: 'wav' | 'ffmpeg' }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new ServiceError('bad-input', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  const isRiff = magic === 'RIFF' || magic === 'RF64';
  if (isRiff) {
    try {
      const wav = decodeWav(bytes);
      if (wav.sampleRate === preset.sampleRate) return { samples: downmix(wav.channels), via: 'wav' };
    } catch (e) {
      // A broken WAV is reported as such; an unsupported encoding (A-law…) is left to ffmpeg.
      if (!(e instanceof WavError) || !/unsupported/.test(e.message)) throw e;
    }
  }
  return { samples: await decodeWithFfmpeg(file, preset.sampleRate), via: 'ffmpeg' };
}

// Griffin-Lim over worker threads lives with the other worker entry points (built by electron-vite).
export { vocodeGriffinLim, workerSegmentRunner } from '../../services/workers/griffinLimThreads';

export const registerDsp: RegisterCommand = (program: Command) => {
  program
    .command('mel <audio>')
    .description('write the mel spectrogram the models see (float32 .npy, [80, frames]) of any audio file')
    .option('--preset <name>', 'mel preset: nvidia (NVIDIA Tacotron-2/WaveGlow) or seed (Rayhane-mamah Tacotron-2)', DEFAULT_MEL_PRESET)
    .requiredOption('-o, --out <file.npy>', 'output .npy file')
    .option('--json', 'print a JSON summary')
    .action(async (audio: string, opts: { preset: string; out: string; json?: boolean }) => {
      const preset = presetOption(opts.preset);
      await checkOutputFile('-o', opts.out, 'mel.npy');
      const { samples, via } = await loadAudioForPreset(audio, preset);
      const t0 = performance.now();
      const mel = melSpectrogram(samples, preset);
      const ms = performance.now() - t0;
      await writeFileAtomic(opts.out, writeNpy(mel.data, [mel.nMels, mel.frames]));
      const summary = {
        out: opts.out,
        preset: preset.name,
        shape: [mel.nMels, mel.frames],
        seconds: +(samples.length / preset.sampleRate).toFixed(3),
        decodedWith: via,
        melMs: +ms.toFixed(1),
      };
      process.stdout.write(
        opts.json
          ? JSON.stringify(summary) + '\n'
          : `${opts.out}: mel [${mel.nMels}, ${mel.frames}] (${preset.name}, ${summary.seconds} s, decoded with ${via})\n`,
      );
    });

  program
    .command('vocode <mel.npy>')
    .description('turn a mel spectrogram (.npy, [80, frames]) into a 16-bit WAV')
    .option('--preset <name>', 'mel preset the mel was made with: nvidia or seed', DEFAULT_MEL_PRESET)
    .option('--vocoder <name>', 'griffin-lim (WaveGlow voices: use `formant say`)', 'griffin-lim')
    .option('--iters <n>', `Griffin-Lim iterations, 1–${MAX_ITERATIONS} (default: the preset’s, 60)`, integerOption('--iters', 1, MAX_ITERATIONS))
    .option('--momentum <alpha>', 'fast Griffin-Lim momentum, 0–1, 0 = classic Griffin-Lim', numberOption('--momentum', { min: 0, max: 1 }), GRIFFIN_LIM_MOMENTUM)
    .option('--no-momentum', 'classic Griffin-Lim (same as --momentum 0)')
    .option('--seed <n>', 'seed of the initial phases the magnitudes leave open', seedOption(), 0)
    .option('--power <p>', 'exponent on the linear magnitudes, 0.01–10 (default: the preset\'s: nvidia 1, seed 1.5)', numberOption('--power', { min: 0.01, max: 10 }))
    .option('--threads <n>', 'worker threads for Griffin-Lim, 1–64 (default: CPU count, at most 4; 1 = no workers)', integerOption('--threads', 1, 64))
    .requiredOption('-o, --out <file.wav>', 'output WAV (16-bit mono at the preset rate)')
    .action(async (melFile: string, opts: { preset: string; vocoder: string; iters?: number; momentum: number | false; seed: number; power?: number; threads?: number; out: string }) => {
      const preset = presetOption(opts.preset);
      if (opts.vocoder !== 'griffin-lim') {
        throw new ServiceError('bad-input', `unknown --vocoder ${JSON.stringify(opts.vocoder)}: \`formant vocode\` runs griffin-lim (WaveGlow runs inside a voice: \`formant say\`)`);
      }
      await checkOutputFile('-o', opts.out);
      const { iters: iterations, seed, power } = opts;
      const momentum = opts.momentum === false ? 0 : opts.momentum;
      const threads = opts.threads ?? Math.min(4, Math.max(1, os.availableParallelism?.() ?? os.cpus().length));
      let npy;
      try {
        npy = readNpy(await readFile(melFile));
      } catch (e) {
        if (e instanceof NpyError) throw new ServiceError('bad-input', `${melFile}: ${e.message}`);
        throw new ServiceError('bad-input', `cannot read ${melFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const { mel, note } = melFromNpy(npy.data, npy.shape, preset.nMels);
      if (mel.frames === 0) throw new ServiceError('bad-input', `${melFile} has no frames (shape ${npy.shape.join(' × ')}): nothing to turn into audio`);
      if (note) process.stderr.write(`formant: ${melFile}: ${note}\n`);
      if (mel.data.some((v) => !Number.isFinite(v))) throw new ServiceError('bad-input', `${melFile} contains NaN or infinite values`);
      let bar: ProgressBar | undefined;
      const t0 = performance.now();
      const audio = await vocodeGriffinLim(mel, preset, {
        iterations,
        momentum,
        seed,
        power,
        threads,
        onProgress: (_done, total) => {
          bar ??= new ProgressBar(total, 'griffin-lim');
          bar.tick(1);
        },
      });
      bar?.finish();
      const secs = (performance.now() - t0) / 1000;
      await writeFileAtomic(opts.out, encodeWav(audio, preset.sampleRate));
      const dur = audio.length / preset.sampleRate;
      process.stdout.write(`${opts.out}: ${dur.toFixed(2)} s of audio (${preset.name}, griffin-lim ${iterations ?? preset.griffinLim.iterations} iterations, ${secs.toFixed(2)} s, RTF ${(secs / Math.max(dur, 1e-9)).toFixed(3)})\n`);
    });
};
