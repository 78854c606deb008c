import type { RunSample } from '../../../../shared/contract/training';
import { TrainerEvent } from '../../../../shared/contract/training';
import { applySampleEvent, runRelative, withSampleWav } from './validationSamples';

const run = '/home/me/runs/voice';
const validation = (step: number, stopped: boolean) =>
  TrainerEvent.parse({
    event: 'validation',
    model: 'tacotron2',
    step,
    loss: 2,
    plots: { alignment: `${run}/plots/alignment_${String(step).padStart(8, '0')}.png` },
    sample: { id: 'LJ001-0113', text: 'it is one thing.', mel: `${run}/samples/sample_${String(step).padStart(8, '0')}.npy`, frames: 312, stopped },
  });

describe('validation samples of the Train view', () => {
  it('adds samples newest first as validations arrive and sets the WAV when it is written', () => {
    let list: RunSample[] = [];
    list = applySampleEvent(list, validation(200, false));
    list = applySampleEvent(list, validation(400, true));
    expect(list.map((s) => [s.step, s.stopped, s.wav])).toEqual([
      [400, true, null],
      [200, false, null],
    ]);
    expect(list[1].alignment).toBe(`${run}/plots/alignment_00000200.png`);
    const audio = TrainerEvent.parse({ event: 'sample_audio', step: 200, sample: { ...validation(200, false).sample, wav: `${run}/samples/sample_00000200.wav` } });
    list = applySampleEvent(list, audio);
    expect(list.map((s) => [s.step, s.wav])).toEqual([
      [400, null],
      [200, `${run}/samples/sample_00000200.wav`],
    ]);
    expect(list[1].alignment).toBe(`${run}/plots/alignment_00000200.png`);
    // a resumed run validates step 200 again: the old WAV no longer matches its mel
    list = applySampleEvent(list, validation(200, true));
    expect(list.map((s) => [s.step, s.stopped, s.wav])).toEqual([
      [400, true, null],
      [200, true, null],
    ]);
    expect(withSampleWav(list, 400, 'w.wav')[0].wav).toBe('w.wav');
  });

  it('ignores events without a sample, and the contract drops a malformed sample but keeps the event', () => {
    const list: RunSample[] = [];
    expect(applySampleEvent(list, TrainerEvent.parse({ event: 'step', step: 3, loss: 1 }))).toBe(list);
    const torn = TrainerEvent.parse({ event: 'validation', step: 5, loss: 1.5, sample: { id: 'x', frames: 'many' } });
    expect(torn.loss).toBe(1.5);
    expect(torn.sample).toBeUndefined();
    expect(applySampleEvent(list, torn)).toBe(list);
  });

  it('finds the run-relative path the run media route serves', () => {
    expect(runRelative(`${run}/plots/alignment_00000200.png`)).toBe('plots/alignment_00000200.png');
    expect(runRelative('C:\\runs\\v\\samples\\sample_00000200.wav')).toBe('samples/sample_00000200.wav');
    expect(runRelative(`${run}/checkpoints/tacotron2_00000200.pt`)).toBeNull();
    expect(runRelative(null)).toBeNull();
  });
});
