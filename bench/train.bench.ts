/**
 * `npm run bench:train`: training speed of the trainer's tiny and default configs on this machine
 * (steps/s, seconds per epoch) on real speech (../shared/data/lj-train, else lj-small), through the same
 * child-process path the app uses. The default config times 1 step (it takes tens of seconds on a CPU);
 * `-- --default-steps 0` skips it, `-- --tiny-steps N` changes the tiny sample. Batches are made as training makes
 * them (length buckets); it also prints how much of the decoder's work is real speech against plain shuffling.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCleanedCsv } from '../electron/services/training/cleanedCsv';
import { runTrainer } from '../electron/services/training/trainerProcess';
import { repoRoot } from '../electron/services/training/trainerPaths';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const data = path.resolve(repoRoot, '..', 'shared', 'data');
const dataset = ['lj-train', 'lj-small'].map((d) => path.join(data, d)).find((d) => existsSync(path.join(d, 'metadata.csv')));
if (!dataset) {
  process.stderr.write(`bench:train: no dataset under ${data} (lj-train or lj-small); skipped\n`);
  process.exit(0);
}
const pct = (x: unknown) => `${(100 * Number(x)).toFixed(0)} %`;
const started = Date.now();
// The transcripts as shared/text cleans them (the trainer never cleans), beside the shared data, not in it.
const textCsv = (await writeCleanedCsv(dataset, { out: path.join(mkdtempSync(path.join(os.tmpdir(), 'formant-bench-')), 'cleaned.csv') })).out;
const r = await runTrainer(['bench', dataset, '--text-csv', textCsv, '--tiny-steps', String(arg('tiny-steps', 10)), '--default-steps', String(arg('default-steps', 1))], {
  keepEvents: true,
  onEvent: (e) => {
    if (e.event !== 'bench') return;
    const x = e as Record<string, unknown>;
    process.stdout.write(
      `${String(x.config).padEnd(8)} ${String(x.parameters).padStart(9)} params  batch ${x.batch_size}  r=${x.r}  threads ${x.threads}  ` +
        `${x.seconds_per_step} s/step  ${x.steps_per_s} steps/s  ${x.seconds_per_epoch} s/epoch (${x.steps_per_epoch} steps over ${x.clips} clips, mean ${x.mean_clip_s} s)  [${x.timed_steps} timed]\n` +
        `         batching: ${x.batching}, real speech ${pct(x.real_frames)} of the decoder's frames (plain shuffling: ${pct(x.real_frames_shuffled)}, ` +
        `${(Number(x.real_frames) / Number(x.real_frames_shuffled)).toFixed(2)}× less padded work)` +
        (x.speedup_over_shuffled ? `; timed in turn with plain shuffling: ${x.seconds_per_step_shuffled} s/step, ${x.speedup_over_shuffled}× the steps/s` : '') +
        '\n',
    );
  },
});
const ratio = r.events.find((e) => e.event === 'bench_ratio') as Record<string, unknown> | undefined;
if (ratio) process.stdout.write(`default / tiny seconds per step: ${ratio.default_over_tiny_seconds_per_step}×\n`);
process.stdout.write(`dataset ${path.basename(dataset)}, torch ${String((r.events[0] as Record<string, unknown>)?.torch)}, wall ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
