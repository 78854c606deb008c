import path from 'node:path';
import type { RegisterCommand } from '../formant';
import { checkOutputFolder } from '../options';
import { AcousticModel } from '../../../shared/contract/training';
import { startExportVoice } from '../../services/training/operations';

/** `formant export-voice`: a run's newest checkpoints → a voice bundle (ONNX graphs + voice.json). */
export const registerExportVoice: RegisterCommand = (program) => {
  program
    .command('export-voice <run-dir>')
    .description('export a training run as a voice bundle: fastpitch.onnx (duration model) or encoder/decoder_step/postnet.onnx (Tacotron-2), waveglow.onnx where the run has one, and voice.json')
    .requiredOption('--out <voice-dir>', 'folder for the bundle')
    .option('--name <name>', 'voice name (default: the folder name)')
    .option('--weights <fp32|fp16>', 'fp16 stores the weights at half size (computed in fp32 after loading)', 'fp32')
    .option('--acoustic <fastpitch|tacotron2>', 'which acoustic model to export where the run holds both (default: the one it has)')
    .option('--json', 'print the result as JSON')
    .action(async (runDir: string, opts: { out: string; name?: string; weights: string; acoustic?: string; json?: boolean }, cmd: { error(m: string): never }) => {
      if (opts.weights !== 'fp32' && opts.weights !== 'fp16') cmd.error(`formant export-voice: --weights ${opts.weights}: expected fp32 or fp16`);
      const acoustic = opts.acoustic === undefined ? undefined : AcousticModel.safeParse(opts.acoustic);
      if (acoustic && !acoustic.success) cmd.error(`formant export-voice: --acoustic ${opts.acoustic}: expected fastpitch or tacotron2`);
      await checkOutputFolder('--out', opts.out);
      if (!opts.json) process.stderr.write('exporting ONNX graphs…\n');
      const job = startExportVoice(
        { runDir: path.resolve(runDir), outDir: path.resolve(opts.out), name: opts.name, weights: opts.weights as 'fp32' | 'fp16', acoustic: acoustic?.data },
        () => undefined,
      );
      const r = await job.done;
      const what = r.acoustic === 'fastpitch' ? 'duration model (FastPitch)' : 'Tacotron-2';
      process.stdout.write(opts.json ? JSON.stringify(r, null, 2) + '\n' : `voice written to ${r.voiceDir} (${what}, ${r.steps} steps${r.waveglow ? ', with WaveGlow' : ''})\n`);
    });
};
