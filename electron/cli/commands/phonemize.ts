import path from 'node:path';
import type { RegisterCommand } from '../formant';
import { checkOutputFile } from '../options';
import { ProgressBar } from '../progress';
import { CLEANED_CSV, describeUnspellable, writeCleanedCsv } from '../../services/training/cleanedCsv';
import { PHONEMES_CSV, writePhonemesCsv } from '../../services/training/phonemesCsv';

/**
 * The text a dataset is trained on, written by TypeScript for the trainer (which never cleans or phonemizes).
 *
 * `formant clean-text <dataset-dir|metadata.csv>`: writes cleaned.csv (`id|cleaned text`) for character-input
 * training with `python -m formant_trainer` directly (`formant train` and the export write it themselves).
 *
 * `formant phonemize <dataset-dir|metadata.csv>`: writes phonemes.csv (`id|phonemes`) for training a
 * phoneme voice (hparams text_frontend = "phonemes"); espeak-ng IPA through shared/text/phonemize.ts,
 * the same phonemizer synthesis uses.
 */
export const registerPhonemize: RegisterCommand = (program) => {
  program
    .command('clean-text <dataset>')
    .description(`write ${CLEANED_CSV} (id|transcript through the english cleaners) next to an LJSpeech metadata.csv, for character-input training`)
    .option('--out <file>', `output file (default: ${CLEANED_CSV} next to metadata.csv)`)
    .action(async (dataset: string, opts: { out?: string }) => {
      if (opts.out) await checkOutputFile('--out', opts.out, CLEANED_CSV);
      const res = await writeCleanedCsv(dataset, { out: opts.out ? path.resolve(opts.out) : undefined });
      process.stdout.write(`wrote ${res.out}: ${res.lines} lines\n`);
      if (res.unspellable.length) {
        process.stderr.write(`warning: ${res.unspellable.length} clip(s) have characters outside the symbol table; training leaves them out: ${describeUnspellable(res.unspellable)}\n`);
      }
    });
  program
    .command('phonemize <dataset>')
    .description(`write ${PHONEMES_CSV} (id|espeak-ng IPA) next to an LJSpeech metadata.csv, for phoneme-input training`)
    .option('--out <file>', `output file (default: ${PHONEMES_CSV} next to metadata.csv)`)
    .option('--voice <name>', 'espeak-ng voice', 'en-us')
    .action(async (dataset: string, opts: { out?: string; voice: string }) => {
      if (opts.out) await checkOutputFile('--out', opts.out, 'phonemes.csv');
      const bar = new ProgressBar(0, 'phonemize');
      let shown = -1;
      try {
        const res = await writePhonemesCsv(dataset, {
          out: opts.out ? path.resolve(opts.out) : undefined,
          voice: opts.voice,
          onProgress: (done, total) => {
            if (shown < 0) {
              bar.setTotal(total);
              shown = 0;
            }
            bar.tick(done - shown);
            shown = done;
          },
        });
        bar.finish();
        process.stdout.write(`wrote ${res.out}: ${res.lines} lines in ${res.seconds.toFixed(1)} s\n`);
      } finally {
        bar.finish();
      }
    });
};
