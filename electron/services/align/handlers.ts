import type { alignMethods } from '../../../shared/contract/align';
import type { Handlers } from '../../../shared/contract/rpc';
import { startJob } from '../jobs';
import { acceptSegments } from './acceptSegments';
import { discardRun, listRuns, loadPendingRun, loadRun, saveRun } from './alignRuns';
import { runAlignment } from './runAlignment';

/** Service side of shared/contract/align.ts. Alignment runs as a job ('align'); its result is the AlignRun. */
export const alignHandlers: Handlers<typeof alignMethods> = {
  'align.run': async (input, ctx) => {
    const { jobId } = startJob('align', (e) => ctx.emit(e), async (job) => {
      const { run, warnings } = await runAlignment(input, { signal: job.signal, onProgress: (f, m) => job.progress(f, m) });
      for (const w of warnings) ctx.emit({ type: 'log', level: 'warn', message: w });
      return run;
    });
    return { jobId };
  },
  'align.result': async ({ projectDir, runId }) => loadRun(projectDir, runId),
  'align.list': async ({ projectDir }) =>
    (await listRuns(projectDir)).map((r) => ({ runId: r.runId, createdAt: r.createdAt, sourceId: r.sourceId, segments: r.segments.length, accepted: r.acceptedClips.length })),
  'align.accept': async ({ projectDir, runId, segments }) => acceptSegments(projectDir, runId, segments),
  'align.pending': async ({ projectDir }) => loadPendingRun(projectDir),
  'align.saveEdits': async ({ projectDir, runId, segments }) => {
    const run = await loadRun(projectDir, runId);
    await saveRun(projectDir, { ...run, edited: segments });
    return { saved: true };
  },
  'align.discard': async ({ projectDir, runId }) => {
    await discardRun(projectDir, runId);
    return { discarded: true };
  },
};
