import { describe, expect, it } from 'vitest';
import { PHONEME_SYMBOL_TABLE } from '../../../shared/text/phonemize';
import { runSynthesis } from './operations';
import { tinyVoice } from './testing/tinyVoice';
import { loadVoiceBundle } from './voiceBundle';
import { SynthesisWorker } from './workerClient';

// End to end on the trainer's tiny PHONEME voice (`make-tiny-voice --phonemes`: untrained, real graphs,
// voice.json text.phonemizer + the phoneme table): text → espeak-ng IPA → ids → audio.
const tiny = tinyVoice({ phonemes: true });
const d = tiny.skip ? describe.skip : describe;
if (tiny.skip) console.warn(`phonemeVoice.spec: skipped: ${tiny.skip}`);

d('synthesis with a phoneme voice (tiny, untrained)', () => {
  it('the exported bundle declares the phonemizer and the phoneme table', async () => {
    const m = (await loadVoiceBundle(tiny.dir!)).manifest;
    expect(m.text.phonemizer).toEqual({ engine: 'espeak-ng', voice: 'en-us' });
    expect(m.text.symbols).toEqual(PHONEME_SYMBOL_TABLE.symbols);
  });

  it('reads the text as phonemes, sentence by sentence, and gives audio', async () => {
    const res = await runSynthesis({ text: 'Hello there. Dr. Smith paid $5!', voiceDir: tiny.dir!, seed: 3, griffinLimIterations: 4, maxDecoderStepsPerSymbol: 2 }, () => undefined);
    expect(res.sentences.map((s) => s.cleaned)).toEqual(['həlˈoʊ ðˈɛɹ.', 'dˈɑːktɚ smˈɪθ pˈeɪd fˈaɪv dˈɑːlɚz!']);
    expect(res.sentences.map((s) => s.symbols)).toEqual(res.sentences.map((s) => [...s.cleaned].length));
    expect(res.audio.length).toBeGreaterThan(0);
    expect(res.audio.every((v) => Number.isFinite(v) && Math.abs(v) <= 1)).toBe(true);
  }, 120_000);

  it('the app path (synthesis worker thread) phonemizes too', async () => {
    const worker = new SynthesisWorker();
    try {
      const cleaned: string[] = [];
      const res = await worker.synthesize(
        { text: 'One, two. Three!', voiceDir: tiny.dir!, seed: 1, maxDecoderStepsPerSymbol: 2, retry: false, griffinLimIterations: 4 },
        (e) => void cleaned.push(e.report.cleaned),
      );
      expect(cleaned).toEqual(['wˈʌn, tˈuː.', 'θɹˈiː!']);
      expect(res.audio.length).toBeGreaterThan(0);
    } finally {
      await worker.terminate();
    }
  }, 120_000);
});
