import type { RegisterCommand } from '../formant';
import { runInterruptible } from '../interruptible';
import { ProgressBar } from '../progress';
import { clipWavProblem } from '../../services/prepare/clipWav';
import { reprocessClips } from '../../services/prepare/clipEdits';
import { QA_THRESHOLDS, runQa } from '../../services/prepare/qa';
import { loadManifest } from '../../services/projectStore';

const fmtMin = (s: number) => `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

/** `formant qa <project-dir> [--json]`, and `formant reprocess`, which repairs what QA finds unreadable. */
export const registerQa: RegisterCommand = (program, setExit) => {
  program
    .command('reprocess <project-dir> [clip-ids...]')
    .description('render clips again from their sources with the project settings: those whose WAV is missing or damaged (default), the clips named, or --all')
    .option('--all', 'every clip')
    .action(async (dir: string, ids: string[], opts: { all?: boolean }) => {
      const m = await loadManifest(dir);
      let targets: string[] | undefined = ids.length ? ids : undefined;
      if (!targets && !opts.all) {
        targets = [];
        for (const c of m.clips) if (await clipWavProblem(dir, c, m.settings.sampleRate)) targets.push(c.id);
        if (!targets.length) {
          process.stdout.write(`${dir}: every clip WAV is there and readable; nothing to render (--all renders every clip again)\n`);
          return;
        }
      }
      const bar = new ProgressBar(targets?.length ?? m.clips.length, 'reprocess');
      await runInterruptible(async (signal) => {
        const r = await reprocessClips(dir, targets, { signal, onProgress: (_d, _t, id) => bar.tick(1, id) });
        bar.finish();
        process.stdout.write(`${dir}: rendered ${r.rendered} clip(s) again from their sources\n`);
      }, { bar, setExit, cancelledMessage: 'reprocess stopped; the clips rendered so far are saved' });
    });

  program
    .command('qa <project-dir>')
    .description('measure every clip (levels, clipping, SNR, silence, speaking rate, transcripts) and the dataset; stored in the manifest')
    .option('--json', 'print the full report as JSON')
    .option('--all', 'list every clip, not only those with problems')
    .action(async (dir: string, opts: { json?: boolean; all?: boolean }) => {
      const bar = new ProgressBar(0, 'qa');
      const report = await runQa(dir, { onProgress: (d, t) => (d === 1 ? bar.setTotal(t) : undefined, bar.tick()) });
      bar.finish();
      if (opts.json) {
        process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        return;
      }
      const d = report.dataset;
      const out: string[] = [];
      out.push(`${dir}: ${d.clipCount} clips, ${fmtMin(d.totalSeconds)} in all, ${fmtMin(d.usableSeconds)} usable (guidance: ≥ ${d.guidanceSeconds / 60} min)`);
      const maxCount = Math.max(1, ...d.histogram.map((b) => b.count));
      out.push('clip durations:');
      for (const b of d.histogram) if (b.count || b.from < 12) out.push(`  ${String(b.from).padStart(2)}–${String(b.to).padEnd(3)} s ${'█'.repeat(Math.ceil((b.count / maxCount) * 30)).padEnd(30)} ${b.count}`);
      const problems = Object.entries(d.problems).filter(([, n]) => n > 0);
      out.push(problems.length ? `problems: ${problems.map(([k, n]) => `${k} ${n}`).join(', ')}` : 'problems: none');
      if (d.charsPerSecond.median != null) out.push(`speaking rate: median ${d.charsPerSecond.median} chars/s${d.charsPerSecond.mad != null ? ` (MAD ${d.charsPerSecond.mad}; outliers beyond ${QA_THRESHOLDS.rateK}·MAD)` : ''}`);
      const listed = report.clips.filter((c) => opts.all || c.qa.flags.length);
      if (listed.length) {
        out.push('');
        out.push(`${'clip'.padEnd(24)} ${'dur s'.padStart(6)} ${'peak'.padStart(6)} ${'rms'.padStart(6)} ${'snr'.padStart(5)} ${'c/s'.padStart(5)}  flags`);
        for (const c of listed.slice(0, opts.all ? undefined : 40)) {
          const q = c.qa;
          out.push(
            `${c.id.padEnd(24)} ${q.durationSeconds.toFixed(2).padStart(6)} ${q.peakDbfs.toFixed(1).padStart(6)} ${q.rmsDbfs.toFixed(1).padStart(6)} ${(q.snrDb?.toFixed(0) ?? '–').padStart(5)} ${(q.charsPerSecond?.toFixed(1) ?? '–').padStart(5)}  ${q.flags.join(' ')}`,
          );
        }
        if (!opts.all && listed.length > 40) out.push(`… and ${listed.length - 40} more (--all or --json)`);
      }
      if (d.warnings.length) out.push('', ...d.warnings.map((w) => `warning: ${w}`));
      process.stdout.write(out.join('\n') + '\n');
    });
};
