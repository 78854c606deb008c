import { useEffect, useRef } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import type { AlignSegment, UnmatchedSpeech } from '../../../../shared/contract/align';
import { LOW_CONFIDENCE } from './segmentEdits';

/**
 * The recording with one region per aligned segment (wavesurfer.js 8 + Regions). Dragging a
 * region's edges reports new speech edges; clicking a region selects it. Long recordings are
 * drawn from server-side peaks when the caller has them (no decode in the browser).
 */
export interface AlignWaveformProps {
  url: string;
  duration: number;
  peaks: number[] | null;
  segments: AlignSegment[];
  /** Speech the transcript does not cover: shown, not editable. */
  unmatched?: UnmatchedSpeech[];
  selected: number | null;
  /** Bumped to play [start, end) of a segment. */
  play: { start: number; end: number; n: number } | null;
  onEdges(k: number, start: number, end: number): void;
  onSelect(k: number): void;
  onTime?(t: number): void;
}

const color = (s: AlignSegment, selected: boolean) =>
  selected ? 'rgba(255, 214, 102, 0.35)' : s.confidence < LOW_CONFIDENCE ? 'rgba(255, 99, 99, 0.25)' : 'rgba(79, 179, 255, 0.16)';

export function AlignWaveform(p: AlignWaveformProps) {
  const el = useRef<HTMLDivElement | null>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const regions = useRef<ReturnType<typeof RegionsPlugin.create> | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const stopAt = useRef<number | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const reg = RegionsPlugin.create();
    regions.current = reg;
    const w = WaveSurfer.create({
      container: el.current,
      height: 120,
      normalize: true,
      minPxPerSec: 20,
      autoScroll: true,
      waveColor: '#4fb3ff',
      progressColor: '#9dd6ff',
      plugins: [reg, TimelinePlugin.create({ height: 18 })],
    });
    ws.current = w;
    void w.load(p.url, p.peaks ? [p.peaks] : undefined, p.peaks ? p.duration : undefined).catch(() => undefined);
    w.on('ready', () => draw());
    w.on('timeupdate', (t) => {
      latest.current.onTime?.(t);
      if (stopAt.current != null && t >= stopAt.current) {
        w.pause();
        stopAt.current = null;
      }
    });
    reg.on('region-updated', (r: Region) => r.id.startsWith('seg-') && latest.current.onEdges(Number(r.id.slice(4)), r.start, r.end));
    reg.on('region-clicked', (r: Region, e: MouseEvent) => {
      e.stopPropagation();
      if (!r.id.startsWith('seg-')) return;
      latest.current.onSelect(Number(r.id.slice(4)));
    });
    return () => {
      w.destroy();
      ws.current = null;
      regions.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new WaveSurfer per recording; handlers read the latest props through `latest`
  }, [p.url]);

  const draw = () => {
    const reg = regions.current;
    if (!reg || !ws.current || !ws.current.getDuration()) return;
    reg.clearRegions();
    latest.current.segments.forEach((s, k) =>
      reg.addRegion({
        id: `seg-${k}`,
        start: s.start,
        end: Math.max(s.end, s.start + 0.01),
        color: color(s, k === latest.current.selected),
        drag: false,
        resize: true,
        minLength: 0.05,
        content: `${k + 1}`,
      }),
    );
    (latest.current.unmatched ?? []).forEach((u, i) =>
      reg.addRegion({ id: `unm-${i}`, start: u.start, end: u.end, color: 'rgba(255, 160, 60, 0.28)', drag: false, resize: false, content: '?' }),
    );
  };
  useEffect(draw, [p.segments, p.selected, p.unmatched]);

  useEffect(() => {
    const w = ws.current;
    if (!w || !p.play) return;
    stopAt.current = p.play.end;
    w.setTime(p.play.start);
    void w.play();
  }, [p.play]);

  useEffect(() => {
    const w = ws.current;
    const s = p.selected != null ? p.segments[p.selected] : null;
    if (w && s && !w.isPlaying()) w.setTime(s.start);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a new selection moves the cursor; segment edits must not
  }, [p.selected]);

  return <div className="align-waveform" ref={el} data-testid="align-waveform" />;
}
