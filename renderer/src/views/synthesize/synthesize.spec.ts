import { describe, expect, it } from 'vitest';
import { alignmentPixels, melMatrixPixels } from './plots';
import { base64ToBytes, exportFileName, nextStart } from './audio';
import { historyEntry, pushHistory, type HistoryEntry } from './history';

describe('plots', () => {
  it('draws the alignment with decoder steps on x and the first symbol at the bottom', () => {
    // 3 steps × 2 symbols: step 0 on symbol 0, steps 1–2 on symbol 1.
    const px = alignmentPixels({ rows: 3, cols: 2, data: [1, 0, 0, 1, 0, 1] });
    expect([px.width, px.height]).toEqual([3, 2]);
    const bright = (x: number, y: number) => px.rgba[(y * px.width + x) * 4 + 1]; // green channel of magma rises with value
    expect(bright(0, 1)).toBeGreaterThan(bright(0, 0)); // step 0: bottom row (symbol 0) bright
    expect(bright(2, 0)).toBeGreaterThan(bright(2, 1)); // step 2: top row (symbol 1) bright
    expect(() => alignmentPixels({ rows: 2, cols: 2, data: [1] })).toThrow(/expected 2×2/);
    // A diffuse alignment is scaled to its own maximum.
    const diffuse = alignmentPixels({ rows: 1, cols: 2, data: [0.05, 0.02] });
    expect(diffuse.hi).toBe(0.05);
    expect(diffuse.rgba[1 * 4 + 1]).toBe(px.rgba[(1 * px.width + 0) * 4 + 1]); // weight 0.05 drawn like weight 1 above
  });

  it('draws a mel with low bands at the bottom', () => {
    const px = melMatrixPixels({ rows: 2, cols: 1, data: [-10, 0] });
    expect([px.width, px.height]).toEqual([1, 2]);
    expect(px.rgba[0 * 4 + 1]).toBeGreaterThan(px.rgba[1 * 4 + 1]); // top pixel = band 1 (louder)
  });
});

describe('audio helpers', () => {
  it('decodes base64', () => {
    expect([...base64ToBytes(btoa('RIFF'))]).toEqual([82, 73, 70, 70]);
  });
  it('names exports after the text', () => {
    expect(exportFileName('Hello, world! How are you today, my friend?', new Date('2026-11-25T10:20:30Z'))).toBe('hello-world-how-are-you-today-20261125102030.wav');
    expect(exportFileName('…', new Date('2026-11-25T10:20:30Z'))).toBe('speech-20261125102030.wav');
  });
  it('schedules streamed pieces gaplessly, never in the past', () => {
    expect(nextStart(2.5, 1.0)).toBe(2.5);
    expect(nextStart(0.5, 1.0)).toBeCloseTo(1.05, 6);
  });
});

describe('history', () => {
  const entry = (id: string): HistoryEntry => ({ id, text: id, voice: 'v', vocoder: 'griffin-lim', seed: 1, createdAt: 0, wavBase64: 'x', durationSeconds: 1, sentences: 1, unfixed: 0, notes: [], rtf: 0.1 });
  it('keeps the newest first and caps the list', () => {
    let list: HistoryEntry[] = [];
    for (let i = 0; i < 25; i++) list = pushHistory(list, entry(String(i)));
    expect(list.length).toBe(20);
    expect(list[0].id).toBe('24');
    expect(pushHistory(list, entry('24')).length).toBe(20);
  });
  it('builds an entry from a job result and counts unfixed sentences', () => {
    const s = { index: 0, count: 2, text: 'a', start: 0, end: 1, sentence: 0, pauseSeconds: 0, seconds: 1, ok: false, issues: ['runaway' as const], notes: [], attempts: 2, metrics: { steps: 1, symbols: 1, monotonicity: 1, maxBackwardJump: 0, coverage: 1, furthestPeak: 0, meanFocus: 1, stepsPerSymbol: 1 } };
    const result = { outPath: null, wavBase64: 'UklGRg==', sampleRate: 22050, durationSeconds: 2, sentences: [s, { ...s, ok: true, issues: [] }], notes: [], provider: 'cpu', timings: { firstAudioMs: 1, totalMs: 2, audioSeconds: 2, rtf: 0.5 } };
    const e = historyEntry('j', { text: 't', voice: 'v', vocoder: 'waveglow', seed: 3 }, result, 5)!;
    expect(e).toMatchObject({ id: 'j', unfixed: 1, sentences: 2, vocoder: 'waveglow', createdAt: 5, rtf: 0.5 });
    expect(historyEntry('j', { text: 't', voice: 'v', vocoder: 'waveglow', seed: 3 }, { ...result, wavBase64: null })).toBeNull();
  });
});
