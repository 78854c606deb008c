import type { RegisterCommand } from '../formant';
import { loadManifest } from '../../services/projectStore';

export const registerInfo: RegisterCommand = (program) => {
  program
    .command('info <project-dir>')
    .description('summarize a project: sources, clips, minutes, schema version')
    .option('--json', 'print JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const m = await loadManifest(dir);
      const minutes = m.clips.reduce((s, c) => s + c.durationSeconds, 0) / 60;
      const summary = { name: m.name, schemaVersion: m.schemaVersion, sources: m.sources.length, clips: m.clips.length, minutes: +minutes.toFixed(2) };
      process.stdout.write(opts.json ? JSON.stringify(summary, null, 2) + '\n' : `${summary.name}: ${summary.sources} sources, ${summary.clips} clips, ${summary.minutes} min\n`);
    });
};
