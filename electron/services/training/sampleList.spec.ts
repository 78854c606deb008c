import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeNpy } from '../../../shared/dsp/npy';
import { runSummary } from './runs';
import { writeSampleInfo } from './sampleList';
import { sampleNpyPath } from './samplePaths';

/** A run folder as the trainer leaves it, with validation samples at steps 100, 200 and 300. */
describe('run summary: validation samples', () => {
  let root: string;
  let run: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-samples-'));
    run = path.join(root, 'run');
    const ds = path.join(root, 'ds');
    await fs.mkdir(path.join(run, 'samples'), { recursive: true });
    await fs.mkdir(path.join(run, 'plots'));
    await fs.mkdir(ds);
    await fs.writeFile(path.join(ds, 'metadata.csv'), 'LJ001-0001|Printing, in the only sense|printing, in the only sense\nLJ001-0113|It is 1 thing.|It is one thing.\n');
    await fs.writeFile(path.join(run, 'run.json'), JSON.stringify({ dataset: ds, val_ids: ['LJ001-0113', 'LJ001-0001'], tacotron2: { hparams: { mel_preset: 'nvidia' } } }));
    const mel = (frames: number) => writeNpy(new Float32Array(80 * frames).fill(-6), [80, frames]);
    for (const [step, frames] of [[100, 12], [200, 20], [300, 31]]) await fs.writeFile(sampleNpyPath(run, step), mel(frames));
    // step 300: the trainer logged the sample in metrics.jsonl
    const lines = [
      { event: 'step', model: 'tacotron2', step: 300, loss: 1.5 },
      { event: 'validation', model: 'tacotron2', step: 300, loss: 1.9, sample: { id: 'LJ001-0113', text: 'it is one thing.', mel: sampleNpyPath(run, 300), frames: 31, stopped: true } },
    ];
    await fs.writeFile(path.join(run, 'metrics.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n{"event": "validation", "step": 4');
    // step 200: a training job of the app saw the event and kept its sidecar
    await writeSampleInfo(sampleNpyPath(run, 200), { id: 'LJ001-0113', text: 'it is one thing.', mel: 'ignored', frames: 20, stopped: false });
    await fs.writeFile(path.join(run, 'plots', 'alignment_00000200.png'), 'PNG');
    await fs.writeFile(path.join(run, 'samples', 'sample_00000200.wav'), Buffer.alloc(100));
    await fs.writeFile(path.join(run, 'samples', 'notes.npy'), 'not a sample');
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('lists samples newest first with id, text, frames, stop token, WAV and alignment plot', async () => {
    const { samples } = await runSummary(run);
    expect(samples.map((s) => s.step)).toEqual([300, 200, 100]);
    expect(samples[0]).toEqual({ step: 300, id: 'LJ001-0113', text: 'it is one thing.', mel: sampleNpyPath(run, 300), wav: null, frames: 31, stopped: true, alignment: null });
    expect(samples[1]).toEqual({
      step: 200,
      id: 'LJ001-0113',
      text: 'it is one thing.',
      mel: sampleNpyPath(run, 200),
      wav: path.join(run, 'samples', 'sample_00000200.wav'),
      frames: 20,
      stopped: false,
      alignment: path.join(run, 'plots', 'alignment_00000200.png'),
    });
    // nothing recorded: the run's first validation clip (the one the trainer samples), text from the dataset
    expect(samples[2]).toMatchObject({ step: 100, id: 'LJ001-0113', text: 'It is one thing.', frames: 12, stopped: null, wav: null });
  });

  it('drops a WAV older than its mel (the mel was re-saved: render again)', async () => {
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(path.join(run, 'samples', 'sample_00000200.wav'), old, old);
    const { samples } = await runSummary(run);
    expect(samples.find((s) => s.step === 200)?.wav).toBeNull();
  });

  it('is empty for a run without samples', async () => {
    await fs.rm(path.join(run, 'samples'), { recursive: true });
    expect((await runSummary(run)).samples).toEqual([]);
  });
});
