import { useState } from 'react';
import type { AppInfo } from '../../../../shared/contract/app';
import type { ExportResult } from '../../../../shared/contract/dataset';
import { api, errorMessage } from '../../api/client';
import { formatDuration } from '../../components/format';
import { Modal } from '../../components/Modal';
import { ProgressBar } from '../../components/ProgressBar';
import { useJobsStore, whenJobEnds } from '../../stores/jobsStore';
import { exportNotes } from './exportNotes';
import { defaultExportDir, rememberExport } from './exportTarget';

/**
 * LJSpeech export: choose a folder and the validation share, follow the job, then show (or open) the result.
 * A finished export is remembered as the project's training dataset (exportTarget.ts); `onExported` lets the
 * Train view's "Export now" fill its dataset field.
 */
export function ExportDialog({
  projectDir,
  info,
  onClose,
  initialOutDir,
  onExported,
}: {
  projectDir: string;
  info: AppInfo | null;
  onClose: () => void;
  initialOutDir?: string;
  onExported?: (outDir: string) => void;
}) {
  const [outDir, setOutDir] = useState(() => initialOutDir || defaultExportDir(projectDir));
  const [valPercent, setValPercent] = useState(5);
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const job = useJobsStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const running = job?.state === 'running';

  const start = async () => {
    setError(null);
    setResult(null);
    try {
      const { jobId: id } = await api['dataset.export']({ projectDir, outDir, format: 'ljspeech', valFraction: valPercent / 100 });
      useJobsStore.getState().track(id, 'dataset.export', 'Export LJSpeech');
      setJobId(id);
      const end = await whenJobEnds(id);
      if (end.state === 'done') {
        const r = end.result as ExportResult;
        setResult(r);
        rememberExport(projectDir, r.outDir);
        onExported?.(r.outDir);
      }
      else setError(end.error?.message ?? `export ${end.state}`);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const browse = async () => {
    try {
      const r = await api['app.pickFolder']({ purpose: 'export' });
      if (r.path) setOutDir(r.path);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Modal
      title="Export dataset (LJSpeech)"
      onClose={onClose}
      busy={running}
      footer={
        <>
          {running && (
            <button className="button button-danger" onClick={() => jobId && void useJobsStore.getState().cancel(jobId)}>
              Cancel
            </button>
          )}
          {!running && !result && (
            <button className="button button-primary" onClick={() => void start()} disabled={!outDir.trim()}>
              Export
            </button>
          )}
          {result && info?.nativeDialogs && (
            <button className="button" onClick={() => void api['app.reveal']({ path: result.outDir }).catch((e) => setError(errorMessage(e)))}>
              Open folder
            </button>
          )}
          {!running && (
            <button className="button" onClick={onClose}>
              {result ? 'Done' : 'Close'}
            </button>
          )}
        </>
      }
    >
      <label className="field">
        <span>Output folder</span>
        <div className="field-row">
          <input value={outDir} onChange={(e) => setOutDir(e.target.value)} disabled={running} aria-label="Output folder" spellCheck={false} />
          {info?.nativeDialogs && (
            <button className="button" onClick={() => void browse()} disabled={running}>
              Browse…
            </button>
          )}
        </div>
      </label>
      <label className="field field-inline">
        <span>Validation share</span>
        <input type="number" min={0} max={50} step={1} value={valPercent} onChange={(e) => setValPercent(Math.max(0, Math.min(50, Number(e.target.value) || 0)))} disabled={running} aria-label="Validation percent" />
        <span className="muted">% of clips go to val.txt</span>
      </label>
      <p className="hint">
        Writes <code>wavs/</code> (mono 16-bit PCM, 22 050 Hz, 0.5 s of silence at each end), <code>metadata.csv</code> (<code>id|transcript|normalized</code>), <code>train.txt</code> and <code>val.txt</code>. Rejected and untranscribed clips are left out.
      </p>
      {job && (
        <div className="export-progress">
          <ProgressBar value={job.state === 'running' ? job.progress : 1} tone={job.state === 'failed' ? 'error' : job.state === 'done' ? 'ok' : 'accent'} label="Export progress" />
          <div className="muted small">{job.message}</div>
        </div>
      )}
      {error && (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      )}
      {result && (
        <div className="export-result" data-testid="export-result">
          <div className="stat-row">
            <div className="stat">
              <span className="stat-value">{result.exported}</span>
              <span className="stat-label">clips</span>
            </div>
            <div className="stat">
              <span className="stat-value">{result.train}</span>
              <span className="stat-label">train</span>
            </div>
            <div className="stat">
              <span className="stat-value">{result.val}</span>
              <span className="stat-label">val</span>
            </div>
            <div className="stat">
              <span className="stat-value">{formatDuration(result.seconds)}</span>
              <span className="stat-label">audio</span>
            </div>
          </div>
          {exportNotes(result).map((note) => (
            <p key={note} className="muted small" data-testid="export-note">
              {note}
            </p>
          ))}
          <div className="result-path">
            <span className="muted small">Written to</span>
            <code>{result.outDir}</code>
          </div>
        </div>
      )}
    </Modal>
  );
}
