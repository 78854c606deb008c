import type { RegisterCommand } from '../formant';
import { runInterruptible } from '../interruptible';
import { integerOption, numberOption } from '../options';
import { ProgressBar } from '../progress';
import { ServiceError } from '../../../shared/contract/rpc';
import { importRecordings } from '../../services/prepare/importRecordings';
import { projectExists } from '../../services/projectStore';

/** `formant import <project-dir> <file-or-folder>...` */
export const registerImport: RegisterCommand = (program, setExit) => {
  program
    .command('import <project-dir> <inputs...>')
    .description('import recordings (files or folders; wav, mp3, flac, ogg, opus, m4a…) into a project, creating it when needed')
    .option('--json', 'print the result as JSON')
    .option('--jobs <n>', 'files processed in parallel (1–32)', integerOption('--jobs', 1, 32), 2)
    .option('--sample-rate <hz>', 'sample rate of a new project (8000–96000)', integerOption('--sample-rate', 8000, 96000))
    .option('--max-clip <seconds>', 'longest clip of a new project (longer recordings are split at pauses)', numberOption('--max-clip', { above: 0, max: 3600, what: 'a number of seconds' }))
    .option('--min-clip <seconds>', 'shortest clip of a new project', numberOption('--min-clip', { above: 0, max: 3600, what: 'a number of seconds' }))
    .option('--target-lufs <lufs>', 'loudness target of a new project (-70 to 0)', numberOption('--target-lufs', { min: -70, max: 0, what: 'a loudness in LUFS' }))
    .action(async (dir: string, inputs: string[], opts: { json?: boolean; jobs: number; sampleRate?: number; maxClip?: number; minClip?: number; targetLufs?: number }) => {
      const settings: Record<string, number> = {};
      if (opts.sampleRate) settings.sampleRate = opts.sampleRate;
      if (opts.maxClip) settings.maxClipSeconds = opts.maxClip;
      if (opts.minClip) settings.minClipSeconds = opts.minClip;
      if (opts.minClip && opts.maxClip && opts.minClip > opts.maxClip) throw new ServiceError('bad-input', `--min-clip (${opts.minClip} s) is longer than --max-clip (${opts.maxClip} s)`);
      if (opts.targetLufs != null) settings.targetLufs = opts.targetLufs;
      if (Object.keys(settings).length && (await projectExists(dir)))
        process.stderr.write(`warning: ${dir} already exists and keeps its own settings; --sample-rate/--max-clip/--min-clip/--target-lufs apply to new projects\n`);
      // Ctrl-C / kill: stop cleanly (finished files are saved; a re-run resumes).
      const bar = new ProgressBar(0, 'import');
      const started = Date.now();
      await runInterruptible(async (signal) => {
        const result = await importRecordings(dir, inputs, {
          settings,
          concurrency: opts.jobs,
          signal: signal,
          onStart: (n) => bar.setTotal(n),
          onFile: (r) => {
            for (const w of r.warnings) bar.log(`warning: ${w}`);
            if (r.error) bar.log(`error: ${r.error}`);
            bar.tick(1, r.sourceId ?? '');
          },
        });
        bar.finish();
        for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
        if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
        else {
          const secs = (Date.now() - started) / 1000;
          process.stdout.write(
            `${dir}: ${result.imported} imported, ${result.skipped} already there, ${result.failed} failed → ${result.clips} clips, ` +
              `${(result.audioSeconds / 60).toFixed(1)} min of audio in ${secs.toFixed(1)} s\n`,
          );
        }
        if (result.failed) setExit(1);
      }, { bar, setExit });
    });
};
