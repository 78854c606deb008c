import { describe, expect, it } from 'vitest';
import { MEL_PRESETS } from '../../../../shared/dsp/melPresets';
import { melSpectrogram } from '../../../../shared/dsp/mel';
import { MAGMA_LUT, displayRange, melToPixels } from './melImage';

describe('melToPixels', () => {
  it('puts low bands at the bottom and maps the range onto the colour map', () => {
    // 2 bands × 3 frames: band 0 (low) is loud, band 1 (high) quiet.
    const mel = { nMels: 2, frames: 3, data: new Float32Array([5, 5, 5, -5, -5, -5]) };
    const px = melToPixels(mel, { lo: -5, hi: 5 });
    expect([px.width, px.height]).toEqual([3, 2]);
    const top = Array.from(px.rgba.slice(0, 3));
    const bottom = Array.from(px.rgba.slice(3 * 4, 3 * 4 + 3));
    expect(top).toEqual(Array.from(MAGMA_LUT.slice(0, 3))); // quiet high band on top row
    expect(bottom).toEqual(Array.from(MAGMA_LUT.slice(255 * 3, 256 * 3)));
    expect(px.rgba[3]).toBe(255);
  });

  it('ignores outliers when choosing the display range', () => {
    const d = new Float32Array(10_000).map((_, i) => (i % 100) / 100);
    d[5] = 1e6;
    const r = displayRange(d);
    expect(r.hi).toBeLessThan(2);
    expect(r.lo).toBeGreaterThanOrEqual(0);
  });

  it('draws a 440 Hz tone as a bright low band from the models’ own mel computation', () => {
    const p = MEL_PRESETS.nvidia;
    const x = new Float32Array(p.sampleRate).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / p.sampleRate));
    const mel = melSpectrogram(x, p);
    const px = melToPixels(mel);
    const mid = Math.floor(px.width / 2);
    let brightestRow = 0;
    let best = -1;
    for (let r = 0; r < px.height; r++) {
      const o = (r * px.width + mid) * 4;
      const lum = px.rgba[o] + px.rgba[o + 1] + px.rgba[o + 2];
      if (lum > best) [best, brightestRow] = [lum, r];
    }
    // Row 0 is the top (highest band); 440 Hz lives in the lower part of an 80-band 0–8 kHz mel scale.
    expect(brightestRow).toBeGreaterThan(px.height / 2);
  });
});
