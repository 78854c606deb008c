import { describe, expect, it } from 'vitest';
import { melFromNpy } from './melNpy';

describe('melFromNpy', () => {
  it('accepts [80, F] and [1, 80, F], transposes [F, 80]', () => {
    const d = new Float32Array(80 * 3).map((_, i) => i);
    expect(melFromNpy(d, [80, 3], 80).mel.frames).toBe(3);
    expect(melFromNpy(d, [1, 80, 3], 80).mel.frames).toBe(3);
    const t = melFromNpy(d, [3, 80], 80);
    expect(t.note).toMatch(/transposed/);
    expect(t.mel.data[1 * 3 + 2]).toBe(2 * 80 + 1); // mel band 1 of frame 2
  });

  it('refuses a shape that has no band of the preset', () => {
    expect(() => melFromNpy(new Float32Array(6), [2, 3], 80)).toThrow(/mel \.npy has shape \(2, 3\); the preset has 80 mel bands/);
    expect(() => melFromNpy(new Float32Array(6), [6], 80)).toThrow(/expected \(80, frames\)/);
  });
});
