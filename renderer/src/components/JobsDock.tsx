import { useEffect } from 'react';
import { useJobsStore, type JobView } from '../stores/jobsStore';
import { ProgressBar } from './ProgressBar';
import { userText } from './jobText';

/**
 * Running and recently finished jobs, bottom right: progress, message, cancel, dismiss.
 * Jobs that ended well leave by themselves after a few seconds; failures stay until dismissed.
 */
const DONE_LINGER_MS = 6000;

function JobRow({ job }: { job: JobView }) {
  const cancel = useJobsStore((s) => s.cancel);
  const dismiss = useJobsStore((s) => s.dismiss);
  useEffect(() => {
    if (job.state !== 'done' && job.state !== 'cancelled') return;
    const t = setTimeout(() => dismiss(job.jobId), DONE_LINGER_MS);
    return () => clearTimeout(t);
  }, [job.state, job.jobId, dismiss]);
  const running = job.state === 'running';
  const tone = job.state === 'failed' ? 'error' : job.state === 'done' ? 'ok' : job.state === 'cancelled' ? 'muted' : 'accent';
  return (
    <div className={`job job-${job.state}`} data-job-kind={job.kind} data-job-state={job.state}>
      <div className="job-head">
        <span className="job-label">{job.label}</span>
        <span className="job-state">{running ? (job.progress != null ? `${Math.round(job.progress * 100)}%` : '…') : job.state}</span>
        {running ? (
          <button className="link-button" onClick={() => void cancel(job.jobId)} disabled={job.cancelRequested}>
            {job.cancelRequested ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button className="icon-button" onClick={() => dismiss(job.jobId)} aria-label="Dismiss">
            ×
          </button>
        )}
      </div>
      <ProgressBar value={running ? job.progress : 1} tone={tone} label={job.label} />
      <div className="job-message" title={userText(job.error?.message ?? job.message)}>
        {userText(job.error?.message ?? job.message)}
      </div>
    </div>
  );
}

export function JobsDock() {
  const order = useJobsStore((s) => s.order);
  const jobs = useJobsStore((s) => s.jobs);
  const visible = order.slice(0, 4).map((id) => jobs[id]).filter(Boolean);
  if (!visible.length) return null;
  return (
    <aside className="jobs-dock" aria-label="Jobs">
      {visible.map((j) => (
        <JobRow key={j.jobId} job={j} />
      ))}
    </aside>
  );
}
