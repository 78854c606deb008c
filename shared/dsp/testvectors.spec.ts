import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { melSpectrogram } from './mel';
import { MEL_PRESETS } from './melPresets';
import { readNpy } from './npy';
import { decodeWav } from './wav';

// The stored vectors were computed by testvectors/reference_mel.py (NumPy, float64, written from
// librosa's and the Tacotron-2 codebases' formulas, not from this code). The TS mel must match
// them; so must the trainer's Python mel (within 1e-4).
const dir = path.join(__dirname, 'testvectors');

describe('mel test vectors (independent NumPy reference)', () => {
  for (const fixture of ['chirp_noise', 'espeak_utterance']) {
    for (const preset of ['nvidia', 'seed'] as const) {
      it(`${fixture} · ${preset}: TS mel = reference within 1e-5`, () => {
        const wav = decodeWav(readFileSync(path.join(dir, `${fixture}.wav`)));
        expect(wav).toMatchObject({ sampleRate: 22050, bitsPerSample: 16 });
        const want = readNpy(readFileSync(path.join(dir, `${fixture}.${preset}.npy`)));
        const got = melSpectrogram(wav.channels[0], MEL_PRESETS[preset]);
        expect([got.nMels, got.frames]).toEqual(want.shape);
        let maxErr = 0;
        for (let i = 0; i < got.data.length; i++) maxErr = Math.max(maxErr, Math.abs(got.data[i] - want.data[i]));
        expect(maxErr).toBeLessThan(1e-5); // measured: 0 after float32 rounding
        // and the fixture is not trivial: values span the range the preset produces
        const lo = Math.min(...want.data), hi = Math.max(...want.data);
        expect(hi - lo).toBeGreaterThan(preset === 'nvidia' ? 8 : 5);
      });
    }
  }
});
