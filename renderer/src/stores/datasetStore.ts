import { create } from 'zustand';
import type { ClipStatus, QaFlag } from '../../../shared/contract/manifest';
import type { BulkStep } from '../views/dataset/bulkActions';
import { emptyHistory, type History } from './history';
import { EMPTY_QUERY, nextSort, type ClipQuery, type SortKey } from '../views/dataset/clipQuery';
import { EMPTY_SELECTION, clickRow, moveCursor, pruneSelection, selectAll, type ClickModifiers, type Selection } from '../views/dataset/selection';

/**
 * The dataset view's UI state: the query (search, filters, sort) and the selection.
 * The clips themselves live in the project store's manifest; the filtered order is derived
 * (queryClips) where it is shown, and passed in to the selection actions that need it.
 *
 * Invariants: see clipQuery.ts (query semantics) and selection.ts (selection ⊆ existing clips;
 * call `prune` whenever the clip list changes). `bulk` is the undo history of bulk actions
 * (bulkActions.ts: one step per action) of the project `bulk.projectDir`; another project starts an empty one.
 */
interface DatasetState {
  query: ClipQuery;
  selection: Selection;
  setSearch(search: string): void;
  toggleFlag(flag: QaFlag): void;
  toggleStatus(status: ClipStatus): void;
  /** The "Text ≠ audio?" filter (clips the alignment report flags). */
  toggleMisaligned(): void;
  sortBy(key: SortKey): void;
  clearFilters(): void;
  click(order: readonly string[], id: string, mods?: ClickModifiers): void;
  selectAll(order: readonly string[]): void;
  clearSelection(): void;
  move(order: readonly string[], delta: number, shift?: boolean): void;
  prune(existing: ReadonlySet<string>): void;
  /** Puts the cursor on one clip (coming back from the editor). */
  focus(id: string): void;
  bulk: { projectDir: string | null; history: History<BulkStep> };
  /** The bulk history of `projectDir` (empty when it belongs to another project). */
  bulkHistory(projectDir: string): History<BulkStep>;
  setBulkHistory(projectDir: string, history: History<BulkStep>): void;
}

const toggle = <T>(list: readonly T[], v: T): T[] => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

export const useDatasetStore = create<DatasetState>((set, get) => ({
  query: EMPTY_QUERY,
  selection: EMPTY_SELECTION,
  setSearch: (search) => set({ query: { ...get().query, search } }),
  toggleFlag: (flag) => set({ query: { ...get().query, flags: toggle(get().query.flags, flag) } }),
  toggleStatus: (status) => set({ query: { ...get().query, statuses: toggle(get().query.statuses, status) } }),
  toggleMisaligned: () => set({ query: { ...get().query, misaligned: !get().query.misaligned } }),
  sortBy: (key) => set({ query: { ...get().query, sort: nextSort(get().query.sort, key) } }),
  clearFilters: () => set({ query: { ...EMPTY_QUERY, sort: get().query.sort } }),
  click: (order, id, mods) => set({ selection: clickRow(get().selection, order, id, mods) }),
  selectAll: (order) => set({ selection: selectAll(order) }),
  clearSelection: () => set({ selection: EMPTY_SELECTION }),
  move: (order, delta, shift) => set({ selection: moveCursor(get().selection, order, delta, shift) }),
  prune: (existing) => {
    const next = pruneSelection(get().selection, existing);
    if (next !== get().selection) set({ selection: next });
  },
  focus: (id) => set({ selection: { ids: new Set([id]), anchor: id, cursor: id } }),
  bulk: { projectDir: null, history: emptyHistory() },
  bulkHistory: (projectDir) => (get().bulk.projectDir === projectDir ? get().bulk.history : emptyHistory()),
  setBulkHistory: (projectDir, history) => set({ bulk: { projectDir, history } }),
}));
