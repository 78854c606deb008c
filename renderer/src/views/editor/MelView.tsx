import { useEffect, useRef, useState } from 'react';
import type { MelPresetName } from '../../../../shared/contract/manifest';
import type { Region } from './editCommands';
import type { MelRequest, MelResponse } from './melProtocol';

/**
 * The mel spectrogram exactly as the models see it (shared/dsp melSpectrogram with the project's
 * preset), computed in a Web Worker so the UI never blocks, drawn on a canvas. A playhead follows
 * playback (requestAnimationFrame, no React re-render per frame); the trim is shaded; click seeks.
 */
export const MEL_MAX_SECONDS = 600;

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

function requestMel(url: string, preset: MelPresetName): Promise<MelResponse> {
  const id = ++seq;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const msg: MelRequest = { id, url: new URL(url, window.location.href).href, preset, maxSeconds: MEL_MAX_SECONDS };
    melWorker().postMessage(msg);
  });
}

export function MelView({ url, preset, duration, trim, getTime, onSeek, height = 128 }: {
  url: string;
  preset: MelPresetName;
  duration: number;
  trim: Region | null;
  getTime(): number;
  onSeek(t: number): void;
  height?: number;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<{ status: 'loading' | 'ready' | 'error'; text: string }>({ status: 'loading', text: '' });

  useEffect(() => {
    let live = true;
    setState({ status: 'loading', text: 'Computing mel spectrogram…' });
    requestMel(url, preset).then((r) => {
      if (!live) return;
      if (!r.ok) return setState({ status: 'error', text: r.error });
      const c = canvas.current;
      if (!c) return;
      const img = new ImageData(new Uint8ClampedArray(r.rgba), r.width, r.height);
      const off = document.createElement('canvas');
      off.width = r.width;
      off.height = r.height;
      off.getContext('2d')!.putImageData(img, 0, 0);
      const dpr = window.devicePixelRatio || 1;
      c.width = Math.max(1, Math.round(c.clientWidth * dpr));
      c.height = Math.max(1, Math.round(c.clientHeight * dpr));
      const g = c.getContext('2d')!;
      g.imageSmoothingEnabled = true;
      g.drawImage(off, 0, 0, c.width, c.height);
      setState({ status: 'ready', text: `${preset} preset · ${r.height} bands · ${r.width} frames (${(r.hopSeconds * 1000).toFixed(1)} ms hop)${r.warning ? ` · ⚠ ${r.warning}` : ''}` });
    });
    return () => {
      live = false;
    };
  }, [url, preset]);

  // Playhead: position from the player every frame.
  useEffect(() => {
    let raf = 0;
    const tick = () => {
      const el = head.current;
      if (el && duration > 0) el.style.left = `${(Math.min(duration, getTime()) / duration) * 100}%`;
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [getTime, duration]);

  const pct = (t: number) => `${(Math.max(0, Math.min(duration, t)) / (duration || 1)) * 100}%`;
  return (
    <div className="mel-view">
      <div
        className="mel-frame"
        style={{ height }}
        data-testid="mel-view"
        data-state={state.status}
        onMouseDown={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          onSeek(((e.clientX - r.left) / r.width) * duration);
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
