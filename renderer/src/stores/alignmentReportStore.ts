import { create } from 'zustand';
import type { ProjectAlignmentReport } from '../../../shared/contract/alignmentReport';
import { api, errorMessage } from '../api/client';

/**
 * The duration model's alignment report of the open project (dataset.alignmentReport), read when the Dataset view
 * shows: derived data of a training run, never written into the manifest.
 *
 * Invariants:
 *  - `report` belongs to `projectDir` (another project starts with none until its answer arrives);
 *  - an answer for a project that is no longer asked for is dropped (last request wins);
 *  - a failed read leaves no flags (`report` null) and says why in `error`: never a crash, never stale flags.
 */
interface AlignmentReportState {
  projectDir: string | null;
  report: ProjectAlignmentReport | null;
  error: string | null;
  load(projectDir: string): Promise<void>;
}

let seq = 0;

export const useAlignmentReportStore = create<AlignmentReportState>()((set, get) => ({
  projectDir: null,
  report: null,
  error: null,
  load: async (projectDir) => {
    const mine = ++seq;
    if (get().projectDir !== projectDir) set({ projectDir, report: null, error: null });
    try {
      const r = await api['dataset.alignmentReport']({ projectDir });
      if (mine === seq) set({ report: r.report, error: null });
    } catch (e) {
      if (mine === seq) set({ report: null, error: errorMessage(e) });
    }
  },
}));
