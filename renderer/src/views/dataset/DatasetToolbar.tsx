import type { ClipStatus, QaFlag } from '../../../../shared/contract/manifest';
import { DERIVED_FLAGS, FILTER_FLAGS, type ClipQuery } from './clipQuery';

/** Search box and filter chips (QA flags, status). Chips in one group are OR-ed; groups are AND-ed. */
const STATUSES: ClipStatus[] = ['untranscribed', 'transcribed', 'reviewed', 'rejected'];
const FLAG_NAMES: Partial<Record<QaFlag, string>> = {
  clipping: 'Clipping',
  untranscribed: 'Untranscribed',
  'too-long': 'Too long',
  'too-short': 'Too short',
  'too-fast': 'Too fast',
  'low-snr': 'Low SNR',
  quiet: 'Quiet',
  'long-silence': 'Long silence',
};

export function DatasetToolbar({ query, flagCounts, unmeasured, clipCount, alignment, onSearch, onToggleFlag, onToggleStatus, onToggleMisaligned, onClear }: {
  query: ClipQuery;
  flagCounts: Partial<Record<QaFlag, number>>;
  /** Clips QA has not measured (imported before QA ran at import, or restored): their level flags are unknown, not 0. */
  unmeasured: number;
  clipCount: number;
  /** The alignment report's chip: flagged clips of the project, whether a settled report exists, one line about it. */
  alignment: { count: number; available: boolean; summary: string };
  onSearch(s: string): void;
  onToggleFlag(f: QaFlag): void;
  onToggleStatus(s: ClipStatus): void;
  onToggleMisaligned(): void;
  onClear(): void;
}) {
  const active = query.search || query.flags.length || query.statuses.length || query.misaligned;
  return (
    <div className="dataset-toolbar">
      <input
        className="search"
        type="search"
        placeholder="Search transcripts and ids…"
        value={query.search}
        onChange={(e) => onSearch(e.target.value)}
        aria-label="Search transcripts"
        data-testid="dataset-search"
      />
      <div className="chips" role="group" aria-label="QA filters">
        <span className="chips-label">QA</span>
        {FILTER_FLAGS.map((f) => {
          const measured = DERIVED_FLAGS.includes(f) || unmeasured === 0;
          const none = !measured && unmeasured >= clipCount;
          const count = flagCounts[f] ?? 0;
          return (
            <button
              key={f}
              type="button"
              className={`chip${query.flags.includes(f) ? ' on' : ''}${none ? ' unmeasured' : ''}`}
              aria-pressed={query.flags.includes(f)}
              onClick={() => onToggleFlag(f)}
              data-flag={f}
              title={measured ? undefined : `${unmeasured} of ${clipCount} clips not measured yet: Run QA`}
            >
              {FLAG_NAMES[f] ?? f}
              <span className="chip-count">{none ? 'not measured' : measured ? count : `${count}+?`}</span>
            </button>
          );
        })}
      </div>
      <div className="chips" role="group" aria-label="Training filters">
        <span className="chips-label">Training</span>
        <button
          type="button"
          className={`chip fit-chip${query.misaligned ? ' on' : ''}`}
          aria-pressed={!!query.misaligned}
          disabled={!alignment.available && !query.misaligned}
          onClick={onToggleMisaligned}
          title={alignment.summary}
          data-testid="filter-misaligned"
        >
          Text ≠ audio?
          <span className="chip-count">{alignment.count}</span>
        </button>
      </div>
      <div className="chips" role="group" aria-label="Status filters">
        <span className="chips-label">Status</span>
        {STATUSES.map((s) => (
          <button key={s} type="button" className={`chip status-chip${query.statuses.includes(s) ? ' on' : ''}`} aria-pressed={query.statuses.includes(s)} onClick={() => onToggleStatus(s)}>
            {s}
          </button>
        ))}
      </div>
      {active ? (
        <button type="button" className="link" onClick={onClear}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
