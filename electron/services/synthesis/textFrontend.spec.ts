// Text → ids for character and phoneme voices (voice.json `text.phonemizer`), with the real espeak-ng.
import { describe, expect, it } from 'vitest';
import { VoiceManifest } from '../../../shared/contract/voice';
import { sequenceToText, symbolIds, DEFAULT_SYMBOL_TABLE } from '../../../shared/text/index';
import { PHONEME_SYMBOL_TABLE, type EspeakIpaRunner } from '../../../shared/text/phonemize';
import { espeakIpa } from './espeakIpa';
import { planAndEncode, planAndEncodeText, voiceSymbolTable } from './textFrontend';

/** A voice.json as the trainer's export writes it (resources/trainer/formant_trainer/export_onnx.py). */
function voiceJson(phonemizer?: unknown, symbols = phonemizer ? PHONEME_SYMBOL_TABLE.symbols : DEFAULT_SYMBOL_TABLE.symbols): unknown {
  return {
    format: 'formant-voice', version: 1, name: phonemizer ? 'ipa-test' : 'chars-test', sampleRate: 22050,
    melPreset: { name: 'nvidia' },
    text: { cleaners: 'english', symbols, padId: 0, eosId: null, ...(phonemizer ? { phonemizer } : {}) },
    tacotron2: {
      reductionFactor: 5, nMels: 80, stopThreshold: 0.5, maxDecoderStepsPerSymbol: 10, maxDecoderSteps: 400, prenetDim: 128,
      prenetDropout: 0.5, attentionRnnDim: 192, decoderRnnDim: 192, encoderEmbeddingDim: 128, attentionDim: 64,
      encoder: 'encoder.onnx', decoderStep: 'decoder_step.onnx', postnet: 'postnet.onnx',
    },
    waveglow: null,
    provenance: { dataset: 'test', steps: 0, date: '2026-11-26', trainer: 'test', torch: 'none' },
  };
}

const ipaVoice = VoiceManifest.parse(voiceJson({ engine: 'espeak-ng', voice: 'en-us' }));
const charVoice = VoiceManifest.parse(voiceJson());

/** Counts espeak runs (each costs an instantiation). */
function countingRunner() {
  const runs: string[] = [];
  const run: EspeakIpaRunner = (input, voice) => (runs.push(input), espeakIpa(input, voice));
  return { run, runs };
}

describe('voice.json text.phonemizer', () => {
  it('parses when present, is optional, and is validated', () => {
    expect(ipaVoice.text.phonemizer).toEqual({ engine: 'espeak-ng', voice: 'en-us' });
    expect(charVoice.text.phonemizer).toBeUndefined();
    expect(VoiceManifest.safeParse(voiceJson({ engine: 'festival', voice: 'en-us' })).success).toBe(false);
    expect(VoiceManifest.safeParse(voiceJson({ engine: 'espeak-ng', voice: 'en us; rm' })).success).toBe(false);
    expect(VoiceManifest.safeParse(voiceJson({ engine: 'espeak-ng' })).success).toBe(false);
  });
});

describe('planAndEncodeText', () => {
  it('a phoneme voice encodes espeak-ng IPA with its own symbols; ids decode back to the IPA', async () => {
    const { run, runs } = countingRunner();
    const chunks = await planAndEncodeText('Printing, in the only sense. Dr. Smith paid $5!', ipaVoice, { espeak: run });
    expect(chunks.map((c) => c.cleaned)).toEqual(['pɹˈɪntɪŋ, ɪnðɪ ˈoʊnli sˈɛns.', 'dˈɑːktɚ smˈɪθ pˈeɪd fˈaɪv dˈɑːlɚz!']);
    const table = voiceSymbolTable(ipaVoice);
    for (const c of chunks) expect(sequenceToText(c.ids, table)).toBe(c.cleaned);
    expect(chunks[0]!.ids[0]).toBe(PHONEME_SYMBOL_TABLE.symbols.indexOf('p'));
    expect(chunks.map((c) => [c.sentence, c.index])).toEqual([[0, 0], [1, 1]]);
    expect(runs).toHaveLength(1); // all chunks of a request in one espeak run
  });

  it('long text is split as for a character voice, and the first clause still comes first', async () => {
    const text = 'When the sun rose over the quiet harbour, the fishermen, who had waited all night, pushed their boats into the water. Then they sang.';
    const ipa = await planAndEncodeText(text, ipaVoice, { firstChunkMaxChars: 60 });
    const chars = planAndEncode(text, charVoice, { firstChunkMaxChars: 60 });
    expect(ipa.map((c) => [c.start, c.end, c.pauseAfter])).toEqual(chars.map((c) => [c.start, c.end, c.pauseAfter]));
    expect(ipa.length).toBeGreaterThan(2);
  });

  it('a character voice never starts espeak and gives exactly planAndEncode', async () => {
    const never: EspeakIpaRunner = () => Promise.reject(new Error('espeak must not run for a character voice'));
    const text = 'Hello there. How are you, Mr. Smith?';
    expect(await planAndEncodeText(text, charVoice, { espeak: never })).toEqual(planAndEncode(text, charVoice));
    expect(() => planAndEncode(text, ipaVoice)).toThrow(/reads phonemes/);
  });

  it('a phoneme the voice lacks is a clear error naming it and the sentence', async () => {
    const noEth = VoiceManifest.parse(voiceJson({ engine: 'espeak-ng', voice: 'en-us' }, PHONEME_SYMBOL_TABLE.symbols.filter((s) => s !== 'ð')));
    await expect(planAndEncodeText('Fine. Then the end.', noEth)).rejects.toMatchObject({
      code: 'phoneme-unknown-symbol',
      message: /^sentence 2 \("Then the end\.".*"ð" \(U\+00F0\)/,
    });
  });

  it('an espeak-ng failure is a clear error', async () => {
    const bad = VoiceManifest.parse(voiceJson({ engine: 'espeak-ng', voice: 'xx-nope' }));
    await expect(planAndEncodeText('Hello.', bad)).rejects.toMatchObject({ code: 'espeak-failed', message: /xx-nope/ });
    await expect(planAndEncodeText('  ', ipaVoice)).rejects.toMatchObject({ code: 'empty-text' });
  });

  it('padId of the phoneme table is the pad', () => {
    expect(symbolIds(PHONEME_SYMBOL_TABLE)).toEqual({ padId: 0, eosId: null });
  });
});
