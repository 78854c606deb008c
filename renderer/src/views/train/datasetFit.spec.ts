import { describe, expect, it } from 'vitest';
import type { DatasetFit } from '../../../../shared/contract/training';
import { datasetFitLine, formatAudioLength } from './datasetFit';

const fit = (p: Partial<DatasetFit>): DatasetFit => ({ clips: 32, seconds: 221.7, usable: 32, usableSeconds: 221.7, maxWavSeconds: 12, tooLong: 0, tooLongSeconds: 0, tooFewFrames: 0, unreadable: 0, symbolsChecked: true, ...p });

describe('what the Train view says before Start', () => {
  it('says when the whole dataset is used', () => {
    expect(datasetFitLine(fit({}), 'default')).toEqual({ text: 'Trains on all 32 clips (3.7 min).', warn: false });
  });

  it('says how much the tiny config leaves out, why, and what takes the rest', () => {
    expect(datasetFitLine(fit({ usable: 10, usableSeconds: 42.8, maxWavSeconds: 6, tooLong: 22, tooLongSeconds: 178.9 }), 'tiny')).toEqual({
      text: 'Trains on 10 of 32 clips (43 s of 3.7 min): 22 are longer than 6 s, the tiny config’s limit. The default config takes clips up to 12 s.',
      warn: true,
    });
    expect(datasetFitLine(fit({ usable: 29, tooLong: 1, tooFewFrames: 1, unreadable: 1 }), 'default').text).toBe(
      'Trains on 29 of 32 clips (3.7 min of 3.7 min): 1 is longer than 12 s, the default config’s limit; 1 has more symbols than mel frames; 1 WAV is missing or unreadable.',
    );
    expect(datasetFitLine(fit({ usable: 0, usableSeconds: 0, tooLong: 32, maxWavSeconds: 6 }), 'tiny')).toMatchObject({ text: expect.stringMatching(/^None of the 32 clips can be used: 32 are longer than 6 s/), warn: true });
  });

  it('formats lengths in one unit people read', () => {
    expect([formatAudioLength(42.8), formatAudioLength(221.7), formatAudioLength(4 * 3600)]).toEqual(['43 s', '3.7 min', '4.0 h']);
  });
});
