import { formatBytes, formatDuration } from '../../components/format';
import { Modal } from '../../components/Modal';
import { ProgressBar } from '../../components/ProgressBar';
import { userText } from '../../components/jobText';
import { useJobsStore } from '../../stores/jobsStore';
import { useImportStore, type ImportRow } from './importStore';

/** Per-file progress and outcome of the running (or last) import, with cancel. */
const STATE_LABEL: Record<ImportRow['state'], string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  uploaded: 'Waiting',
  imported: 'Imported',
  skipped: 'Skipped',
  failed: 'Failed',
  cancelled: 'Cancelled',
  attached: 'Transcript',
};

export function ImportDialog() {
  const { open, phase, rows, jobId, error, cancelRequested, cancel, close } = useImportStore();
  const job = useJobsStore((s) => (jobId ? s.jobs[jobId] : undefined));
  if (!open) return null;
  const busy = phase === 'uploading' || phase === 'importing';
  const done = rows.filter((r) => r.state === 'imported').length;
  const failed = rows.filter((r) => r.state === 'failed').length;
  const skipped = rows.filter((r) => r.state === 'skipped').length;
  const clips = rows.reduce((s, r) => s + r.clips, 0);
  const seconds = rows.reduce((s, r) => s + r.seconds, 0);
  const uploaded = rows.length ? rows.filter((r) => r.progress >= 1).length / rows.length : 0;
  const overall = phase === 'uploading' ? uploaded * 0.3 : phase === 'importing' ? 0.3 + 0.7 * (job?.progress ?? 0) : 1;
  return (
    <Modal
      title="Import recordings"
      onClose={close}
      busy={busy}
      wide
      footer={
        busy ? (
          <button className="button button-danger" onClick={() => void cancel()} disabled={cancelRequested}>
            {cancelRequested ? 'Cancelling…' : 'Cancel import'}
          </button>
        ) : (
          <button className="button button-primary" onClick={close}>
            Done
          </button>
        )
      }
    >
      <div className="import-summary" data-phase={phase}>
        <div>
          {phase === 'uploading' && 'Uploading files to the project…'}
          {phase === 'importing' && (userText(job?.message) || 'Converting and splitting…')}
          {phase === 'done' && (
            <>
              <strong>{done}</strong> imported · <strong>{skipped}</strong> skipped · <strong>{failed}</strong> failed · {clips} clips · {formatDuration(seconds)}
            </>
          )}
        </div>
        <ProgressBar value={phase === 'importing' && job?.progress == null ? null : overall} tone={phase === 'done' ? (failed || error ? 'error' : 'ok') : 'accent'} label="Import progress" />
      </div>
      {error && (
        <div className="banner banner-error" role="alert">
          {userText(error)}
        </div>
      )}
      <div className="import-rows" role="table" aria-label="Files">
        {rows.map((r, i) => (
          <div key={i} className={`import-row state-${r.state}`} role="row" data-state={r.state}>
            <span className="import-name" title={r.path ?? r.name}>
              {r.name}
            </span>
            <span className="import-size">{formatBytes(r.bytes)}</span>
            <span className="import-progress">{r.state === 'uploading' ? <ProgressBar value={r.progress} /> : r.clips ? `${r.clips} clip${r.clips === 1 ? '' : 's'}` : ''}</span>
            <span className={`pill pill-${r.state}`}>{STATE_LABEL[r.state]}</span>
            {(r.error || r.warnings.length > 0) && <span className="import-note">{userText(r.error ?? r.warnings.join('; '))}</span>}
          </div>
        ))}
        {!rows.length && <div className="muted">The import reports each file as it goes.</div>}
      </div>
    </Modal>
  );
}
