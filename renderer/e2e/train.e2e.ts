import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { findPython } from '../../electron/services/training/pythonEnv';
import { writeSampleInfo } from '../../electron/services/training/sampleList';
import { sampleNpyPath } from '../../electron/services/training/samplePaths';
import { melSpectrogram } from '../../shared/dsp/mel';
import { MEL_PRESETS } from '../../shared/dsp/melPresets';
import { writeNpy } from '../../shared/dsp/npy';
import { canRunE2e, launchStudio, openNewProject, sharedDataDir, type Studio } from './harness';
import type { Locator } from 'playwright-core';

/**
 * The Train view in Chromium (web mode) on a run folder that lies outside the open project, as the
 * trainer leaves it (no Python needed): its losses, the newest alignment plot, and its validation
 * samples newest first — the unaligned one badged — played through Griffin-Lim on demand; the Text input
 * choice (Phonemes for a new run, the run's own, read-only, for a run that has checkpoints). Then, where the
 * trainer's Python is installed, a real run: the duration model chosen for a new run folder, a tiny run on real
 * speech (a copy of ../shared/data/lj-small, phonemes written by the service), its loss plot and loss parts
 * live, its validation sample played, and the finished run shown as FastPitch, read-only.
 * Screenshots: test-output/screenshots/train-samples.png, train-fastpitch.png.
 */
const ljSmall = path.join(sharedDataDir, 'lj-small');
const hasTorch = (() => {
  const py = findPython();
  return !!py && spawnSync(py.path, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
})();

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
    run = path.join(studio.dataDir, 'runs', 'voice-a'); // outside the project; web mode's training calls name no folder outside the data folder
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
    const seconds = await audioDuration(audio);
    expect(Math.abs(seconds - (frames * 256) / 22050)).toBeLessThan(0.05);
    const wav = await fs.readFile(path.join(run, 'samples', 'sample_00000400.wav'));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    await studio.screenshot('train-samples');
    expect(studio.errors).toEqual([]);
  }, 60_000);

  it.skipIf(!hasTorch || !existsSync(ljSmall))('trains the duration model chosen for a new run: live loss plot and parts, then its validation sample', async () => {
    const { page } = studio;
    const dataset = path.join(studio.dataDir, 'lj-small'); // a copy: the service writes phonemes.csv next to metadata.csv
    await fs.cp(ljSmall, dataset, { recursive: true });
    const run = path.join(studio.dataDir, 'runs', 'voice-fp');
    await page.getByLabel('Run folder').fill(run);
    // a new run folder: the model is a choice, the duration model by default
    const model = page.getByLabel('Model', { exact: true });
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Model"]') as HTMLSelectElement | null)?.disabled === false);
    expect(await model.inputValue()).toBe('fastpitch');
    expect(await model.locator('option:checked').textContent()).toBe('Duration model (FastPitch) — recommended on a CPU, learns from 30 min');
    await model.selectOption('tacotron2');
    expect(await page.locator('#train-model-hint').textContent()).toMatch(/GPU/);
    await model.selectOption('fastpitch');
    expect(await page.locator('#train-model-hint').textContent()).toMatch(/CPU/);
    await page.getByLabel('Dataset folder').fill(dataset);
    // the defaults are right for a CPU: the full-size duration model, fine-tuned from the demo voice
    expect(await page.getByLabel('Config').inputValue()).toBe('default');
    expect(await page.getByLabel('Warm start checkpoint').getAttribute('placeholder')).toBe('empty: the demo voice (fine-tuning)');
    await page.getByLabel('Config').selectOption('tiny');
    expect(await page.getByLabel('Warm start checkpoint').getAttribute('placeholder')).toBe('empty: from scratch');
    await page.getByLabel('Steps').fill('3');
    expect(await page.getByLabel('Text input').inputValue()).toBe('phonemes');
    // before Start: how much of the dataset the tiny config takes (lj-small: 22 of its 32 clips are over 6 s)
    const fit = page.getByLabel('Dataset use');
    await fit.waitFor();
    expect(await fit.textContent()).toMatch(/^Trains on 10 of 32 clips \(43 s of 3\.7 min\): 22 are longer than 6 s, the tiny config’s limit .*The default config takes clips up to 12 s\.$/);
    await page.getByLabel('Config').selectOption('default');
    await page.waitForFunction(() => document.querySelector('[aria-label="Dataset use"]')?.textContent?.startsWith('Trains on all 32 clips'));
    await page.getByLabel('Config').selectOption('tiny');
    await page.waitForFunction(() => document.querySelector('[aria-label="Dataset use"]')?.textContent?.startsWith('Trains on 10 of 32'));
    const start = page.getByRole('region', { name: 'Run' }).getByRole('button', { name: 'Start', exact: true });
    // enabled once the trainer's environment check (Python, torch) came back ok
    await page.waitForFunction(() => [...document.querySelectorAll('section[aria-label="Run"] button')].some((b) => b.textContent === 'Start' && !(b as HTMLButtonElement).disabled), undefined, { timeout: 60_000 });
    await start.click();

    // live: the loss parts of the duration model beside the total, and the curve
    const parts = page.locator('dl.train-parts');
    await parts.waitFor({ timeout: 120_000 });
    expect(await parts.locator('dt').allTextContents()).toEqual(['mel', 'duration', 'pitch', 'energy', 'align', 'bin']);
    await page.locator('.train-message', { hasText: 'finished' }).waitFor({ timeout: 180_000 });
    expect(await page.locator('.train-error').count()).toBe(0);
    expect(await page.locator('svg.train-loss path.train-line').getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+ L[\d.]+,[\d.]+ L[\d.]+,[\d.]+$/); // steps 1-3
    expect(await page.locator('.train-plots figcaption').first().textContent()).toMatch(/^Total loss .* · step 3: [\d.]+ · validation at 3: [\d.]+$/);
    // the service wrote the phonemes the duration model read
    expect((await fs.readFile(path.join(dataset, 'phonemes.csv'), 'utf8')).split('\n').filter(Boolean).length).toBe(32);

    // the finished run: FastPitch, read-only; its learned alignment; its checkpoint; its validation sample plays
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Model"]') as HTMLSelectElement | null)?.disabled === true);
    expect(await model.inputValue()).toBe('fastpitch');
    expect(await page.locator('#train-model-hint').textContent()).toMatch(/resuming continues it/);
    expect(await page.locator('.train-checkpoints li').allTextContents()).toEqual([expect.stringMatching(/^fastpitch step 3 · /)]);
    expect(await page.locator('.train-plots figcaption').nth(1).textContent()).toBe('Learned alignment (newest validation)');
    expect(await page.locator('.train-plots img[alt="learned alignment"]').evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).toBeGreaterThan(0);
    const row = page.locator('.train-sample[data-step="3"]');
    await row.waitFor();
    expect(await row.locator('.train-badge').count()).toBe(0); // a duration model always ends
    const audio = row.locator('audio');
    if (!(await audio.count())) await page.getByRole('button', { name: 'play validation sample at step 3' }).click();
    await audio.waitFor({ timeout: 30_000 });
    const seconds = await audioDuration(audio);
    expect(seconds).toBeGreaterThan(0);
    expect((await fs.readFile(path.join(run, 'samples', 'sample_00000003.wav'))).subarray(0, 4).toString()).toBe('RIFF');
    await studio.screenshot('train-fastpitch');
    expect(studio.errors).toEqual([]);
    // the project's default dataset folder (not exported yet) was measured too: quietly nothing, not a refusal
    expect(studio.apiRefusals.filter((r) => r.includes('datasetFit'))).toEqual([]);
  }, 300_000);
});

/** The duration of an <audio> element's source once its metadata has loaded (rejects on a load error). */
function audioDuration(audio: Locator): Promise<number> {
  return audio.evaluate(
    (a: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        if (a.readyState >= 1) return resolve(a.duration);
        a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
        a.addEventListener('error', () => reject(new Error(`audio error ${a.error?.code}`)), { once: true });
        a.load();
      }),
  );
}
