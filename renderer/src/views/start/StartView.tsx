import { useCallback, useEffect, useState } from 'react';
import type { AppInfo, RecentProject } from '../../../../shared/contract/app';
import { api, errorMessage } from '../../api/client';
import { basename } from '../../components/format';
import { useJobsStore } from '../../stores/jobsStore';
import { useProjectStore } from '../../stores/projectStore';

/**
 * The start screen: create or open a project (native folder picker in Electron, a typed path
 * in web mode), the recent projects, and the demo project.
 */
export interface StartViewProps {
  info: AppInfo | null;
  /** Called after a project is open (the shell switches to the dataset view). */
  onOpened: () => void;
}

function joinPath(parent: string, name: string): string {
  const sep = parent.includes('\\') && !parent.includes('/') ? '\\' : '/';
  return parent.replace(/[\\/]+$/, '') + sep + name;
}

export function StartView({ info, onOpened }: StartViewProps) {
  const { open, create, loading, error } = useProjectStore();
  const [recent, setRecent] = useState<RecentProject[]>([]);
  const [newName, setNewName] = useState('My voice');
  const [newParent, setNewParent] = useState('');
  const [openPath, setOpenPath] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const [demoBusy, setDemoBusy] = useState(false);
  const native = info?.nativeDialogs ?? false;

  const loadRecent = useCallback(() => {
    api['app.recentProjects']({}).then((r) => setRecent(r.projects), (e) => setLocalError(errorMessage(e)));
  }, []);
  useEffect(loadRecent, [loadRecent]);
  useEffect(() => {
    if (info && !newParent) setNewParent(joinPath(info.dataDir, 'projects'));
  }, [info, newParent]);

  const slug = newName.trim().replace(/[^A-Za-z0-9 _.-]+/g, '').replace(/\s+/g, '-') || 'project';
  const newDir = newParent ? joinPath(newParent, slug) : '';

  const run = async (p: Promise<boolean>) => {
    setLocalError(null);
    if (await p) onOpened();
    else loadRecent();
  };

  const browse = async (purpose: 'project', set: (p: string) => void) => {
    try {
      const r = await api['app.pickFolder']({ purpose });
      if (r.path) set(r.path);
    } catch (e) {
      setLocalError(errorMessage(e));
    }
  };

  const openDemo = async () => {
    setLocalError(null);
    setDemoBusy(true);
    try {
      const r = await api['app.openDemo']({});
      if (r.jobId) useJobsStore.getState().track(r.jobId, 'dataset.import', 'Import the demo recordings');
      if (await open(r.dir)) onOpened();
    } catch (e) {
      setLocalError(errorMessage(e));
    } finally {
      setDemoBusy(false);
    }
  };

  const shownError = localError ?? error;
  return (
    <div className="start-view">
      <section className="start-hero">
        <div className="brand-mark" aria-hidden>
          <svg viewBox="0 0 40 40" width="44" height="44">
            <path d="M4 20h4l3-10 4 22 4-28 4 30 4-20 3 8 2-2h4" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </div>
        <div>
          <h1>Formant Studio</h1>
          <p className="muted">Curate a voice dataset, train a Tacotron-2 voice, synthesize speech offline.</p>
        </div>
      </section>

      {shownError && (
        <div className="banner banner-error" role="alert">
          {shownError}
        </div>
      )}

      <div className="start-grid">
        <div className="start-column">
          <section className="card">
            <h2>New project</h2>
            <label className="field">
              <span>Name</span>
              <input value={newName} onChange={(e) => setNewName(e.target.value)} aria-label="Project name" />
            </label>
            <label className="field">
              <span>Location</span>
              <div className="field-row">
                <input value={newParent} onChange={(e) => setNewParent(e.target.value)} placeholder="/home/you/voices" aria-label="Project location" spellCheck={false} />
                {native && (
                  <button className="button" onClick={() => void browse('project', setNewParent)}>
                    Browse…
                  </button>
                )}
              </div>
            </label>
            <div className="hint">
              Creates <code>{newDir || '…'}</code> with <code>sources/</code>, <code>wavs/</code> and <code>formant.json</code>.
            </div>
            <div className="card-actions">
              <button className="button button-primary" disabled={!newDir || loading} onClick={() => void run(create(newDir, newName.trim()))}>
                Create project
              </button>
            </div>
          </section>

          <section className="card">
            <h2>Open a project</h2>
            <label className="field">
              <span>Project folder</span>
              <div className="field-row">
                <input
                  value={openPath}
                  onChange={(e) => setOpenPath(e.target.value)}
                  onKeyDown={(e) => e.key === 'Enter' && openPath.trim() && void run(open(openPath.trim()))}
                  placeholder={native ? 'Choose a folder…' : '/path/to/project (absolute, or ~/…)'}
                  aria-label="Project folder"
                  spellCheck={false}
                />
                {native && (
                  <button className="button" onClick={() => void browse('project', setOpenPath)}>
                    Browse…
                  </button>
                )}
              </div>
            </label>
            <div className="card-actions">
              <button className="button" disabled={!openPath.trim() || loading} onClick={() => void run(open(openPath.trim()))}>
                Open
              </button>
            </div>
          </section>

          <section className="card card-demo">
            <div>
              <h2>Demo project</h2>
              <p className="muted">A few minutes of bundled recordings, imported into {info ? <code>{info.demoProjectDir}</code> : 'your data folder'} the first time.</p>
            </div>
            <button className="button" disabled={!info?.demoAvailable || demoBusy} onClick={() => void openDemo()} title={info?.demoAvailable ? undefined : 'The demo recordings are not bundled with this build'}>
              {demoBusy ? 'Opening…' : 'Open the demo'}
            </button>
          </section>
        </div>

        <section className="card recent">
          <h2>Recent projects</h2>
          {recent.length === 0 ? (
            <p className="muted empty">Projects you open appear here.</p>
          ) : (
            <ul className="recent-list">
              {recent.map((p) => (
                <li key={p.dir} className={p.exists ? '' : 'recent-missing'}>
                  <button className="recent-open" disabled={!p.exists || loading} onClick={() => void run(open(p.dir))} title={p.dir}>
                    <span className="recent-name">{p.name || basename(p.dir)}</span>
                    <span className="recent-path">{p.dir}</span>
                  </button>
                  <span className="recent-date">{p.exists ? new Date(p.openedAt).toLocaleDateString() : 'missing'}</span>
                  <button
                    className="icon-button"
                    aria-label={`Forget ${p.name}`}
                    title="Remove from this list (files stay)"
                    onClick={() => void api['app.forgetRecent']({ dir: p.dir }).then(loadRecent)}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          {info && <p className="muted small">{info.mode === 'web' ? 'Web mode' : 'Desktop'} · {info.platform} · v{info.version}</p>}
        </section>
      </div>
    </div>
  );
}
