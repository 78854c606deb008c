import path from 'node:path';
import type { RegisterCommand } from '../formant';
import { onStopSignal } from '../interruptible';
import { checkOutputFolder } from '../options';
import { ServiceError } from '../../../shared/contract/rpc';
import { cancelJob } from '../../services/jobs';
import { AcousticModel } from '../../../shared/contract/training';
import { startExportVoice } from '../../services/training/operations';

/** `formant export-voice`: a run's newest checkpoints → a voice bundle (ONNX graphs + voice.json). */
export const registerExportVoice: RegisterCommand = (program, setExit) => {
  program
    .command('export-voice <run-dir>')
    .description('export a training run as a voice bundle: fastpitch.onnx (duration model) or encoder/decoder_step/postnet.onnx (Tacotron-2), waveglow.onnx where the run has one, and voice.json')
    .requiredOption('--out <voice-dir>', 'folder for the bundle')
    .option('--name <name>', 'voice name (default: the folder name)')
    .option('--weights <fp32|fp16>', 'fp16 stores the weights at half size (computed in fp32 after loading)', 'fp32')
    .option('--acoustic <fastpitch|tacotron2>', 'which acoustic model to export where the run holds both (default: the one it has)')
    .option('--json', 'print the result as JSON')
    .action(async (runDir: string, opts: { out: string; name?: string; weights: string; acoustic?: string; json?: boolean }) => {
      if (opts.weights !== 'fp32' && opts.weights !== 'fp16') throw new ServiceError('bad-input', `--weights ${opts.weights}: expected fp32 or fp16`);
      const acoustic = opts.acoustic === undefined ? undefined : AcousticModel.safeParse(opts.acoustic);
      if (acoustic && !acoustic.success) throw new ServiceError('bad-input', `--acoustic ${opts.acoustic}: expected fastpitch or tacotron2`);
      await checkOutputFolder('--out', opts.out);
      if (!opts.json) process.stderr.write('exporting ONNX graphs…\n');
      const job = startExportVoice(
        { runDir: path.resolve(runDir), outDir: path.resolve(opts.out), name: opts.name, weights: opts.weights as 'fp32' | 'fp16', acoustic: acoustic?.data },
        () => undefined,
      );
      // Ctrl-C / SIGTERM: the exporter (a Python child) is stopped too, not left running on its own.
      const release = onStopSignal(() => cancelJob(job.jobId), { message: 'voice export stopped; the run is unchanged', graceMs: 6000 });
      let r;
      try {
        r = await job.done;
      } catch (e) {
        if ((e as { code?: string }).code !== 'cancelled') throw e;
        process.stderr.write('formant: voice export stopped; the run is unchanged\n');
        setExit(130);
        return;
      } finally {
        release();
      }
      const what = r.acoustic === 'fastpitch' ? 'duration model (FastPitch)' : 'Tacotron-2';
      process.stdout.write(opts.json ? JSON.stringify(r, null, 2) + '\n' : `voice written to ${r.voiceDir} (${what}, ${r.steps} steps${r.waveglow ? ', with WaveGlow' : ''})\n`);
    });
};
