import { promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { writeSampleInfo } from '../../electron/services/training/sampleList';
import { sampleNpyPath } from '../../electron/services/training/samplePaths';
import { melSpectrogram } from '../../shared/dsp/mel';
import { MEL_PRESETS } from '../../shared/dsp/melPresets';
import { writeNpy } from '../../shared/dsp/npy';
import { canRunE2e, launchStudio, openNewProject, type Studio } from './harness';

/**
 * The Train view in Chromium (web mode) on a run folder that lies outside the open project, as the
 * trainer leaves it (no Python needed): its losses, the newest alignment plot, and its validation
 * samples newest first — the unaligned one badged — played through Griffin-Lim on demand; the Text input
 * choice (Phonemes for a new run, the run's own, read-only, for a run that has checkpoints).
 * Screenshot: test-output/screenshots/train-samples.png.
 */

/** A real PNG (gradient), so the page can decode it. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body) >>> 0);
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 128], y * (width * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

async function fixtureRun(run: string): Promise<number> {
  await fs.mkdir(path.join(run, 'samples'), { recursive: true });
  await fs.mkdir(path.join(run, 'plots'));
  await fs.mkdir(path.join(run, 'checkpoints'));
  await fs.writeFile(path.join(run, 'checkpoints', 'tacotron2_00000400.pt'), 'not a real checkpoint: only listed');
  await fs.writeFile(path.join(run, 'run.json'), JSON.stringify({ val_ids: ['LJ001-0113'], tacotron2: { text_frontend: 'characters', hparams: { mel_preset: 'nvidia', text_frontend: 'characters' } } }));
  const metrics = [1, 100, 200, 300, 400].map((step) => ({ event: 'step', model: 'tacotron2', step, loss: 10 / Math.sqrt(step) }));
  metrics.push({ event: 'validation', model: 'tacotron2', step: 200, loss: 1.2 }, { event: 'validation', model: 'tacotron2', step: 400, loss: 0.9 });
  await fs.writeFile(path.join(run, 'metrics.jsonl'), metrics.map((m) => JSON.stringify(m)).join('\n') + '\n');
  await fs.writeFile(path.join(run, 'plots', 'alignment_00000400.png'), png(64, 40));
  const rate = 22050;
  const x = new Float32Array(rate * 0.8).map((_, i) => 0.3 * Math.sin((2 * Math.PI * (150 + 80 * (i / (rate * 0.8))) * i) / rate));
  const mel = melSpectrogram(x, MEL_PRESETS.nvidia);
  for (const [step, stopped] of [[200, false], [400, true]] as const) {
    const npy = sampleNpyPath(run, step);
    await fs.writeFile(npy, writeNpy(mel.data, [mel.nMels, mel.frames]));
    await writeSampleInfo(npy, { id: 'LJ001-0113', text: 'it is one thing.', mel: npy, frames: mel.frames, stopped });
  }
  return mel.frames;
}

describe.skipIf(!canRunE2e)('Train view in the browser', () => {
  let studio: Studio;
  let run: string;
  let frames: number;

  beforeAll(async () => {
    studio = await launchStudio();
    run = path.join(studio.tmp, 'elsewhere', 'runs', 'voice-a');
    frames = await fixtureRun(run);
    const projectDir = path.join(studio.tmp, 'projects', 'train-e2e');
    await openNewProject(studio, projectDir, 'Train e2e', 'train');
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows a run outside the project: plots, and its validation samples newest first, played with Griffin-Lim', async () => {
    const { page } = studio;
    // a new run (the project's default run folder does not exist yet): Phonemes by default, a choice
    const textInput = page.getByLabel('Text input');
    expect(await textInput.inputValue()).toBe('phonemes');
    expect(await textInput.isEnabled()).toBe(true);
    await page.getByLabel('Run folder').fill(run);
    const rows = page.locator('.train-sample');
    await rows.nth(1).waitFor();
    // an existing run (it has a Tacotron-2 checkpoint): its own text input from run.json, read-only
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Text input"]') as HTMLSelectElement | null)?.disabled === true);
    expect(await textInput.inputValue()).toBe('characters');
    expect(await page.locator('#train-text-input-hint').textContent()).toMatch(/resuming keeps it/);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual(['400', '200']);
    expect(await rows.nth(0).locator('.train-badge').count()).toBe(0);
    expect(await rows.nth(1).locator('.train-badge').textContent()).toBe('no stop token (not aligned yet)');
    expect(await rows.nth(0).locator('.train-sample-text').textContent()).toBe('it is one thing.');

    // the loss plot reads without hovering: labelled axes (steps; losses 1-2-5 on the log scale) and the latest values
    const ticks = await page.locator('svg.train-loss .train-tick text').allTextContents();
    expect(ticks).toEqual(['0.5', '1', '2', '5', '10', '100', '200', '300', '400']);
    expect(await page.locator('.train-plots figcaption').first().textContent()).toMatch(/step 400: 0\.500 · validation at 400: 0\.900/);

    // the newest alignment (top figure) and the sample's own, both served from outside the project
    const decoded = (sel: string) => page.locator(sel).evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth));
    expect(await decoded('.train-plots img[alt="attention alignment"]')).toBe(64);
    expect(await decoded('.train-sample[data-step="400"] img')).toBe(64);
    expect(await rows.nth(1).locator('img').count()).toBe(0);

    await page.getByRole('button', { name: 'play validation sample at step 400' }).click();
    const audio = rows.nth(0).locator('audio');
    await audio.waitFor({ timeout: 30_000 });
    const seconds = await audio.evaluate(
      (a: HTMLAudioElement) =>
        new Promise<number>((resolve, reject) => {
          if (a.readyState >= 1) return resolve(a.duration);
          a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
          a.addEventListener('error', () => reject(new Error(`audio error ${a.error?.code}`)), { once: true });
          a.load();
        }),
    );
    expect(Math.abs(seconds - (frames * 256) / 22050)).toBeLessThan(0.05);
    const wav = await fs.readFile(path.join(run, 'samples', 'sample_00000400.wav'));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    await studio.screenshot('train-samples');
    expect(studio.errors).toEqual([]);
  }, 60_000);
});
