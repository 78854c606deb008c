import { existsSync } from 'node:fs';
import type { Api } from '../../../shared/contract/index';
import type { Handlers } from '../../../shared/contract/rpc';
import { cancelJob } from '../jobs';
import { access } from '../shell/accessPolicy';
import { resolveUserPath } from '../shell/projectPaths';
import { resumeTraining, startExportVoice, startTraining } from './operations';
import { datasetFit } from './datasetFit';
import { checkEnv } from './pythonEnv';
import { emptyRunSummary, listCheckpoints, runSummary } from './runs';
import { runSampleAudio } from './sampleAudio';

/**
 * The training API (shared/contract/training.ts). Paths from the UI must be absolute. A run folder
 * started, resumed or opened here is granted to the media routes (its plots and sample WAVs only),
 * so the Train view shows runs that lie outside the open project too.
 */
export const trainingHandlers: Partial<Handlers<Api>> = {
  'training.env': async () => checkEnv(),
  'training.start': async (input, ctx) => {
    const runDir = resolveUserPath(input.runDir);
    const { jobId } = startTraining(
      {
        ...input,
        datasetDir: resolveUserPath(input.datasetDir),
        runDir,
        warmStart: input.warmStart ? resolveUserPath(input.warmStart) : undefined,
        gtaDir: input.gtaDir ? resolveUserPath(input.gtaDir) : undefined,
      },
      (e) => ctx.emit(e),
    );
    access.grantRun(runDir);
    return { jobId };
  },
  'training.resume': async (input, ctx) => {
    const runDir = resolveUserPath(input.runDir);
    const { jobId } = await resumeTraining({ ...input, runDir, datasetDir: input.datasetDir ? resolveUserPath(input.datasetDir) : undefined }, (e) => ctx.emit(e));
    access.grantRun(runDir);
    return { jobId };
  },
  'training.datasetFit': async (input) =>
    datasetFit({ ...input, datasetDir: resolveUserPath(input.datasetDir), config: input.config === 'tiny' || input.config === 'default' ? input.config : resolveUserPath(input.config) }),
  'training.stop': async ({ jobId }) => ({ stopped: cancelJob(jobId) }),
  'training.checkpoints': async ({ runDir }) => ({ checkpoints: await listCheckpoints(resolveUserPath(runDir)) }),
  'training.summary': async ({ runDir, model, ifExists }) => {
    const dir = resolveUserPath(runDir);
    if (ifExists && !existsSync(dir)) return emptyRunSummary(dir); // a new run's folder: no 404 before the first run
    const summary = await runSummary(dir, model);
    access.grantRun(summary.runDir);
    return summary;
  },
  'training.sampleAudio': async ({ runDir, step }) => {
    const dir = resolveUserPath(runDir);
    const r = await runSampleAudio(dir, step);
    access.grantRun(dir);
    return r;
  },
  'training.exportVoice': async (input, ctx) => {
    const { jobId } = startExportVoice({ ...input, runDir: resolveUserPath(input.runDir), outDir: resolveUserPath(input.outDir) }, (e) => ctx.emit(e));
    return { jobId };
  },
};
