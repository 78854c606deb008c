import { describe, expect, it } from 'vitest';
import type { VoiceInfo } from '../../../../shared/contract/synthesis';
import { clampPace, clampPitch, durationControlRange, durationRequest } from './durationControls';
import { controlsLabel } from './history';

const voice = (over: Partial<VoiceInfo>): VoiceInfo => ({
  dir: '/v',
  name: 'v',
  source: 'user',
  sampleRate: 22050,
  melPreset: 'nvidia',
  hasWaveglow: false,
  comfortableChars: 150,
  provenance: null,
  isDefault: false,
  error: null,
  ...over,
});
const fp = voice({ acousticModel: 'fastpitch', controls: { maxPace: 3, maxPitchShift: 12 } });
const t2 = voice({ acousticModel: 'tacotron2', controls: null });

describe('pace and pitch controls (duration voices only)', () => {
  it('have a range for a duration voice only', () => {
    expect(durationControlRange(fp)).toEqual({ minPace: 1 / 3, maxPace: 3, maxPitchShift: 12 });
    expect(durationControlRange(t2)).toBeNull();
    expect(durationControlRange(voice({}))).toBeNull(); // an older service that does not say
    expect(durationControlRange({ ...fp, error: 'broken' })).toBeNull();
  });

  it('hold typed values within the voice range; junk keeps the previous value', () => {
    const r = durationControlRange(fp)!;
    expect(clampPace(5, r, 1)).toBe(3);
    expect(clampPace(0.1, r, 1)).toBeCloseTo(1 / 3);
    expect(clampPace(Number.NaN, r, 1.5)).toBe(1.5);
    expect(clampPace(0, r, 1.5)).toBe(1.5);
    expect(clampPitch(-20, r, 0)).toBe(-12);
    expect(clampPitch(Number.NaN, r, 2)).toBe(2);
  });

  it('are sent for a duration voice and never for a Tacotron-2 voice', () => {
    expect(durationRequest(fp, 2, -3)).toEqual({ pace: 2, pitch: -3 });
    expect(durationRequest(t2, 2, -3)).toEqual({});
    expect(durationRequest(undefined, 2, -3)).toEqual({});
  });

  it('are shown in a history entry made with them', () => {
    expect(controlsLabel({ pace: 2, pitch: 3 })).toBe(' · pace 2× · +3 st');
    expect(controlsLabel({ pace: 0.5, pitch: -1.5 })).toBe(' · pace 0.5× · -1.5 st');
    expect(controlsLabel({})).toBe('');
  });
});
