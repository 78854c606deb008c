import type { Api } from '../../../shared/contract/index';
import type { Handlers } from '../../../shared/contract/rpc';
import { startJob } from '../jobs';
import { access } from '../shell/accessPolicy';
import { resolveUserPath } from '../shell/projectPaths';
import { projectAlignmentReport } from './alignmentReport';
import { updateClips } from './clipBatch';
import { deleteClip, mergeWithNext, reprocessClips, setClipRegion, splitClip, updateClip } from './clipEdits';
import { importRecordings } from './importRecordings';
import { exportLjspeech } from './ljspeechExport';
import { runQa } from './qa';

/**
 * The dataset API ('dataset.*', 'clips.*'): thin adapters from the contract to the prepare
 * services. Long work (import, export, reprocess) runs as a job and answers { jobId } at once;
 * per-file results arrive as job events (`item`), the final result as the job's `result`.
 */
export const datasetHandlers: Partial<Handlers<Api>> = {
  'dataset.import': async ({ projectDir, paths, settings }, ctx) => {
    const dir = resolveUserPath(projectDir);
    const job = startJob('dataset.import', ctx.emit, (j) =>
      importRecordings(dir, paths.map(resolveUserPath), {
        settings,
        signal: j.signal,
        onFile: (r, done, total) => j.progress(done / Math.max(1, total), r.error ?? r.file, r),
      }),
    );
    return { jobId: job.jobId };
  },
  'dataset.qa': async ({ projectDir }) => runQa(resolveUserPath(projectDir)),
  // Derived data, read at view time: the newest duration-model report of a run on this project's export.
  'dataset.alignmentReport': async ({ projectDir }) => projectAlignmentReport(resolveUserPath(projectDir), access.grantedRuns()),
  'dataset.export': async ({ projectDir, outDir, valFraction, seed, overwrite }, ctx) => {
    const job = startJob('dataset.export', ctx.emit, (j) =>
      exportLjspeech(resolveUserPath(projectDir), resolveUserPath(outDir), {
        valFraction,
        seed,
        overwrite,
        signal: j.signal,
        onProgress: (done, total) => j.progress(done / Math.max(1, total)),
      }),
    );
    return { jobId: job.jobId };
  },
  'clips.update': async ({ projectDir, id, text, status }) => updateClip(resolveUserPath(projectDir), id, { text, status }),
  'clips.updateMany': async ({ projectDir, edits, ifMissing }) => updateClips(resolveUserPath(projectDir), edits, { ifMissing }),
  'clips.setRegion': async ({ projectDir, id, sourceStart, sourceEnd }) => setClipRegion(resolveUserPath(projectDir), id, sourceStart, sourceEnd),
  'clips.split': async ({ projectDir, id, at, texts }) => ({ clips: await splitClip(resolveUserPath(projectDir), id, at, texts) }),
  'clips.merge': async ({ projectDir, id }) => mergeWithNext(resolveUserPath(projectDir), id),
  'clips.delete': async ({ projectDir, id }) => deleteClip(resolveUserPath(projectDir), id),
  'clips.reprocess': async ({ projectDir, ids }, ctx) => {
    const job = startJob('clips.reprocess', ctx.emit, (j) =>
      reprocessClips(resolveUserPath(projectDir), ids, { signal: j.signal, onProgress: (done, total, id) => j.progress(done / Math.max(1, total), id) }),
    );
    return { jobId: job.jobId };
  },
};
