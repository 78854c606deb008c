import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baseVoiceCheckpoint } from './operations';

describe('a new duration-model run fine-tunes the embedded demo voice by default', () => {
  let dir: string;
  const saved = process.env.FORMANT_VOICES_DIR;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'formant-base-voice-'));
    process.env.FORMANT_VOICES_DIR = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.FORMANT_VOICES_DIR;
    else process.env.FORMANT_VOICES_DIR = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts from demo-training/fastpitch.pt for a new fastpitch run on the default config, and only then', () => {
    expect(baseVoiceCheckpoint({ model: 'fastpitch' })).toBeNull(); // not shipped: from scratch
    const ckpt = path.join(dir, 'demo-training', 'fastpitch.pt');
    mkdirSync(path.dirname(ckpt), { recursive: true });
    writeFileSync(ckpt, 'state');
    expect(baseVoiceCheckpoint({ model: 'fastpitch' })).toBe(ckpt);
    expect(baseVoiceCheckpoint({ model: 'fastpitch', config: 'default' })).toBe(ckpt);
    expect(baseVoiceCheckpoint({ model: 'fastpitch', config: 'tiny' })).toBeNull(); // other sizes: nothing would fit
    expect(baseVoiceCheckpoint({ model: 'fastpitch', resume: true })).toBeNull(); // a resumed run has its own weights
    expect(baseVoiceCheckpoint({ model: 'tacotron2' })).toBeNull();
  });
});
