import type { Matrix } from '../../../../shared/contract/synthesis';
import { MAGMA_LUT, melToPixels, type MelPixels } from '../editor/melImage';

/**
 * Pixels for the two plots of an audition: the predicted mel (same colours and orientation as the
 * editor's mel view) and the attention alignment as Tacotron papers draw it — decoder step on x,
 * input symbol on y (first symbol at the bottom), weight as colour (0 … the largest weight). A healthy alignment is one
 * bright diagonal from bottom-left to top-right.
 */
export function melMatrixPixels(mel: Matrix): MelPixels {
  return melToPixels({ nMels: mel.rows, frames: mel.cols, data: Float32Array.from(mel.data) });
}

export function alignmentPixels(alignment: Matrix): MelPixels {
  const { rows: steps, cols: symbols, data } = alignment;
  if (data.length !== steps * symbols) throw new RangeError(`alignment has ${data.length} values, expected ${steps}×${symbols}`);
  const width = steps;
  const height = symbols;
  const rgba = new Uint8ClampedArray(width * height * 4);
  // Scaled to the largest weight (as matplotlib's imshow does): a diffuse, untrained attention
  // (every weight ≈ 1/symbols) still shows its shape instead of a black box.
  let max = 0;
  for (const v of data) if (Number.isFinite(v) && v > max) max = v;
  const scale = 255 / (max > 0 ? max : 1);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < symbols; j++) {
      const v = data[t * symbols + j];
      const idx = Number.isFinite(v) ? Math.max(0, Math.min(255, Math.round(v * scale))) : 0;
      const o = ((height - 1 - j) * width + t) * 4;
      rgba[o] = MAGMA_LUT[idx * 3];
      rgba[o + 1] = MAGMA_LUT[idx * 3 + 1];
      rgba[o + 2] = MAGMA_LUT[idx * 3 + 2];
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba, lo: 0, hi: max };
}
