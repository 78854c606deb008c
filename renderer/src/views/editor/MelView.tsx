import { useEffect, useRef, useState } from 'react';
import type { MelPresetName } from '../../../../shared/contract/manifest';
import type { Region } from './editCommands';
import type { MelRequest, MelResponse } from './melProtocol';
import { imageCovers, requestWindow, type ViewChannel, type ViewWindow } from './viewWindow';

/**
 * The mel spectrogram exactly as the models see it (shared/dsp melSpectrogram with the project's
 * preset), for what the waveform shows: it follows the waveform's zoom and scroll (`view`), and the
 * worker computes only that window (plus a margin) at the screen's resolution, reading long audio
 * by range, so a 2-hour recording costs what is on screen. While a new window is computed the last
 * image stays, moved to where it belongs. A playhead follows playback (requestAnimationFrame, no
 * React re-render per frame); the trim is shaded; click seeks.
 */

let worker: Worker | null = null;
let seq = 0;
const waiting = new Map<number, (r: MelResponse) => void>();

function melWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./melWorker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<MelResponse>) => {
      waiting.get(e.data.id)?.(e.data);
      waiting.delete(e.data.id);
    };
  }
  return worker;
}

function requestMel(req: Omit<MelRequest, 'id'>): Promise<MelResponse> {
  const id = ++seq;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const msg: MelRequest = { ...req, id, url: new URL(req.url, window.location.href).href };
    melWorker().postMessage(msg);
  });
}

type Image = Extract<MelResponse, { ok: true }> & { url: string; bitmap: HTMLCanvasElement; pxPerSec: number };
type State = { status: 'loading' | 'ready' | 'error' | 'zoom'; text: string };

const DEBOUNCE_MS = 120;
const MAX_WAIT_MS = 400;

export function MelView({ url, preset, duration, trim, getTime, onSeek, view, height = 128 }: {
  url: string;
  preset: MelPresetName;
  duration: number;
  trim: Region | null;
  getTime(): number;
  onSeek(t: number): void;
  /** The waveform's visible window; without it the whole audio is shown. */
  view?: ViewChannel;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const image = useRef<Image | null>(null);
  /** When the view first changed away from what the image covers (for the max wait of the debounce). */
  const lastChange = useRef<number | null>(null);
  const [state, setState] = useState<State>({ status: 'loading', text: '' });
  const whole: ViewWindow = { start: 0, end: duration, pxPerSec: 0 };
  const [win, setWin] = useState<ViewWindow | null>(view ? view.get() : null);
  const shown = view ? win : whole;

  useEffect(() => {
    if (!view) return;
    setWin(view.get());
    return view.subscribe(setWin);
  }, [view]);

  // A new clip or preset: forget the old picture.
  useEffect(() => {
    image.current = null;
    setState({ status: 'loading', text: 'Computing mel spectrogram…' });
  }, [url, preset]);

  // Draw the current image where it belongs in the view, then fetch a better one when the view settles.
  useEffect(() => {
    const c = canvas.current;
    if (!c || !shown) return;
    const dpr = window.devicePixelRatio || 1;
    const pxPerSec = shown.pxPerSec > 0 ? shown.pxPerSec : c.clientWidth / Math.max(1e-3, shown.end - shown.start);
    const current: ViewWindow = { start: shown.start, end: shown.end, pxPerSec };
    draw(c, image.current, current, dpr);
    const img = image.current;
    const hop = img?.hopSeconds ?? 0.01;
    if (img && img.url === url && imageCovers(img, current, hop)) {
      setState((s) => (s.status === 'ready' ? s : readyState(img, preset)));
      return;
    }
    let live = true;
    const want = requestWindow(current, duration, dpr);
    const since = lastChange.current ?? performance.now();
    lastChange.current = since;
    const delay = image.current ? Math.max(0, Math.min(DEBOUNCE_MS, since + MAX_WAIT_MS - performance.now())) : 0;
    const timer = setTimeout(() => {
      lastChange.current = null;
      void requestMel({ url, preset, start: want.start, end: want.end, visibleStart: current.start, visibleEnd: current.end, columns: want.columns }).then((r) => {
        if (!live) return;
        if (!r.ok) {
          if (r.reason === 'stale') return;
          if (r.reason === 'too-wide') {
            image.current = null;
            draw(c, null, current, dpr);
            return setState({ status: 'zoom', text: r.error });
          }
          return setState({ status: 'error', text: r.error });
        }
        const bitmap = document.createElement('canvas');
        bitmap.width = r.width;
        bitmap.height = r.height;
        bitmap.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(r.rgba), r.width, r.height), 0, 0);
        const next: Image = { ...r, url, bitmap, pxPerSec: current.pxPerSec };
        image.current = next;
        draw(c, next, view?.get() ? withPx(view.get()!, current.pxPerSec) : current, dpr);
        setState(readyState(next, preset));
      });
    }, delay);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the view's fields are the inputs; `view` is a stable ref read at draw time
  }, [url, preset, duration, shown?.start, shown?.end, shown?.pxPerSec]);

  // Playhead: position from the player every frame.
  const shownRef = useRef(shown);
  shownRef.current = shown;
  useEffect(() => {
    let raf = 0;
    const tick = () => {
      const el = head.current;
      const v = shownRef.current;
      if (el && v && v.end > v.start) {
        const f = (Math.min(duration, getTime()) - v.start) / (v.end - v.start);
        el.style.display = f < 0 || f > 1 ? 'none' : '';
        el.style.left = `${f * 100}%`;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [getTime, duration]);

  const span = shown && shown.end > shown.start ? shown : whole;
  const pct = (t: number) => `${Math.max(0, Math.min(1, (t - span.start) / (span.end - span.start || 1))) * 100}%`;
  const img = image.current;
  return (
    <div className="mel-view">
      <div
        className="mel-frame"
        style={{ height }}
        data-testid="mel-view"
        data-state={state.status}
        data-window={img ? `${img.start.toFixed(3)}-${img.end.toFixed(3)}` : ''}
        data-frames={img?.frames ?? ''}
        data-ms={img ? img.ms.toFixed(0) : ''}
        data-read-ms={img ? img.readMs.toFixed(0) : ''}
        data-mode={img?.mode ?? ''}
        onMouseDown={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          onSeek(span.start + ((e.clientX - r.left) / r.width) * (span.end - span.start));
        }}
      >
        <canvas ref={canvas} className="mel-canvas" />
        {trim && (
          <>
            <div className="mel-shade" style={{ left: 0, width: pct(trim.start) }} />
            <div className="mel-shade" style={{ left: pct(trim.end), right: 0 }} />
          </>
        )}
        <div ref={head} className="mel-head" />
        {state.status !== 'ready' && <div className={`mel-status ${state.status}`}>{state.text}</div>}
      </div>
      <div className="mel-caption">Mel (model input){state.status === 'ready' ? ` · ${state.text}` : ''}</div>
    </div>
  );
}

function ordinal(n: number): string {
  return n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th';
}

function withPx(v: ViewWindow, px: number): ViewWindow {
  return v.pxPerSec > 0 ? v : { ...v, pxPerSec: px };
}

function readyState(r: Image, preset: MelPresetName): State {
  const pooled = r.width < r.frames ? ` shown in ${r.width} columns${r.stride > 1 ? ` (every ${r.stride}${ordinal(r.stride)} frame computed)` : ''}` : '';
  return {
    status: 'ready',
    text: `${preset} preset · ${r.height} bands · ${r.frames} frames${pooled} (${(r.hopSeconds * 1000).toFixed(1)} ms hop) · ${r.start < 0.01 && r.end >= r.seconds - 0.02 ? 'whole clip' : `${Math.max(0, r.start).toFixed(2)}–${r.end.toFixed(2)} s`}${r.warning ? ` · ⚠ ${r.warning}` : ''}`,
  };
}

/** Clears the canvas and draws `img` at its place in `view` (nothing when it lies outside). */
function draw(c: HTMLCanvasElement, img: Image | null, view: ViewWindow, dpr: number): void {
  const w = Math.max(1, Math.round(c.clientWidth * dpr));
  const h = Math.max(1, Math.round(c.clientHeight * dpr));
  if (c.width !== w) c.width = w;
  if (c.height !== h) c.height = h;
  const g = c.getContext('2d')!;
  g.clearRect(0, 0, w, h);
  if (!img || view.end <= view.start) return;
  const x0 = ((img.start - view.start) / (view.end - view.start)) * w;
  const x1 = ((img.end - view.start) / (view.end - view.start)) * w;
  // Frames wider than a pixel stay crisp blocks (the models' frames); pooled columns are smoothed.
  g.imageSmoothingEnabled = img.width > x1 - x0;
  g.drawImage(img.bitmap, x0, 0, x1 - x0, h);
}
