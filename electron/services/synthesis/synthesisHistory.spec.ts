import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeWav } from '../../../shared/dsp/wav';
import { keepSynthesis, listHistory } from './synthesisHistory';

const wav = (seconds: number) => encodeWav(new Float32Array(Math.round(seconds * 22050)).map((_, i) => 0.1 * Math.sin(i / 10)), 22050);
const entry = (id: string, createdAt: number) => ({ id, text: `text ${id}`, voice: 'demo', vocoder: 'griffin-lim' as const, seed: 1, createdAt, durationSeconds: 0.5, sentences: 1, unfixed: 0, notes: [], rtf: 0.1 });

describe('synthesis history kept with the project', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-synth-history-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps WAV and entry, newest first, across a fresh read; caps the list and removes the dropped WAVs', async () => {
    expect(await listHistory(dir)).toEqual([]);
    await keepSynthesis(dir, entry('a', 1), wav(0.5), 2);
    await Promise.all([keepSynthesis(dir, entry('b', 2), wav(0.5), 2), keepSynthesis(dir, entry('c', 3), wav(0.5), 2)]);
    const list = await listHistory(dir);
    expect(list.map((e) => e.id)).toEqual(['c', 'b']);
    expect(list[0].wav).toBe('synthesis/c.wav');
    expect((await fs.readFile(path.join(dir, 'synthesis', 'c.wav'))).subarray(0, 4).toString()).toBe('RIFF');
    await expect(fs.access(path.join(dir, 'synthesis', 'a.wav'))).rejects.toThrow();
    // no temp files left behind by the atomic writes
    expect((await fs.readdir(path.join(dir, 'synthesis'))).sort()).toEqual(['b.wav', 'c.wav', 'index.json']);
  });

  it('leaves out an entry whose WAV was deleted, refuses a non-WAV, says which file is broken', async () => {
    await keepSynthesis(dir, entry('a', 1), wav(0.2));
    await keepSynthesis(dir, entry('b', 2), wav(0.2));
    await fs.rm(path.join(dir, 'synthesis', 'a.wav'));
    expect((await listHistory(dir)).map((e) => e.id)).toEqual(['b']);
    await expect(keepSynthesis(dir, entry('x', 3), new Uint8Array([1, 2, 3]))).rejects.toThrow();
    expect((await listHistory(dir)).map((e) => e.id)).toEqual(['b']);
    await fs.writeFile(path.join(dir, 'synthesis', 'index.json'), '{ broken');
    await expect(listHistory(dir)).rejects.toThrow(/index\.json is not valid JSON/);
  });
});
