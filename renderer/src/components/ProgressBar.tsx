/** A thin progress bar; indeterminate (animated) when `value` is null. */
export function ProgressBar({ value, tone = 'accent', label }: { value: number | null; tone?: 'accent' | 'ok' | 'error' | 'muted'; label?: string }) {
  const pct = value == null ? null : Math.round(Math.max(0, Math.min(1, value)) * 100);
  return (
    <div
      className={`progress progress-${tone}${pct == null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div className="progress-fill" style={pct == null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}
