import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TEXT_INPUT, startTextFrontend, textInputOf, textInputState } from './textInput';
import { useTrainStore } from './trainStore';
import { ckpt, stubBridge, type BridgeCall } from './trainTesting';

describe('Text input choice (pure)', () => {
  it('a new run defaults to phonemes and sends the choice', () => {
    expect(DEFAULT_TEXT_INPUT).toBe('phonemes');
    const st = textInputState('phonemes', { frontend: null, hasCheckpoints: false });
    expect(st).toMatchObject({ value: 'phonemes', locked: false });
    expect(st.hint).toMatch(/espeak-ng/);
    expect(startTextFrontend(st)).toBe('phonemes');
    expect(startTextFrontend(textInputState('characters', { frontend: 'phonemes', hasCheckpoints: false }))).toBe('characters');
  });

  it("a run folder with Tacotron-2 checkpoints shows the run's own, read-only, and sends none", () => {
    const st = textInputOf({ textFrontend: 'phonemes', runTextFrontend: 'characters', checkpoints: [ckpt('tacotron2')] });
    expect(st).toMatchObject({ value: 'characters', locked: true });
    expect(st.hint).toMatch(/resuming keeps it/);
    expect(startTextFrontend(st)).toBeUndefined();
    expect(textInputOf({ textFrontend: 'phonemes', runTextFrontend: null, checkpoints: [ckpt('tacotron2')] })).toMatchObject({ value: null, locked: true });
    // only a WaveGlow checkpoint: Tacotron-2 has not started, the choice is free
    expect(textInputOf({ textFrontend: 'characters', runTextFrontend: 'phonemes', checkpoints: [ckpt('waveglow')] })).toMatchObject({ value: 'characters', locked: false });
  });
});

describe('trainStore sends the text input to the service', () => {
  const calls: BridgeCall[] = [];
  const results: Record<string, unknown> = {
    'training.start': { jobId: 'j1' },
    'training.resume': { jobId: 'j2' },
    'training.summary': { runDir: '/r', dataset: '/d', checkpoints: [ckpt('tacotron2')], train: [], validation: [], plots: { alignment: null, mel: null, loss: null }, alignment: [], samples: [], textFrontend: 'characters' },
  };
  beforeEach(() => {
    stubBridge(results, calls);
    useTrainStore.setState({ jobId: null, datasetDir: '/d', runDir: '/r', checkpoints: [], runTextFrontend: null, textFrontend: 'phonemes' });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('Start of a new run passes the choice (phonemes by default, or characters)', async () => {
    await useTrainStore.getState().start(false);
    expect(calls.at(-1)).toMatchObject({ method: 'training.start', input: { datasetDir: '/d', runDir: '/r', textFrontend: 'phonemes' } });
    expect(useTrainStore.getState()).toMatchObject({ jobId: 'j1', error: null });
    useTrainStore.setState({ jobId: null, textFrontend: 'characters' });
    await useTrainStore.getState().start(false);
    expect(calls.at(-1)?.input.textFrontend).toBe('characters');
  });

  it("loading an existing run shows its own text input; resuming sends none", async () => {
    await useTrainStore.getState().refresh();
    expect(useTrainStore.getState().runTextFrontend).toBe('characters');
    expect(textInputOf(useTrainStore.getState())).toMatchObject({ value: 'characters', locked: true });
    await useTrainStore.getState().start(true);
    expect(calls.at(-1)?.method).toBe('training.resume');
    expect(calls.at(-1)?.input).not.toHaveProperty('textFrontend');
  });
});
