import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin, { type Region as WsRegion } from 'wavesurfer.js/dist/plugins/regions.esm.js';
import SpectrogramPlugin from 'wavesurfer.js/dist/plugins/spectrogram.esm.js';
import TimelinePlugin from 'wavesurfer.js/dist/plugins/timeline.esm.js';
import type { Region } from './editCommands';
import type { ViewWindow } from './viewWindow';

/**
 * The waveform (wavesurfer.js 8) with its Timeline, Regions and Spectrogram plugins.
 *
 * - Short audio (a clip) is fetched and decoded by wavesurfer, which the Spectrogram plugin needs.
 * - Long audio (over LONG_AUDIO_SECONDS) is drawn from server-side peaks (`media.peaks`) and played
 *   by streaming the file: nothing is decoded in the browser, so a 2-hour recording appears at once.
 * - One "trim" region shows the clip's content (between the silence pads); dragging its edges asks
 *   for a new trim (`onTrimDrag`). Dragging on empty waveform makes a selection region for looping.
 * The component is uncontrolled for playback; the parent drives it through the imperative handle.
 */
export const LONG_AUDIO_SECONDS = 60;

export interface WaveformHandle {
  playPause(): void;
  isPlaying(): boolean;
  time(): number;
  setTime(t: number): void;
  duration(): number;
  /** The loop selection (drag on the waveform), or null. */
  selection(): Region | null;
  clearSelection(): void;
  zoom(pxPerSec: number): void;
  /** Pixels per second that fit the whole audio in the view. */
  fitPxPerSec(): number;
}

export interface WaveformPanelProps {
  url: string;
  /** Known duration; with `peaks`, wavesurfer does not decode. */
  duration: number;
  peaks?: number[] | null;
  trim: Region | null;
  loop: boolean;
  zoom: number;
  spectrogram: boolean;
  onTrimDrag?(r: Region): void;
  onReady?(): void;
  onError?(message: string): void;
  onTime?(t: number): void;
  /** Playback started (true) or stopped (false): the play button shows it. */
  onPlaying?(playing: boolean): void;
  /** What is visible (zoom and scroll), whenever it changes; the mel view follows it. */
  onView?(v: ViewWindow): void;
}

/** Ruler steps for a clip of `seconds` shown whole (wavesurfer's defaults label only every 10 s). */
export function rulerIntervals(seconds: number): { timeInterval?: number; primaryLabelInterval?: number; secondaryLabelInterval?: number } {
  if (seconds <= 6) return { timeInterval: 0.1, primaryLabelInterval: 1, secondaryLabelInterval: 0.5 };
  if (seconds <= 20) return { timeInterval: 0.25, primaryLabelInterval: 1, secondaryLabelInterval: 1 };
  if (seconds <= 90) return { timeInterval: 1, primaryLabelInterval: 5, secondaryLabelInterval: 5 };
  return {};
}

const css = (name: string, fallback: string) =>
  typeof document === 'undefined' ? fallback : getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export const WaveformPanel = forwardRef<WaveformHandle, WaveformPanelProps>(function WaveformPanel(props, ref) {
  const waveEl = useRef<HTMLDivElement>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const regions = useRef<ReturnType<typeof RegionsPlugin.create> | null>(null);
  const trimRegion = useRef<WsRegion | null>(null);
  const selRegion = useRef<WsRegion | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [loading, setLoading] = useState(true);

  useImperativeHandle(ref, () => ({
    playPause: () => {
      const w = ws.current;
      if (!w) return;
      if (w.isPlaying()) return w.pause();
      const sel = selRegion.current ?? (latest.current.loop ? trimRegion.current : null);
      const t = w.getCurrentTime();
      if (sel && (t < sel.start || t >= sel.end - 0.01)) w.setTime(sel.start);
      void w.play();
    },
    isPlaying: () => ws.current?.isPlaying() ?? false,
    time: () => ws.current?.getCurrentTime() ?? 0,
    setTime: (t) => ws.current?.setTime(Math.max(0, Math.min(t, ws.current.getDuration()))),
    duration: () => ws.current?.getDuration() ?? 0,
    selection: () => (selRegion.current ? { start: selRegion.current.start, end: selRegion.current.end } : null),
    clearSelection: () => {
      selRegion.current?.remove();
      selRegion.current = null;
    },
    zoom: (px) => ws.current?.zoom(px),
    fitPxPerSec: () => {
      const w = ws.current;
      const width = waveEl.current?.clientWidth ?? 800;
      return w && w.getDuration() > 0 ? width / w.getDuration() : 0;
    },
  }));

  // Create wavesurfer once per URL (a re-rendered clip has a new URL version).
  useEffect(() => {
    const p = latest.current;
    if (!waveEl.current) return;
    setLoading(true);
    const reg = RegionsPlugin.create();
    regions.current = reg;
    const plugins = [
      reg,
      TimelinePlugin.create({
        height: 20,
        ...rulerIntervals(p.duration),
        style: { color: css('--text-muted', '#8b93a3'), fontSize: '10px' },
      }),
    ];
    // No separate containers: inside wavesurfer's wrapper, ruler and spectrogram scroll and zoom with the waveform.
    if (p.spectrogram)
      plugins.push(
        SpectrogramPlugin.create({
          height: 120,
          labels: true,
          labelsBackground: 'rgba(0,0,0,0.35)',
          scale: 'mel',
          fftSamples: 512,
          colorMap: 'roseus',
          // FFTs off the UI thread (falls back to the main thread if a worker cannot start).
          useWebWorker: true,
        }) as never,
      );
    const w = WaveSurfer.create({
      container: waveEl.current,
      height: 140,
      waveColor: css('--wave', '#4fb3ff'),
      progressColor: css('--wave-progress', '#9dd6ff'),
      cursorColor: '#ffffff',
      cursorWidth: 1,
      // Drawn normalized (clips are loudness-normalized to −23 LUFS, which looks tiny at true scale); levels are in the header.
      normalize: true,
      autoScroll: true,
      autoCenter: true,
      dragToSeek: false,
      plugins,
    });
    ws.current = w;
    w.load(p.url, p.peaks ? [p.peaks] : undefined, p.peaks ? p.duration : undefined).catch((e: Error) => {
      if (e?.name !== 'AbortError') latest.current.onError?.(e?.message ?? String(e));
    });
    // The visible window: scroll position and wrapper width (the zoomed waveform) in seconds.
    const emitView = () => {
      const d = w.getDuration();
      const full = w.getWrapper().scrollWidth;
      const width = w.getWidth();
      if (!(d > 0) || !(full > 0) || !(width > 0)) return;
      const sc = w.getScroll();
      latest.current.onView?.({ start: Math.max(0, (sc / full) * d), end: Math.min(d, ((sc + width) / full) * d), pxPerSec: full / d });
    };
    w.on('ready', () => {
      setLoading(false);
      placeTrim();
      if (latest.current.zoom > 0) w.zoom(latest.current.zoom);
      latest.current.onReady?.();
      emitView();
    });
    w.on('scroll', emitView);
    w.on('zoom', () => requestAnimationFrame(emitView));
    w.on('redrawcomplete', emitView);
    w.on('play', () => latest.current.onPlaying?.(true));
    w.on('pause', () => latest.current.onPlaying?.(false));
    w.on('finish', () => latest.current.onPlaying?.(false));
    w.on('error', (e) => latest.current.onError?.((e as Error)?.message ?? String(e)));
    w.on('timeupdate', (t) => {
      const l = latest.current;
      l.onTime?.(t);
      // Loop: the drag selection if any, else the trim region when looping is on.
      const loopR = selRegion.current ?? (l.loop ? trimRegion.current : null);
      if (loopR && w.isPlaying() && t >= loopR.end) {
        if (l.loop) w.setTime(loopR.start);
        else w.pause();
      }
    });
    reg.enableDragSelection({ color: 'rgba(255, 255, 255, 0.08)' });
    reg.on('region-created', (r) => {
      if (r.id === 'trim') return;
      if (selRegion.current && selRegion.current !== r) selRegion.current.remove();
      selRegion.current = r;
    });
    reg.on('region-updated', (r) => {
      if (r.id === 'trim') latest.current.onTrimDrag?.({ start: r.start, end: r.end });
    });
    // A click inside a region (the trim region covers all the speech) puts the cursor where it lands,
    // like a click anywhere else on the waveform: click, then I / O trims there.
    reg.on('region-clicked', (_r, e) => {
      e.stopPropagation();
      const box = w.getWrapper().getBoundingClientRect();
      if (box.width > 0) w.setTime(((e.clientX - box.left) / box.width) * w.getDuration());
    });
    return () => {
      latest.current.onPlaying?.(false);
      trimRegion.current = null;
      selRegion.current = null;
      w.destroy();
      ws.current = null;
    };
  }, [props.url, props.spectrogram]);

  function placeTrim() {
    const reg = regions.current;
    const t = latest.current.trim;
    trimRegion.current?.remove();
    trimRegion.current = null;
    if (!reg || !t) return;
    trimRegion.current = reg.addRegion({ id: 'trim', start: t.start, end: t.end, drag: false, resize: true, color: 'rgba(79, 179, 255, 0.10)', minLength: 0.05 });
  }

  // Trim changes without a reload (e.g. an edit that the service has not re-rendered yet).
  useEffect(() => {
    if (!loading) placeTrim();
  }, [props.trim?.start, props.trim?.end, loading]);

  useEffect(() => {
    if (!loading && ws.current) ws.current.zoom(props.zoom > 0 ? props.zoom : 0);
  }, [props.zoom, loading]);

  return (
    <div className={`waveform-panel${loading ? ' loading' : ''}`}>
      <div ref={waveEl} className="wf-wave" data-testid="waveform" />
      {loading && <div className="wf-loading">Loading audio…</div>}
    </div>
  );
});
