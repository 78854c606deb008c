import path from 'node:path';
import type { Command } from 'commander';
import type { RegisterCommand } from '../formant';
import { ServiceError } from '../../../shared/contract/rpc';
import { startAddWaveGlow, startExportVocoder, startVoiceFromCheckpoints } from '../../services/training/publishedCheckpoints';

/**
 * `formant voice …`: voices and vocoders from checkpoint files, no training — NVIDIA's published Tacotron-2 and
 * WaveGlow (downloaded by the user; the README says where) or this trainer's own. Every file is read as data.
 */
function weights(w: string): 'fp32' | 'fp16' {
  if (w !== 'fp32' && w !== 'fp16') throw new ServiceError('bad-input', `--weights ${w}: expected fp32 or fp16`);
  return w;
}

const print = (json: boolean | undefined, obj: unknown, line: string) => process.stdout.write(json ? JSON.stringify(obj, null, 2) + '\n' : line + '\n');

export const registerVoice: RegisterCommand = (program) => {
  const voice: Command = program.command('voice').description('voices and WaveGlow vocoders from checkpoint files without training (e.g. NVIDIA\'s published LJSpeech models)');
  voice
    .command('from-checkpoints')
    .description('a complete voice bundle (ONNX graphs + voice.json) from a Tacotron-2 checkpoint and, optionally, a WaveGlow')
    .requiredOption('--tacotron2 <file>', "Tacotron-2 checkpoint: NVIDIA's tacotron2_statedict.pt or one of a training run")
    .option('--waveglow <file>', "WaveGlow checkpoint: NVIDIA's waveglow_256channels_universal_v5.pt or one of a training run")
    .requiredOption('--out <voice-dir>', 'folder for the voice (replaced whole, never half-written)')
    .option('--name <name>', 'voice name (default: the folder name)')
    .option('--weights <fp32|fp16>', 'fp16 stores the weights at half size (computed in fp32 after loading)', 'fp32')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { tacotron2: string; waveglow?: string; out: string; name?: string; weights: string; json?: boolean }) => {
      const w = weights(opts.weights);
      if (!opts.json) process.stderr.write('reading the checkpoints and exporting ONNX graphs…\n');
      const job = startVoiceFromCheckpoints(
        { tacotron2: path.resolve(opts.tacotron2), waveglow: opts.waveglow && path.resolve(opts.waveglow), outDir: path.resolve(opts.out), name: opts.name, weights: w },
        () => undefined,
      );
      const r = await job.done;
      const then = r.waveglow ? '--vocoder waveglow or griffin-lim' : 'Griffin-Lim; add a WaveGlow with `formant voice add-waveglow`';
      print(opts.json, r, `voice written to ${r.voiceDir} (Tacotron-2${r.waveglow ? ' + WaveGlow' : ''}); try: formant say "Hello there." --voice ${r.voiceDir} -o hello.wav (${then})`);
    });
  voice
    .command('vocoder')
    .description('a standalone WaveGlow bundle (vocoder.json + waveglow.onnx) any voice of the same mel preset can use: formant say --vocoder waveglow --waveglow-from <dir>')
    .requiredOption('--waveglow <file>', 'WaveGlow checkpoint (NVIDIA\'s waveglow_256channels_universal_v5.pt or one of a training run)')
    .requiredOption('--out <vocoder-dir>', 'folder for the vocoder bundle')
    .option('--name <name>', 'vocoder name (default: the folder name)')
    .option('--weights <fp32|fp16>', 'fp16 stores the weights at half size (computed in fp32 after loading)', 'fp32')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { waveglow: string; out: string; name?: string; weights: string; json?: boolean }) => {
      const w = weights(opts.weights);
      const r = await startExportVocoder({ waveglow: path.resolve(opts.waveglow), outDir: path.resolve(opts.out), name: opts.name, weights: w }, () => undefined).done;
      print(opts.json, r, `WaveGlow bundle written to ${r.vocoderDir} (mel preset "${r.melPreset}"); use it with formant say --vocoder waveglow --waveglow-from ${r.vocoderDir}`);
    });
  voice
    .command('add-waveglow <voice-dir>')
    .description("add (or replace) a voice's WaveGlow, from a checkpoint or a vocoder bundle of the voice's mel preset")
    .requiredOption('--waveglow <file-or-dir>', 'a WaveGlow checkpoint or a vocoder bundle folder')
    .option('--weights <fp32|fp16>', 'fp16 stores the weights at half size (for a checkpoint)', 'fp32')
    .option('--json', 'print the result as JSON')
    .action(async (voiceDir: string, opts: { waveglow: string; weights: string; json?: boolean }) => {
      const w = weights(opts.weights);
      const r = await startAddWaveGlow({ voiceDir: path.resolve(voiceDir), waveglow: path.resolve(opts.waveglow), weights: w }, () => undefined).done;
      print(opts.json, r, `${r.voiceDir} now has a WaveGlow (mel preset "${r.melPreset}"): formant say --voice ${r.voiceDir} --vocoder waveglow`);
    });
};
