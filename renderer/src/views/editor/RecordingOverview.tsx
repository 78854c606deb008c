import { useEffect, useRef, useState } from 'react';
import type { ClipRecord, SourceRecord } from '../../../../shared/contract/manifest';
import { api, errorMessage } from '../../api/client';

/**
 * The whole recording a clip comes from, as a strip: waveform from server-side peaks
 * (`media.peaks`, streamed in the main process — a 2-hour source costs the browser nothing),
 * every clip of that recording marked, the open one highlighted. Click a clip to open it.
 * Shown for WAV sources (what media.peaks reads); other codecs show a one-line note.
 */
const BUCKETS = 1600;
const cache = new Map<string, Promise<number[]>>();

function sourcePeaks(projectDir: string, source: SourceRecord): Promise<number[]> {
  const key = `${projectDir}\u0000${source.storedPath}\u0000${source.sha256}`;
  let p = cache.get(key);
  if (!p) {
    p = api['media.peaks']({ projectDir, path: source.storedPath, buckets: BUCKETS }).then((r) => r.peaks);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

export function RecordingOverview({ projectDir, source, clips, currentId, onOpen }: {
  projectDir: string;
  source: SourceRecord;
  /** Clips of this source. */
  clips: readonly ClipRecord[];
  currentId: string;
  onOpen(id: string): void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<number[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const duration = source.durationSeconds ?? Math.max(0, ...clips.map((c) => c.sourceEnd));

  useEffect(() => {
    let live = true;
    setPeaks(null);
    setError(null);
    sourcePeaks(projectDir, source).then(
      (p) => live && setPeaks(p),
      (e) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [projectDir, source]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !peaks) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.round(c.clientWidth * dpr));
    c.height = Math.max(1, Math.round(c.clientHeight * dpr));
    const g = c.getContext('2d')!;
    g.clearRect(0, 0, c.width, c.height);
    const mid = c.height / 2;
    let max = 1e-6;
    for (const v of peaks) max = Math.max(max, Math.abs(v));
    g.fillStyle = getComputedStyle(c).color || '#5e6676';
    const w = c.width / peaks.length;
    for (let i = 0; i < peaks.length; i++) {
      const h = Math.max(1, (Math.abs(peaks[i]) / max) * (mid - 2));
      g.fillRect(i * w, mid - h, Math.max(1, w - 0.3), 2 * h);
    }
  }, [peaks]);

  const pct = (t: number) => `${(t / (duration || 1)) * 100}%`;
  if (error) return <div className="rec-overview note">Recording overview unavailable: {error}</div>;
  return (
    <div className="rec-overview" data-testid="recording-overview" title={`${source.originalPath} — ${duration.toFixed(1)} s, ${clips.length} clips`}>
      <canvas ref={canvas} className="rec-wave" />
      {clips.map((c) => (
        <button
          key={c.id}
          type="button"
          tabIndex={-1}
          className={`rec-clip${c.id === currentId ? ' current' : ''}${c.status === 'rejected' ? ' rejected' : ''}`}
          style={{ left: pct(c.sourceStart), width: pct(c.sourceEnd - c.sourceStart) }}
          onClick={() => onOpen(c.id)}
          title={`${c.id}: ${c.sourceStart.toFixed(2)}–${c.sourceEnd.toFixed(2)} s${c.text ? ` — ${c.text}` : ''}`}
        />
      ))}
      <span className="rec-label left">0:00</span>
      <span className="rec-label right">{formatClock(duration)}</span>
    </div>
  );
}

function formatClock(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}
