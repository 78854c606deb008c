import { useMemo } from 'react';
import type { ClipRecord, ProjectSettings } from '../../../../shared/contract/manifest';
import { durationHistogram } from './totals';

/**
 * Clip-length histogram (SVG, 1-second bins) with the project's min/max clip length marked:
 * bars outside the band are the clips that QA flags as too short / too long.
 */
export function DurationHistogram({ clips, settings, width = 360, height = 96 }: {
  clips: readonly ClipRecord[];
  settings: Pick<ProjectSettings, 'minClipSeconds' | 'maxClipSeconds' | 'padSeconds'> | null;
  width?: number;
  height?: number;
}) {
  const h = useMemo(() => durationHistogram(clips, 1), [clips]);
  const pad = { l: 28, r: 14, t: 6, b: 16 };
  const w = width - pad.l - pad.r;
  const ht = height - pad.t - pad.b;
  const span = h.edges[h.edges.length - 1];
  const x = (s: number) => pad.l + (s / span) * w;
  const y = (n: number) => pad.t + ht - (h.max ? (n / h.max) * ht : 0);
  const ticks = Array.from({ length: Math.floor(span / 5) + 1 }, (_, i) => i * 5);
  // Durations are of the rendered clips (speech + 2 pads); the band shows the allowed speech length.
  const lo = settings ? settings.minClipSeconds + 2 * settings.padSeconds : 0;
  const hi = settings ? settings.maxClipSeconds + 2 * settings.padSeconds : 0;
  const outside = (from: number, to: number) => settings != null && (to <= lo || from >= hi);
  return (
    <svg className="histogram" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMinYMid meet" role="img" aria-label={`Clip durations: ${clips.length} clips`}>
      {settings && (
        <rect className="hist-band" x={x(lo)} y={pad.t} width={Math.max(0, x(Math.min(hi, span)) - x(lo))} height={ht}>
          <title>{`allowed: ${settings.minClipSeconds}–${settings.maxClipSeconds} s of speech`}</title>
        </rect>
      )}
      {h.counts.map((n, i) =>
        n ? (
          <rect key={i} className={outside(h.edges[i], h.edges[i + 1]) ? 'hist-bar out' : 'hist-bar'} x={x(h.edges[i]) + 0.5} y={y(n)} width={Math.max(1, x(h.edges[i + 1]) - x(h.edges[i]) - 1)} height={pad.t + ht - y(n)}>
            <title>{`${h.edges[i]}–${h.edges[i + 1]} s: ${n} clip${n === 1 ? '' : 's'}`}</title>
          </rect>
        ) : null,
      )}
      <line className="hist-axis" x1={pad.l} x2={pad.l + w} y1={pad.t + ht} y2={pad.t + ht} />
      {ticks.map((t) => (
        <text key={t} className="hist-label" x={x(t)} y={height - 3} textAnchor="middle">
          {t}s
        </text>
      ))}
      <text className="hist-label" x={pad.l - 4} y={pad.t + 8} textAnchor="end">
        {h.max}
      </text>
    </svg>
  );
}
