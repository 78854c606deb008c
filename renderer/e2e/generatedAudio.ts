import { encodeWav } from '../../shared/dsp/wav';

/**
 * Speech-like test recordings made here, so e2e tests run on any machine: a voiced source
 * (harmonics of a wandering f0) shaped into syllables (~4 per second) with pauses between
 * phrases. Not speech, but it has what import and QA look at: level, silences, duration.
 */
export function speechLike(seconds: number, sampleRate: number, seed: number): Float32Array {
  const n = Math.round(seconds * sampleRate);
  const out = new Float32Array(n);
  let phase = 0;
  let rng = seed >>> 0 || 1;
  const rand = () => ((rng = (rng * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const syllableRate = 3.5 + rand();
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const f0 = 110 + 25 * Math.sin(2 * Math.PI * 0.7 * t + seed) + 10 * Math.sin(2 * Math.PI * 3.1 * t);
    phase += (2 * Math.PI * f0) / sampleRate;
    let v = 0;
    for (let h = 1; h <= 12; h++) v += Math.sin(h * phase) / h ** 1.2;
    // Syllable envelope, and silence in the first/last 0.25 s and one pause in the middle.
    const syl = Math.max(0, Math.sin(Math.PI * syllableRate * t)) ** 0.6;
    const edge = t < 0.25 || t > seconds - 0.25 || Math.abs(t - seconds / 2) < 0.12 ? 0 : 1;
    out[i] = 0.22 * v * syl * edge + 0.0005 * (rand() - 0.5);
  }
  return out;
}

export interface TestRecording {
  name: string;
  bytes: Uint8Array;
  transcript: string;
}

/** Three recordings in the formats people actually drop: 44.1 kHz stereo 16-bit, 48 kHz 24-bit, 22.05 kHz float. */
export function testRecordings(): TestRecording[] {
  const a = speechLike(2.4, 44100, 1);
  const b = speechLike(3.1, 48000, 2);
  const c = speechLike(2.0, 22050, 3);
  return [
    { name: 'session/take-01.wav', bytes: encodeWav([a, a.map((x) => x * 0.9)], 44100), transcript: 'The quick brown fox jumps over the lazy dog.' },
    { name: 'session/take-02.wav', bytes: encodeWav(b, 48000, { bitsPerSample: 24 }), transcript: 'Printing, in the only sense with which we are concerned, is modern.' },
    { name: 'take-03.wav', bytes: encodeWav(c, 22050, { bitsPerSample: 32, float: true }), transcript: 'She sells sea shells by the sea shore.' },
  ];
}
