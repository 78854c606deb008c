import { describe, expect, it } from 'vitest';
import { TrainInput } from '../../../shared/contract/training';
import { trainArgs } from './trainerProcess';

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
