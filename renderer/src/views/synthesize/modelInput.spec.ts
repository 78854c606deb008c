import { describe, expect, it } from 'vitest';
import type { VoiceInfo } from '../../../../shared/contract/synthesis';
import { historyEntry } from './history';
import { modelInputLine, modelInputs, voicePhonemizer } from './modelInput';

const voice = (extra: Record<string, unknown> = {}): VoiceInfo =>
  ({ dir: '/v', name: 'v', source: 'embedded', sampleRate: 22050, melPreset: 'nvidia', hasWaveglow: false, comfortableChars: 150, provenance: null, isDefault: true, error: null, ...extra }) as VoiceInfo;

describe('what the model was given (phoneme voices)', () => {
  it('knows a phoneme voice by its phonemizer; a characters voice (or an older service) has none', () => {
    expect(voicePhonemizer(voice({ phonemizer: 'en-us' }))).toBe('en-us');
    expect(voicePhonemizer(voice({ phonemizer: null }))).toBeNull();
    expect(voicePhonemizer(voice())).toBeNull();
    expect(voicePhonemizer(null)).toBeNull();
  });

  it('shows the IPA under a phoneme voice’s sentence and nothing for a characters voice', () => {
    expect(modelInputLine({ cleaned: 'həlˈoʊ ðˈɛɹ.' }, 'en-us')).toBe('həlˈoʊ ðˈɛɹ.');
    expect(modelInputLine({ cleaned: 'hello there.' }, null)).toBeNull();
    expect(modelInputLine({}, 'en-us')).toBeNull(); // the service did not say
    expect(modelInputLine({ cleaned: '  ' }, 'en-us')).toBeNull();
  });

  it('keeps a finished phoneme synthesis’s IPA, sentence by sentence, in its history entry', () => {
    const items = [{ cleaned: 'wˈʌn, tˈuː.' }, { cleaned: 'θɹˈiː!' }];
    expect(modelInputs(items, 'en-us')).toEqual(['wˈʌn, tˈuː.', 'θɹˈiː!']);
    expect(modelInputs(items, null)).toBeNull();
    expect(modelInputs([{ cleaned: 'θɹˈiː!' }, {}], 'en-us')).toBeNull(); // all or nothing: lines stay aligned with sentences
    expect(modelInputs([], 'en-us')).toBeNull();

    const result = { outPath: null, wavBase64: 'UklGRg==', sampleRate: 22050, durationSeconds: 1, sentences: [], notes: [], provider: 'cpu', timings: { firstAudioMs: 1, totalMs: 2, audioSeconds: 1, rtf: 0.5 } };
    const e = historyEntry('j', { text: 'One, two. Three!', voice: 'demo', vocoder: 'griffin-lim', seed: 1, modelInput: modelInputs(items, 'en-us') }, result, 5)!;
    expect(e.modelInput).toEqual(['wˈʌn, tˈuː.', 'θɹˈiː!']);
    expect(historyEntry('j', { text: 't', voice: 'v', vocoder: 'griffin-lim', seed: 1 }, result)!.modelInput).toBeUndefined();
  });
});
