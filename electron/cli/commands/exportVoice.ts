import path from 'node:path';
import type { RegisterCommand } from '../formant';
import { startExportVoice } from '../../services/training/operations';

/** `formant export-voice`: a run's newest checkpoints → a voice bundle (ONNX graphs + voice.json). */
export const registerExportVoice: RegisterCommand = (program) => {
  program
    .command('export-voice <run-dir>')
    .description('export a training run as a voice bundle: encoder/decoder_step/postnet(/waveglow).onnx + voice.json')
    .requiredOption('--out <voice-dir>', 'folder for the bundle')
    .option('--name <name>', 'voice name (default: the folder name)')
    .option('--json', 'print the result as JSON')
    .action(async (runDir: string, opts: { out: string; name?: string; json?: boolean }) => {
      if (!opts.json) process.stderr.write('exporting ONNX graphs…\n');
      const job = startExportVoice({ runDir: path.resolve(runDir), outDir: path.resolve(opts.out), name: opts.name }, () => undefined);
      const r = await job.done;
      process.stdout.write(opts.json ? JSON.stringify(r, null, 2) + '\n' : `voice written to ${r.voiceDir} (${r.steps} steps${r.waveglow ? ', with WaveGlow' : ''})\n`);
    });
};
