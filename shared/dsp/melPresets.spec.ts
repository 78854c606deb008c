import { describe, expect, it } from 'vitest';
import { MEL_PRESETS, MelPresetSchema, melPresetByName } from './melPresets';

describe('mel presets', () => {
  it('both presets validate against the schema and survive a JSON round trip (voice bundles embed them)', () => {
    for (const p of Object.values(MEL_PRESETS)) {
      expect(MelPresetSchema.parse(JSON.parse(JSON.stringify(p)))).toEqual(p);
    }
  });

  it('carry the published hyper-parameters', () => {
    expect(MEL_PRESETS.nvidia).toMatchObject({ sampleRate: 22050, nFft: 1024, winLength: 1024, hopLength: 256, nMels: 80, fmin: 0, fmax: 8000, padMode: 'reflect' });
    expect(MEL_PRESETS.seed).toMatchObject({ sampleRate: 22050, nFft: 2048, winLength: 1100, hopLength: 275, fmin: 55, fmax: 7600, preemphasis: 0.97 });
    // 50 ms window and 12.5 ms hop at 22050 Hz, as the seed states
    expect(MEL_PRESETS.seed.winLength / 22050).toBeCloseTo(0.05, 3);
    expect(MEL_PRESETS.seed.hopLength / 22050).toBeCloseTo(0.0125, 3);
    expect(MEL_PRESETS.seed.griffinLim.power).toBe(1.5);
  });

  it('rejects inconsistent presets with a pointed message', () => {
    const bad = { ...MEL_PRESETS.nvidia, winLength: 2048 };
    expect(() => MelPresetSchema.parse(bad)).toThrow(/winLength must not exceed nFft/);
    expect(() => MelPresetSchema.parse({ ...MEL_PRESETS.nvidia, fmax: 12000 })).toThrow(/Nyquist/);
    expect(() => MelPresetSchema.parse({ ...MEL_PRESETS.nvidia, nFft: 1000, winLength: 1000 })).toThrow(/nFft must be a power of two/);
    expect(() => melPresetByName('hifigan')).toThrow(/known: nvidia, seed/);
  });
});
