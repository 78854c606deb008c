import { useEffect, useRef } from 'react';
import { currentMicrophone } from './recordStore';

/**
 * Live input level, redrawn once per display frame (requestAnimationFrame) from the AnalyserNode: the
 * bar is the peak of the last ~40 ms, a tick holds the highest peak for a second, and CLIP lights for
 * 1.5 s whenever a sample reaches full scale. The capture itself runs in the worklet, so a slow frame
 * here costs a frame of meter, never a sample of the take.
 */
const FLOOR_DB = -60;

export function LevelMeter({ active }: { active: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const clipRef = useRef<HTMLSpanElement>(null);
  const rateRef = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!active) return;
    let raf = 0;
    let hold = FLOOR_DB;
    let holdAt = 0;
    let clipUntil = 0;
    let frames = 0;
    let since = performance.now();
    const buf = new Float32Array(2048);
    const draw = (now: number) => {
      raf = requestAnimationFrame(draw);
      const mic = currentMicrophone();
      const c = canvas.current;
      if (!mic || !c) return;
      mic.analyser.getFloatTimeDomainData(buf);
      let peak = 0;
      for (let i = 0; i < buf.length; i++) peak = Math.max(peak, Math.abs(buf[i]!));
      const dbfs = peak > 0 ? 20 * Math.log10(peak) : -120;
      if (peak >= 0.999) clipUntil = now + 1500;
      if (dbfs > hold || now - holdAt > 1000) {
        hold = dbfs;
        holdAt = now;
      }
      const g = c.getContext('2d')!;
      const w = c.width;
      const h = c.height;
      const x = (d: number) => Math.max(0, Math.min(1, (d - FLOOR_DB) / -FLOOR_DB)) * w;
      g.clearRect(0, 0, w, h);
      g.fillStyle = '#2a2f3a';
      g.fillRect(0, 0, w, h);
      g.fillStyle = dbfs > -3 ? '#e5534b' : dbfs > -12 ? '#d6b656' : '#57ab5a';
      g.fillRect(0, 0, x(dbfs), h);
      g.fillStyle = '#ddd';
      g.fillRect(x(hold) - 1, 0, 2, h);
      // -12 and -3 dBFS marks: speak so the peaks stay between them.
      g.fillStyle = 'rgba(255,255,255,0.35)';
      g.fillRect(x(-12), 0, 1, h);
      g.fillRect(x(-3), 0, 1, h);
      const clipping = now < clipUntil;
      if (clipRef.current && clipRef.current.dataset.on !== String(clipping)) {
        clipRef.current.dataset.on = String(clipping);
        clipRef.current.className = `record-clip${clipping ? ' on' : ''}`;
      }
      frames++;
      if (now - since >= 1000 && rateRef.current) {
        rateRef.current.textContent = `${Math.round((frames * 1000) / (now - since))} fps`;
        frames = 0;
        since = now;
      }
    };
    raf = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(raf);
  }, [active]);
  return (
    <div className="record-meter" aria-label="Input level">
      <canvas ref={canvas} width={480} height={16} data-testid="level-meter" />
      <span ref={clipRef} className="record-clip" data-testid="clip-light" title="Lights when the input reaches full scale (distortion)">
        CLIP
      </span>
      <span ref={rateRef} className="muted small record-fps" title="Meter redraws per second (the display's rate)" />
    </div>
  );
}
