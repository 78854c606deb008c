import { ServiceError } from '../../../shared/contract/rpc';
import type { RegisterCommand } from '../formant';
import { checkOutputFolder, numberOption, seedOption } from '../options';
import { ProgressBar } from '../progress';
import { exportLjspeech } from '../../services/prepare/ljspeechExport';

/** `formant export <project-dir> --format ljspeech --out <dir> [--val-fraction 0.05] [--seed 1234]` */
export const registerExport: RegisterCommand = (program) => {
  program
    .command('export <project-dir>')
    .description('write the dataset as an LJSpeech folder: wavs/<id>.wav, metadata.csv (id|raw text|normalized text), train.txt, val.txt')
    .requiredOption('--out <dir>', 'output folder')
    .option('--format <format>', 'dataset format (ljspeech)', 'ljspeech')
    .option('--val-fraction <f>', 'share of clips in val.txt, 0–0.5 (deterministic split)', numberOption('--val-fraction', { min: 0, max: 0.5, what: 'a fraction' }), 0.05)
    .option('--seed <n>', 'seed of the train/val split', seedOption(), 1234)
    .option('--overwrite', 'replace files in --out that this export did not write (e.g. the LJSpeech folder you imported from)')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string, opts: { out: string; format: string; valFraction: number; seed: number; overwrite?: boolean; json?: boolean }) => {
      if (opts.format !== 'ljspeech') throw new ServiceError('bad-input', `unknown --format "${opts.format}" (supported: ljspeech)`);
      await checkOutputFolder('--out', opts.out);
      const bar = new ProgressBar(0, 'export');
      const r = await exportLjspeech(dir, opts.out, {
        valFraction: opts.valFraction,
        seed: opts.seed,
        overwrite: opts.overwrite,
        onProgress: (d, t) => (d === 1 ? bar.setTotal(t) : undefined, bar.tick()),
      });
      bar.finish();
      if (opts.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        const ex = Object.entries(r.excluded).map(([k, n]) => `${n} ${k}`).join(', ');
        process.stdout.write(`${r.outDir}: ${r.exported} clips (${(r.seconds / 60).toFixed(1)} min), train ${r.train} / val ${r.val}${ex ? `; left out: ${ex}` : ''}\n`);
        if (r.removedStale) process.stdout.write(`removed ${r.removedStale} WAV(s) of the earlier export whose clips are no longer exported\n`);
        for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
      }
    });
};
