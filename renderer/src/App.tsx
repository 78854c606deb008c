import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { AppInfo } from '../../shared/contract/app';
import { api, errorMessage } from './api/client';
import { formatDuration } from './components/format';
import { JobsDock } from './components/JobsDock';
import { connectJobEvents } from './stores/jobsStore';
import { lastOpenProject, useProjectStore } from './stores/projectStore';
import { AlignView } from './views/align/AlignView';
import { DatasetView } from './views/dataset/DatasetView';
import { RecordView } from './views/record/RecordView';
import { ClipEditor } from './views/editor/ClipEditor';
import { DropOverlay } from './views/importExport/DropOverlay';
import { ExportDialog } from './views/importExport/ExportDialog';
import { ImportDialog } from './views/importExport/ImportDialog';
import type { Drop } from './views/importExport/droppedFiles';
import { useImportStore } from './views/importExport/importStore';
import { StartView } from './views/start/StartView';
import { SynthesizeView } from './views/synthesize/SynthesizeView';
import { TrainView } from './views/train/TrainView';

/**
 * The shell: a sidebar of views, a project bar (name, totals, import/export), the view,
 * the jobs dock, and the window-wide drop target. The view lives in the URL hash (#/dataset)
 * so a reload comes back to it; the open project comes back from the session.
 */
export type ViewId = 'start' | 'dataset' | 'editor' | 'record' | 'align' | 'synthesize' | 'train';

const NAV: { id: ViewId; label: string; needsProject: boolean; icon: ReactNode }[] = [
  { id: 'start', label: 'Start', needsProject: false, icon: <path d="M3 10.5 10 4l7 6.5V17h-4.5v-4h-5v4H3z" /> },
  { id: 'dataset', label: 'Dataset', needsProject: true, icon: <path d="M3 4h14v3H3zM3 8.5h14v3H3zM3 13h14v3H3z" /> },
  { id: 'editor', label: 'Editor', needsProject: true, icon: <path d="M2 10h2l1.5-5 2 10 2-13 2 14 2-9 1.5 4 1-1H18" fill="none" strokeWidth="1.6" /> },
  { id: 'record', label: 'Record', needsProject: true, icon: <path d="M10 3a2.5 2.5 0 0 1 2.5 2.5v4a2.5 2.5 0 0 1-5 0v-4A2.5 2.5 0 0 1 10 3zM5.5 9.5a4.5 4.5 0 0 0 9 0M10 14v3M7 17h6" fill="none" strokeWidth="1.6" strokeLinecap="round" /> },
  { id: 'align', label: 'Align', needsProject: true, icon: <path d="M3 5h9M3 9h14M3 13h7M3 17h11" fill="none" strokeWidth="1.8" /> },
  { id: 'synthesize', label: 'Synthesize', needsProject: false, icon: <path d="M5 7v6M8 4v12M11 6v8M14 8v4M17 9v2" fill="none" strokeWidth="1.8" strokeLinecap="round" /> },
  { id: 'train', label: 'Train', needsProject: true, icon: <path d="M3 16 8 10l3 3 6-8M13 5h4v4" fill="none" strokeWidth="1.8" /> },
];

/** `#/dataset`, or `#/editor/<clip id>` to open a clip directly (reloads, links, benchmarks). */
function parseHash(): { view: ViewId; clip: string | null } {
  const [v, clip] = window.location.hash.replace(/^#\/?/, '').split('/');
  const view = (NAV.find((n) => n.id === v)?.id ?? 'start') as ViewId;
  return { view, clip: view === 'editor' && clip ? decodeURIComponent(clip) : null };
}

export function App() {
  const [view, setViewState] = useState<ViewId>(() => parseHash().view);
  const [clipId, setClipId] = useState<string | null>(() => parseHash().clip);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [exportOpen, setExportOpen] = useState(false);
  // Back from the editor (Esc): the clip table takes the focus again, on the edited clip's row.
  const [fromEditor, setFromEditor] = useState(false);
  const dir = useProjectStore((s) => s.dir);
  const manifest = useProjectStore((s) => s.manifest);
  const projectError = useProjectStore((s) => s.error);

  const setView = useCallback((v: ViewId) => {
    setViewState(v);
    if (!window.location.hash.startsWith(`#/${v}`)) window.history.replaceState(null, '', `#/${v}`);
  }, []);

  useEffect(() => {
    api['app.info']({}).then(setInfo, (e) => setInfoError(errorMessage(e)));
    // Reopen the project this tab had before a reload.
    const last = lastOpenProject();
    if (last) void useProjectStore.getState().open(last);
    // Jobs that change the project (import, re-render, align) end with a fresh manifest.
    const stop = connectJobEvents((job) => {
      if (job.state === 'done' || job.state === 'cancelled' || job.error?.code === 'lost') void useProjectStore.getState().refresh();
    });
    const onHash = () => {
      const h = parseHash();
      setViewState(h.view);
      if (h.clip) setClipId(h.clip);
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      stop();
      window.removeEventListener('hashchange', onHash);
    };
  }, []);

  // Without a project, project views fall back to the start screen.
  const current = !dir && NAV.find((n) => n.id === view)?.needsProject ? 'start' : view;

  const onDrop = useCallback((drop: Drop) => {
    const d = useProjectStore.getState().dir;
    if (d) void useImportStore.getState().start(d, drop);
  }, []);

  const openClip = useCallback(
    (id: string) => {
      setClipId(id);
      setFromEditor(false);
      setView('editor');
    },
    [setView],
  );

  const totalSeconds = manifest ? manifest.clips.reduce((s, c) => s + c.durationSeconds, 0) : 0;
  const okSources = manifest ? manifest.sources.filter((s) => s.status === 'ok').length : 0;
  const failedSources = manifest ? manifest.sources.length - okSources : 0;

  return (
    <div className="app" data-view={current}>
      <nav className="sidebar" aria-label="Views">
        <div className="sidebar-brand" title="Formant Studio">
          <svg viewBox="0 0 40 40" width="26" height="26" aria-hidden>
            <path d="M4 20h4l3-10 4 22 4-28 4 30 4-20 3 8 2-2h4" fill="none" stroke="currentColor" strokeWidth="2.6" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          <span>Formant</span>
        </div>
        {NAV.map((n) => {
          const disabled = n.needsProject && !dir;
          return (
            <button
              key={n.id}
              className={`nav-item${current === n.id ? ' active' : ''}`}
              onClick={() => setView(n.id)}
              disabled={disabled}
              aria-current={current === n.id ? 'page' : undefined}
              data-nav={n.id}
              title={disabled ? 'Open a project first' : n.label}
            >
              <svg viewBox="0 0 20 20" width="18" height="18" fill="currentColor" stroke="currentColor" aria-hidden>
                {n.icon}
              </svg>
              <span>{n.label}</span>
            </button>
          );
        })}
        <div className="sidebar-foot muted small">{info ? (info.mode === 'web' ? 'web mode' : 'desktop') : ''}</div>
      </nav>

      <div className="main">
        {dir && manifest && (
          <header className="project-bar">
            <div className="project-title">
              <span className="project-name" data-testid="project-name" title={manifest.name}>
                {manifest.name}
              </span>
              <span className="project-path" title={dir}>
                {dir}
              </span>
            </div>
            <div className="project-stats">
              <span>
                <strong data-testid="clip-count">{manifest.clips.length}</strong> clips
              </span>
              <span>
                <strong>{formatDuration(totalSeconds)}</strong> of audio
              </span>
              <span>
                <strong>{okSources}</strong> source{okSources === 1 ? '' : 's'}
                {failedSources > 0 && <span className="stat-warn"> · {failedSources} failed</span>}
              </span>
            </div>
            <div className="project-actions">
              <ImportButton info={info} projectDir={dir} />
              <button className="button button-primary" onClick={() => setExportOpen(true)} disabled={!manifest.clips.length}>
                Export…
              </button>
              <button
                className="button button-ghost"
                onClick={() => {
                  useProjectStore.getState().close();
                  setView('start');
                }}
              >
                Close
              </button>
            </div>
          </header>
        )}
        {(infoError || (projectError && current !== 'start')) && (
          <div className="banner banner-error" role="alert">
            {infoError ?? projectError}
          </div>
        )}
        <main className="view" id="view">
          {current === 'start' && <StartView info={info} onOpened={() => setView('dataset')} />}
          {current === 'dataset' && <DatasetView onOpenClip={openClip} focusTable={fromEditor} />}
          {current === 'editor' && (
            <ClipEditor
              clipId={clipId}
              onClose={() => {
                setFromEditor(true);
                setView('dataset');
              }}
            />
          )}
          {current === 'record' && <RecordView />}
          {current === 'align' && <AlignView />}
          {current === 'synthesize' && <SynthesizeView />}
          {current === 'train' && <TrainView />}
        </main>
      </div>

      <JobsDock />
      <ImportDialog />
      {exportOpen && dir && <ExportDialog projectDir={dir} info={info} onClose={() => setExportOpen(false)} />}
      <DropOverlay enabled={Boolean(dir)} onDrop={onDrop} />
    </div>
  );
}

/** "Import…": a native file picker in Electron; in web mode, a hidden <input type=file> (drag and drop works in both). */
function ImportButton({ info, projectDir }: { info: AppInfo | null; projectDir: string }) {
  const pick = async () => {
    if (info?.nativeDialogs) {
      const r = await api['app.pickFiles']({});
      if (r.paths.length) void useImportStore.getState().start(projectDir, { paths: r.paths, files: [] });
      return;
    }
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = 'audio/*,.wav,.flac,.mp3,.ogg,.opus,.m4a,.txt,.csv,.lab';
    input.onchange = () => {
      const files = Array.from(input.files ?? []).map((file) => ({ file, relativePath: file.name }));
      if (files.length) void useImportStore.getState().start(projectDir, { paths: [], files });
    };
    input.click();
  };
  return (
    <button className="button" onClick={() => void pick()} title="Or drop files and folders anywhere on the window">
      Import…
    </button>
  );
}
