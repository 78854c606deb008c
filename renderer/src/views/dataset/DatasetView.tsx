import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClipRecord, ClipStatus, QaFlag } from '../../../../shared/contract/manifest';
import { api, errorMessage } from '../../api/client';
import { useAlignmentReportStore } from '../../stores/alignmentReportStore';
import { useDatasetStore } from '../../stores/datasetStore';
import { useJobsStore, whenJobEnds } from '../../stores/jobsStore';
import { useProjectStore } from '../../stores/projectStore';
import { deleteClips, describeUndoRedo, markStatus, patchManifest, recordStep, redoStep, undoStep, type BulkOutcome } from './bulkActions';
import { ClipTable } from './ClipTable';
import { flagsOf, queryClips } from './clipQuery';
import { DatasetToolbar } from './DatasetToolbar';
import { DurationHistogram } from './DurationHistogram';
import { clipFit, countMisaligned, reportSummary, type ClipFit } from './textAudioFit';
import { TotalsBar } from './TotalsBar';
import { datasetTotals } from './totals';
import './dataset.css';

/**
 * The dataset view: totals + histogram, search and filters, the virtualized clip table and bulk
 * actions on the selection. State: project store (clips), dataset store (query, selection, the
 * undo history of bulk actions: each action is one batch call and one Ctrl/⌘+Z).
 */
export interface DatasetViewProps {
  /** Opens a clip in the editor (double-click / Enter on a row). */
  onOpenClip?: (clipId: string) => void;
  /** Give the clip table the keyboard focus when the view appears (back from the editor). */
  focusTable?: boolean;
}

type Busy = { label: string; done: number; total: number; abort: AbortController } | null;

export function DatasetView({ onOpenClip, focusTable = false }: DatasetViewProps) {
  const dir = useProjectStore((s) => s.dir);
  const manifest = useProjectStore((s) => s.manifest);
  const setManifest = useProjectStore((s) => s.setManifest);
  const refresh = useProjectStore((s) => s.refresh);
  const ds = useDatasetStore();
  const [busy, setBusy] = useState<Busy>(null);
  const [notice, setNotice] = useState<{ text: string; error?: boolean } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const clips = manifest?.clips ?? EMPTY;
  const settings = manifest?.settings ?? null;
  const limits = useMemo(() => (settings ? { minClipSeconds: settings.minClipSeconds, maxClipSeconds: settings.maxClipSeconds } : undefined), [settings]);
  // The duration model's alignment report: read each time the view shows (a run may have validated meanwhile).
  const loadReport = useAlignmentReportStore((s) => s.load);
  const report = useAlignmentReportStore((s) => (s.projectDir === dir ? s.report : null));
  useEffect(() => {
    if (dir) void loadReport(dir);
  }, [dir, loadReport]);
  const shown = useMemo(() => queryClips(clips, ds.query, limits, report), [clips, ds.query, limits, report]);
  const order = useMemo(() => shown.map((c) => c.id), [shown]);
  const totals = useMemo(() => datasetTotals(clips), [clips]);
  const flagCounts = useMemo(() => {
    const counts: Partial<Record<QaFlag, number>> = {};
    for (const c of clips) for (const f of flagsOf(c, limits)) counts[f] = (counts[f] ?? 0) + 1;
    return counts;
  }, [clips, limits]);
  const unmeasured = useMemo(() => clips.reduce((n, c) => n + (c.qa ? 0 : 1), 0), [clips]);
  const rowFlags = useCallback((c: ClipRecord) => flagsOf(c, limits), [limits]);
  // One ClipFit object per clip and report, so the memoized rows only re-render when theirs changes.
  const rowFit = useMemo(() => {
    const cache = new WeakMap<ClipRecord, ClipFit>();
    return (c: ClipRecord) => {
      let f = cache.get(c);
      if (!f) cache.set(c, (f = clipFit(report, c)));
      return f;
    };
  }, [report]);
  const alignment = useMemo(
    () => ({ count: countMisaligned(report, clips), available: !!report?.settled, summary: reportSummary(report) }),
    [report, clips],
  );

  const prune = ds.prune;
  useEffect(() => prune(new Set(clips.map((c) => c.id))), [clips, prune]);

  const selected = useMemo(() => order.filter((id) => ds.selection.ids.has(id)), [order, ds.selection.ids]);
  const hiddenSelected = ds.selection.ids.size - selected.length;

  const open = useCallback((id: string) => onOpenClip?.(id), [onOpenClip]);
  const click = useCallback((id: string, mods: { shift: boolean; toggle: boolean }) => useDatasetStore.getState().click(order, id, mods), [order]);

  const runBulk = async (label: string, ids: string[], work: (signal: AbortSignal, progress: (d: number, t: number) => void) => Promise<string>) => {
    if (!dir || !ids.length || busy) return;
    const abort = new AbortController();
    setBusy({ label, done: 0, total: ids.length, abort });
    setNotice(null);
    try {
      const text = await work(abort.signal, (done, total) => setBusy((b) => (b ? { ...b, done, total } : b)));
      setNotice({ text });
    } catch (e) {
      setNotice({ text: errorMessage(e), error: true });
    } finally {
      setBusy(null);
    }
  };

  // One batch per action: the manifest copy is patched from the answer, the step goes into the history.
  const bulkHistory = useDatasetStore((s) => (dir && s.bulk.projectDir === dir ? s.bulk.history : null));
  const applied = (edits: Parameters<typeof patchManifest>[1], result: Parameters<typeof patchManifest>[2]) => {
    const m = useProjectStore.getState().manifest;
    if (m) setManifest(patchManifest(m, edits, result));
  };
  const runEdit = (busyLabel: string, work: () => Promise<BulkOutcome>) =>
    runBulk(busyLabel, selected, async (_signal, progress) => {
      progress(0, 0); // one call: no per-clip progress to show
      try {
        const o = await work();
        applied(o.step.redo, o.result);
        const store = useDatasetStore.getState();
        store.setBulkHistory(dir!, recordStep(store.bulkHistory(dir!), o.step));
        return `${o.step.label} — Ctrl/⌘+Z undoes it`;
      } catch (e) {
        await refresh(); // all or nothing: show what the project holds now
        throw e;
      }
    });

  const setStatus = (status: ClipStatus, verb: string) => runEdit(`${verb}…`, () => markStatus(api, dir!, selected, status, verb));
  const remove = () => runEdit('Deleting…', () => deleteClips(api, dir!, selected));

  const undoRedo = async (which: 'undo' | 'redo') => {
    if (!dir || busy) return;
    const store = useDatasetStore.getState();
    const history = store.bulkHistory(dir);
    if (!(which === 'undo' ? history.past : history.future).length) return;
    const abort = new AbortController();
    setBusy({ label: which === 'undo' ? 'Undoing…' : 'Redoing…', done: 0, total: 0, abort });
    try {
      const o = await (which === 'undo' ? undoStep : redoStep)(api, dir, history);
      if (o) {
        applied(o.edits, o.result);
        useDatasetStore.getState().setBulkHistory(dir, o.history);
        setNotice({ text: describeUndoRedo(o) });
      }
    } catch (e) {
      await refresh();
      setNotice({ text: errorMessage(e), error: true });
    } finally {
      setBusy(null);
    }
  };
  const undoRedoRef = useRef(undoRedo);
  undoRedoRef.current = undoRedo;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return; // the search box keeps its own undo
      const k = e.key.toLowerCase();
      if (k === 'z' || k === 'y') {
        e.preventDefault();
        void undoRedoRef.current(k === 'y' || e.shiftKey ? 'redo' : 'undo');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const reprocess = () =>
    runBulk('Re-rendering…', selected, async () => {
      const { jobId } = await api['clips.reprocess']({ projectDir: dir!, ids: selected });
      useJobsStore.getState().track(jobId, 'reprocess', `Re-render ${selected.length} clip${selected.length === 1 ? '' : 's'}`);
      const job = await whenJobEnds(jobId);
      await refresh();
      if (job.state !== 'done') throw new Error(job.error?.message ?? `re-render ${job.state}`);
      return `Re-rendered ${selected.length} clip${selected.length === 1 ? '' : 's'}`;
    });

  const runQa = async () => {
    if (!dir || busy) return;
    const abort = new AbortController();
    setBusy({ label: 'Measuring clips…', done: 0, total: 0, abort });
    try {
      const r = await api['dataset.qa']({ projectDir: dir });
      await refresh();
      const problems = Object.values(r.dataset.problems).reduce((a, b) => a + b, 0);
      setNotice({ text: `QA: ${r.dataset.clipCount} clips measured, ${problems} flags${r.dataset.warnings.length ? ` — ${r.dataset.warnings[0]}` : ''}` });
    } catch (e) {
      setNotice({ text: errorMessage(e), error: true });
    } finally {
      setBusy(null);
    }
  };

  // Delete asks once, inline (no modal); changing the selection cancels the question.
  useEffect(() => setConfirmDelete(false), [ds.selection]);

  if (!manifest || !dir) return <div className="dataset-view empty-state">Open or create a project to see its clips.</div>;

  return (
    <div className="dataset-view" data-testid="dataset-view">
      <header className="dataset-summary">
        <TotalsBar totals={totals} shown={shown.length} />
        <div className="histogram-box">
          <div className="box-title">Clip lengths</div>
          <DurationHistogram clips={clips} settings={settings} />
        </div>
      </header>

      <DatasetToolbar
        query={ds.query}
        flagCounts={flagCounts}
        unmeasured={unmeasured}
        clipCount={clips.length}
        alignment={alignment}
        onSearch={ds.setSearch}
        onToggleFlag={ds.toggleFlag}
        onToggleStatus={ds.toggleStatus}
        onToggleMisaligned={ds.toggleMisaligned}
        onClear={ds.clearFilters}
      />

      <div className="bulk-bar" data-testid="bulk-bar">
        <span className="bulk-count">
          {selected.length ? `${selected.length.toLocaleString()} selected` : 'Click, Shift-click or Ctrl/⌘-click rows to select'}
          {hiddenSelected > 0 ? ` (+${hiddenSelected} hidden by filters)` : ''}
        </span>
        <button type="button" onClick={() => ds.selectAll(order)} disabled={!order.length}>
          Select all {shown.length !== clips.length ? 'filtered' : ''}
        </button>
        <span className="sep" />
        <button type="button" disabled={!selected.length || !!busy} onClick={() => setStatus('reviewed', 'Marked reviewed')}>
          Mark reviewed
        </button>
        <button type="button" disabled={!selected.length || !!busy} onClick={() => setStatus('rejected', 'Rejected')}>
          Reject
        </button>
        <button type="button" disabled={!selected.length || !!busy} onClick={reprocess} title="Render the selected clips again from their sources with the current settings">
          Re-run preprocessing
        </button>
        <button type="button" className="danger-outline" disabled={!selected.length || !!busy || confirmDelete} onClick={() => setConfirmDelete(true)}>
          Delete…
        </button>
        <span className="grow" />
        <button
          type="button"
          disabled={!!busy || !bulkHistory?.past.length}
          onClick={() => void undoRedo('undo')}
          title={bulkHistory?.past.length ? `Undo: ${bulkHistory.past.at(-1)!.label} (Ctrl/⌘+Z)` : 'Nothing to undo'}
          data-testid="bulk-undo"
        >
          Undo
        </button>
        <button
          type="button"
          disabled={!!busy || !bulkHistory?.future.length}
          onClick={() => void undoRedo('redo')}
          title={bulkHistory?.future.length ? `Redo: ${bulkHistory.future.at(-1)!.label} (Ctrl/⌘+Shift+Z)` : 'Nothing to redo'}
          data-testid="bulk-redo"
        >
          Redo
        </button>
        <button type="button" disabled={!!busy} onClick={runQa} title="Measure levels, SNR, silence and speaking rate of every clip">
          Run QA
        </button>
        {selected.length === 1 && (
          <button type="button" className="primary" onClick={() => open(selected[0])}>
            Edit clip ↵
          </button>
        )}
      </div>

      {confirmDelete && (
        <div className="confirm-bar" role="alertdialog" aria-label="Confirm delete">
          <span>
            Delete {selected.length} clip{selected.length === 1 ? '' : 's'}? Their WAVs go to the project&rsquo;s trash (Undo brings them back); the recordings they came from stay.
          </span>
          <button type="button" className="danger" onClick={() => (setConfirmDelete(false), void remove())} data-testid="confirm-delete">
            Delete
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)} autoFocus>
            Cancel
          </button>
        </div>
      )}

      {(busy || notice) && (
        <div className={`notice${notice?.error ? ' error' : ''}`} role="status">
          {busy ? (
            <>
              <span>{busy.label}</span>
              {busy.total > 0 && <progress max={busy.total} value={busy.done} />}
              {busy.total > 0 && <span className="num">{busy.done} / {busy.total}</span>}
              <button type="button" onClick={() => busy.abort.abort()}>
                Cancel
              </button>
            </>
          ) : (
            <>
              <span>{notice!.text}</span>
              <button type="button" className="link" onClick={() => setNotice(null)}>
                Dismiss
              </button>
            </>
          )}
        </div>
      )}

      <ClipTable
        clips={shown}
        total={clips.length}
        onClearFilters={ds.clearFilters}
        autoFocus={focusTable}
        order={order}
        flagsOf={rowFlags}
        fitOf={rowFit}
        sort={ds.query.sort}
        selection={ds.selection}
        onSort={ds.sortBy}
        onClick={click}
        onOpen={open}
        onMove={(delta, shift) => ds.move(order, delta, shift)}
        onSelectAll={() => ds.selectAll(order)}
        onDelete={() => setConfirmDelete(true)}
      />
    </div>
  );
}

const EMPTY: ClipRecord[] = [];
