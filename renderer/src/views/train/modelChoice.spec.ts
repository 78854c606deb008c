import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL, MODEL_OPTIONS, modelChoiceOf, modelChoiceState } from './modelChoice';
import { textInputOf } from './textInput';
import { useTrainStore } from './trainStore';
import { ckpt, stubBridge, type BridgeCall } from './trainTesting';

describe('Model choice (pure)', () => {
  it('a new run defaults to the duration model, and says which model suits a CPU', () => {
    expect(DEFAULT_MODEL).toBe('fastpitch');
    expect(MODEL_OPTIONS.map((o) => o.label)).toEqual(['Duration model (FastPitch) — recommended on a CPU, learns from 30 min', 'Tacotron-2 (the seed’s model, GPU)']);
    expect(modelChoiceState('fastpitch', { model: null, hasCheckpoints: false })).toMatchObject({ value: 'fastpitch', locked: false, hint: expect.stringMatching(/CPU/) });
    expect(modelChoiceState('tacotron2', { model: 'fastpitch', hasCheckpoints: false })).toMatchObject({ value: 'tacotron2', locked: false, hint: expect.stringMatching(/GPU/) });
  });

  it("a run folder with checkpoints shows the run's own model, read-only", () => {
    expect(modelChoiceOf({ model: 'tacotron2', runModel: 'fastpitch', checkpoints: [ckpt('fastpitch')] })).toMatchObject({ value: 'fastpitch', locked: true, hint: expect.stringMatching(/resuming continues it/) });
    expect(modelChoiceOf({ model: 'fastpitch', runModel: 'tacotron2', checkpoints: [ckpt('tacotron2')] })).toMatchObject({ value: 'tacotron2', locked: true });
    expect(modelChoiceOf({ model: 'fastpitch', runModel: 'waveglow', checkpoints: [ckpt('waveglow')] })).toMatchObject({ value: 'waveglow', locked: true });
    // a FastPitch run's text input is its own too
    expect(textInputOf({ textFrontend: 'characters', runTextFrontend: 'phonemes', checkpoints: [ckpt('fastpitch')] })).toMatchObject({ value: 'phonemes', locked: true });
  });
});

describe('trainStore sends the model to the service', () => {
  const calls: BridgeCall[] = [];
  const summary = { runDir: '/r', dataset: '/d', checkpoints: [ckpt('fastpitch')], train: [], validation: [], plots: { alignment: null, mel: null, loss: null }, alignment: [], samples: [], textFrontend: 'phonemes', model: 'fastpitch', acousticModels: ['fastpitch'] };
  beforeEach(() => {
    stubBridge({ 'training.start': { jobId: 'j1' }, 'training.resume': { jobId: 'j2' }, 'training.exportVoice': { jobId: 'j3' }, 'training.summary': summary }, calls);
    useTrainStore.setState({ jobId: null, exportJobId: null, datasetDir: '/d', runDir: '/r', checkpoints: [], runModel: null, runTextFrontend: null, model: 'fastpitch', textFrontend: 'phonemes' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('Start of a new run sends the chosen model (the duration model unless Tacotron-2 is picked)', async () => {
    await useTrainStore.getState().start(false);
    expect(calls.at(-1)).toMatchObject({ method: 'training.start', input: { runDir: '/r', model: 'fastpitch', textFrontend: 'phonemes' } });
    useTrainStore.setState({ jobId: null, model: 'tacotron2' });
    await useTrainStore.getState().start(false);
    expect(calls.at(-1)?.input.model).toBe('tacotron2');
  });

  it('a loaded FastPitch run resumes and exports as FastPitch', async () => {
    await useTrainStore.getState().refresh();
    expect(useTrainStore.getState().runModel).toBe('fastpitch');
    useTrainStore.setState({ model: 'tacotron2' }); // a leftover choice for new runs does not leak into the run
    await useTrainStore.getState().start(true);
    expect(calls.at(-1)).toMatchObject({ method: 'training.resume', input: { runDir: '/r', model: 'fastpitch' } });
    await useTrainStore.getState().exportVoice('/p/voices/r');
    expect(calls.at(-1)).toMatchObject({ method: 'training.exportVoice', input: { runDir: '/r', outDir: '/p/voices/r', acoustic: 'fastpitch' } });
  });
});
