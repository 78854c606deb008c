import { useEffect, useRef } from 'react';
import type { MelPixels } from '../editor/melImage';

/** Draws precomputed pixels (plots.ts) scaled to the canvas, without smoothing, with a caption. */
export function PlotCanvas({ pixels, label, height = 160 }: { pixels: MelPixels | null; label: string; height?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas || !pixels || !pixels.width || !pixels.height) return;
    const src = document.createElement('canvas');
    src.width = pixels.width;
    src.height = pixels.height;
    src.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels.rgba), pixels.width, pixels.height), 0, 0);
    const ctx = canvas.getContext('2d')!;
    canvas.width = canvas.clientWidth * devicePixelRatio;
    canvas.height = height * devicePixelRatio;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(src, 0, 0, canvas.width, canvas.height);
  }, [pixels, height]);
  return (
    <figure className="synth-plot">
      <canvas ref={ref} style={{ width: '100%', height }} aria-label={label} role="img" />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
