import type { Api } from '../../../shared/contract/index';
import type { Handlers } from '../../../shared/contract/rpc';
import { cancelJob } from '../jobs';
import { resolveUserPath } from '../shell/projectPaths';
import { resumeTraining, startExportVoice, startTraining } from './operations';
import { checkEnv } from './pythonEnv';
import { listCheckpoints, runSummary } from './runs';

/** The training API (shared/contract/training.ts). Paths from the UI must be absolute. */
export const trainingHandlers: Partial<Handlers<Api>> = {
  'training.env': async () => checkEnv(),
  'training.start': async (input, ctx) => {
    const { jobId } = startTraining(
      {
        ...input,
        datasetDir: resolveUserPath(input.datasetDir),
        runDir: resolveUserPath(input.runDir),
        warmStart: input.warmStart ? resolveUserPath(input.warmStart) : undefined,
      },
      (e) => ctx.emit(e),
    );
    return { jobId };
  },
  'training.resume': async (input, ctx) => {
    const { jobId } = await resumeTraining(
      { ...input, runDir: resolveUserPath(input.runDir), datasetDir: input.datasetDir ? resolveUserPath(input.datasetDir) : undefined },
      (e) => ctx.emit(e),
    );
    return { jobId };
  },
  'training.stop': async ({ jobId }) => ({ stopped: cancelJob(jobId) }),
  'training.checkpoints': async ({ runDir }) => ({ checkpoints: await listCheckpoints(resolveUserPath(runDir)) }),
  'training.summary': async ({ runDir }) => runSummary(resolveUserPath(runDir)),
  'training.exportVoice': async (input, ctx) => {
    const { jobId } = startExportVoice({ ...input, runDir: resolveUserPath(input.runDir), outDir: resolveUserPath(input.outDir) }, (e) => ctx.emit(e));
    return { jobId };
  },
};
