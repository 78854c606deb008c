import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrainInput } from '../../../shared/contract/training';
import { runTrainer, trainArgs } from './trainerProcess';

describe('trainArgs', () => {
  it('maps a validated TrainInput onto the Python CLI, time budget and overrides included', () => {
    const input = TrainInput.parse({ datasetDir: '/d', runDir: '/r', config: 'tiny', steps: 50, overrides: { batch_size: 16, amp: false }, timeBudgetSeconds: 600 });
    expect(trainArgs(input)).toEqual([
      'train', '/d', '--out', '/r', '--model', 'tacotron2', '--config', 'tiny', '--steps', '50',
      '--set', 'batch_size=16', '--set', 'amp=false', '--time-budget', '600',
    ]);
  });

  it('resumes without a config (the run keeps its own) and refuses a non-positive budget at the boundary', () => {
    expect(trainArgs(TrainInput.parse({ datasetDir: '/d', runDir: '/r', resume: true }))).toEqual(['train', '/d', '--out', '/r', '--model', 'tacotron2', '--resume']);
    expect(TrainInput.safeParse({ datasetDir: '/d', runDir: '/r', timeBudgetSeconds: 0 }).success).toBe(false);
  });

  it('passes a WaveGlow run its teacher-forced mels', () => {
    expect(trainArgs(TrainInput.parse({ datasetDir: '/d', runDir: '/r', model: 'waveglow', gtaDir: '/g' }))).toEqual(
      ['train', '/d', '--out', '/r', '--model', 'waveglow', '--config', 'default', '--gta', '/g']);
  });

  it('trains the duration model with its own --model, phoneme input passing as the text_frontend override', () => {
    expect(trainArgs(TrainInput.parse({ datasetDir: '/d', runDir: '/r', model: 'fastpitch', config: 'tiny', steps: 3, overrides: { text_frontend: 'phonemes' } }))).toEqual(
      ['train', '/d', '--out', '/r', '--model', 'fastpitch', '--config', 'tiny', '--steps', '3', '--set', 'text_frontend="phonemes"']);
  });
});

describe('runTrainer reads the trainer line by line', () => {
  // A stand-in for `python -m formant_trainer`: an event split across two writes, CRLF, stderr, a non-ASCII
  // character split between writes, and a last event with no newline just before the process ends.
  it.skipIf(process.platform === 'win32')('however stdout is chunked, the last line included', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'formant-trainer-lines-'));
    try {
      const fake = path.join(dir, 'python');
      writeFileSync(
        fake,
        [
          '#!/bin/sh',
          `printf '{"event":"st'`,
          'sleep 0.1',
          `printf 'art","step":0,"steps":2,"model":"fastpitch"}\\r\\nnot an event\\n'`,
          `printf 'warning: caf\\303' >&2`,
          'sleep 0.1',
          `printf '\\251\\n' >&2`,
          `printf '{"event":"done","step":2,"checkpoint":"c.pt"}'`,
          '',
        ].join('\n'),
      );
      chmodSync(fake, 0o755);
      const stderr: string[] = [];
      const r = await runTrainer(['train'], { python: { path: fake, source: 'env' }, keepEvents: true, onStderr: (l) => stderr.push(l) });
      expect(r.events.map((e) => e.event)).toEqual(['start', 'done']);
      expect(r.events[0]).toMatchObject({ step: 0, steps: 2, model: 'fastpitch' });
      expect(r.last).toMatchObject({ event: 'done', step: 2, checkpoint: 'c.pt' });
      expect(stderr).toEqual(['warning: café']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
