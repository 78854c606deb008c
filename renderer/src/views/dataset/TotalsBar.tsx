import type { DatasetTotals } from './totals';
import { formatLength } from '../../components/format';
import { GUIDANCE_MINUTES } from './totals';

/** Clips, speech minutes and progress towards the seed's 30-minute guidance. */
export function TotalsBar({ totals, shown }: { totals: DatasetTotals; shown: number }) {
  const pct = Math.round(totals.guidanceFraction * 100);
  const reached = totals.speechMinutes >= GUIDANCE_MINUTES;
  return (
    <div className="totals" data-testid="totals">
      <div className="total">
        <span className="total-value">{totals.clips.toLocaleString()}</span>
        <span className="total-label">clips{shown !== totals.clips ? ` · ${shown.toLocaleString()} shown` : ''}</span>
      </div>
      <div className="total">
        <span className="total-value">{formatLength(totals.speechMinutes * 60)}</span>
        <span className="total-label">of speech</span>
      </div>
      <div className="total">
        <span className="total-value">{totals.reviewed.toLocaleString()}</span>
        <span className="total-label">reviewed · {formatLength(totals.reviewedMinutes * 60)}</span>
      </div>
      <div className="total guidance" title="The seed: at least half an hour (30 minutes) of a voice for good quality.">
        <div className="guidance-track">
          <div className={`guidance-fill${reached ? ' reached' : ''}`} style={{ width: `${pct}%` }} />
        </div>
        <span className="total-label">
          {reached ? `${GUIDANCE_MINUTES}-minute guidance reached` : `${pct}% of the ${GUIDANCE_MINUTES}-minute guidance`}
        </span>
      </div>
    </div>
  );
}
