import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

// A read-only dataset, the same for root (who writes anywhere, so chmod proves nothing) and for users:
// the atomic write fails the way a read-only mount makes it fail.
const failWrites = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('../atomicWrite', async (importOriginal) => {
  const real = await importOriginal<typeof import('../atomicWrite')>();
  return {
    ...real,
    writeFileAtomic: (...args: Parameters<typeof real.writeFileAtomic>) =>
      failWrites.code ? Promise.reject(Object.assign(new Error(`${failWrites.code}: cannot write`), { code: failWrites.code })) : real.writeFileAtomic(...args),
  };
});
import type { JobEvent, ServiceEvent } from '../../../shared/contract/rpc';
import { encodeWav } from '../../../shared/dsp/wav';
import { startTraining } from './operations';
import { ensurePhonemesCsv } from './phonemesCsv';
import { trainingTextFrontend } from './textFrontend';
import { findPython } from './pythonEnv';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'formant-phonemes-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dataset(name: string, lines: string[]): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'metadata.csv'), lines.join('\n') + '\n');
  return dir;
}

/** Sets a file's mtime `seconds` from now (mtime decides staleness). */
const touch = (file: string, seconds: number) => utimesSync(file, new Date(), new Date(Date.now() + seconds * 1000));

describe('ensurePhonemesCsv (before a phoneme-input training run)', () => {
  it('writes a missing file, keeps a current one, rewrites after metadata changed or when ids differ', async () => {
    const dir = dataset('ds', ['a|Hello there.', 'b|Good morning.']);
    const ph = path.join(dir, 'phonemes.csv');
    const meta = path.join(dir, 'metadata.csv');
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ file: ph, wrote: 'missing', lines: 2 });
    expect(readFileSync(ph, 'utf8')).toBe('a|həlˈoʊ ðˈɛɹ.\nb|ɡˈʊd mˈɔːɹnɪŋ.\n');

    // Current: a corrected, newer, complete file is left alone.
    writeFileSync(ph, 'a|hand made\nb|also\n');
    touch(ph, 10);
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ wrote: null, lines: 2 });
    expect(readFileSync(ph, 'utf8')).toBe('a|hand made\nb|also\n');

    // metadata.csv edited after phonemes.csv → rewritten with the new text.
    writeFileSync(meta, 'a|Hello there.\nb|Good night.\n');
    touch(meta, 20);
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ wrote: 'metadata-newer' });
    expect(readFileSync(ph, 'utf8')).toBe('a|həlˈoʊ ðˈɛɹ.\nb|ɡˈʊd nˈaɪt.\n');

    // An id added to metadata (phonemes.csv newer, as this module wrote it) → rewritten.
    writeFileSync(meta, 'a|Hello there.\nb|Good night.\nc|Yes.\n');
    touch(ph, 60);
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ wrote: 'metadata-changed', lines: 3 });
    expect(readFileSync(ph, 'utf8').split('\n')[2]).toBe('c|jˈɛs.');

    // A hand-edited file (no longer what phonemes.source.json recorded) missing an id → rewritten.
    writeFileSync(ph, 'a|hand made\nb|also\n');
    touch(ph, 90);
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ wrote: 'ids-differ', lines: 3 });
  }, 60_000);

  it('sees a transcript change that the mtimes hide, and a change of phonemizer voice', async () => {
    const dir = dataset('hidden', ['a|Good morning.', 'b|Yes.']);
    const ph = path.join(dir, 'phonemes.csv');
    const meta = path.join(dir, 'metadata.csv');
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ wrote: 'missing' });
    const source = JSON.parse(readFileSync(path.join(dir, 'phonemes.source.json'), 'utf8'));
    expect(source).toMatchObject({ format: 'formant-phonemes-source', voice: 'en-us', phonemizer: expect.stringMatching(/^espeak-ng \d/) });
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ wrote: null, lines: 2 });

    // a transcript restored from a backup (or a checkout) with an mtime older than phonemes.csv
    writeFileSync(meta, 'a|Good night.\nb|Yes.\n');
    touch(meta, -3600);
    expect(await ensurePhonemesCsv(dir)).toMatchObject({ wrote: 'metadata-changed' });
    expect(readFileSync(ph, 'utf8')).toBe('a|ɡˈʊd nˈaɪt.\nb|jˈɛs.\n');

    const gb = await ensurePhonemesCsv(dir, { voice: 'en-gb' });
    expect(gb).toMatchObject({ wrote: 'phonemizer-changed' });
    expect(JSON.parse(readFileSync(path.join(dir, 'phonemes.source.json'), 'utf8')).voice).toBe('en-gb');
    expect(await ensurePhonemesCsv(dir, { voice: 'en-gb' })).toMatchObject({ wrote: null });
  }, 60_000);

  it('a read-only dataset folder is a clear error, and nothing is written', async () => {
    const dir = dataset('ro', ['a|Hello.']);
    for (const code of ['EROFS', 'EACCES']) {
      failWrites.code = code;
      try {
        await expect(ensurePhonemesCsv(dir)).rejects.toMatchObject({ code: 'dataset-read-only', message: expect.stringMatching(/read-only.*phonemes\.csv/) });
      } finally {
        failWrites.code = null;
      }
    }
    expect(() => statSync(path.join(dir, 'phonemes.csv'))).toThrow();
  }, 60_000);
});

describe('trainingTextFrontend', () => {
  it('overrides, else the run (resuming), else the config file; presets are characters', async () => {
    const run = path.join(tmp, 'run');
    mkdirSync(run, { recursive: true });
    const cfg = path.join(tmp, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ base: 'tiny', text_frontend: 'phonemes' }));
    expect(await trainingTextFrontend({ config: 'tiny', runDir: run })).toBe('characters');
    expect(await trainingTextFrontend({ config: cfg, runDir: run })).toBe('phonemes');
    expect(await trainingTextFrontend({ config: cfg, runDir: run, overrides: { text_frontend: 'characters' } })).toBe('characters');
    expect(await trainingTextFrontend({ config: 'default', runDir: run, overrides: { text_frontend: 'phonemes' } })).toBe('phonemes');
    writeFileSync(path.join(run, 'run.json'), JSON.stringify({ tacotron2: { text_frontend: 'phonemes' } }));
    expect(await trainingTextFrontend({ config: 'default', runDir: run, resume: true })).toBe('phonemes');
    expect(await trainingTextFrontend({ config: 'default', runDir: run, resume: false })).toBe('characters');
    // a run from before phoneme input (its run.json names no frontend) resumes as what it is: characters, whatever the config says
    writeFileSync(path.join(run, 'run.json'), JSON.stringify({ tacotron2: { hparams: { n_frames_per_step: 5 } } }));
    expect(await trainingTextFrontend({ config: cfg, runDir: run, resume: true })).toBe('characters');
  });
});

function hasTorch(): boolean {
  const py = findPython();
  return !!py && spawnSync(py.path, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

describe.skipIf(!hasTorch())('training with text_frontend=phonemes', () => {
  it('writes phonemes.csv before the trainer starts, which then trains on it', async () => {
    const dir = dataset('train', ['SYN-0|hello there.|hello there.', 'SYN-1|a cat sat.|a cat sat.']);
    mkdirSync(path.join(dir, 'wavs'));
    for (let i = 0; i < 2; i++) {
      const n = 22050 * 0.7;
      const x = new Float32Array(n + 4410);
      for (let k = 0; k < n; k++) x[2205 + k] = 0.3 * Math.sin((2 * Math.PI * (120 + 15 * i) * k) / 22050) * Math.sin((Math.PI * k) / n);
      writeFileSync(path.join(dir, 'wavs', `SYN-${i}.wav`), encodeWav(x, 22050));
    }
    const wavMtime = statSync(path.join(dir, 'wavs', 'SYN-0.wav')).mtimeMs;
    const events: ServiceEvent[] = [];
    const job = startTraining(
      { datasetDir: dir, runDir: path.join(tmp, 'train-run'), config: 'tiny', steps: 1, overrides: { text_frontend: 'phonemes', n_val: 0, validate_every: 1000 } },
      (e) => events.push(e),
    );
    const result = await job.done;
    expect(result.step).toBe(1);
    const items = events.flatMap((e) => (e.type === 'job' && (e as JobEvent).item ? [(e as JobEvent).item as { event?: string; message?: string }] : []));
    const ph = items.findIndex((i) => i.event === 'phonemes');
    expect(items[ph]?.message).toMatch(/writing .*phonemes\.csv with espeak-ng \(it was missing\)/);
    const wrote = items.findLastIndex((i) => i.event === 'phonemes');
    expect(wrote).toBeGreaterThan(ph);
    expect(items[wrote]?.message).toMatch(/wrote .*phonemes\.csv \(2 lines/);
    expect(wrote).toBeLessThan(items.findIndex((i) => i.event === 'start'));
    expect(readFileSync(path.join(dir, 'phonemes.csv'), 'utf8')).toBe('SYN-0|həlˈoʊ ðˈɛɹ.\nSYN-1|ɐ kˈæt sˈæt.\n');
    const run = JSON.parse(readFileSync(path.join(tmp, 'train-run', 'run.json'), 'utf8'));
    expect(run.tacotron2.text_frontend).toBe('phonemes');
    expect(statSync(path.join(dir, 'wavs', 'SYN-0.wav')).mtimeMs).toBe(wavMtime);
  }, 240_000);
});
