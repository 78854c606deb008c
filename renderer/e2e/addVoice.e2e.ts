import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { trainerPython } from '../../electron/services/synthesis/testing/tinyVoice';
import { canRunE2e, launchStudio, openNewProject, repoRoot, type Studio } from './harness';

/**
 * "Add a voice" from the Synthesize view in Chromium (web mode), as a person who downloaded NVIDIA's checkpoints:
 * files in NVIDIA's published layouts (resources/trainer/tests/nvidia_files.py, made without NVIDIA's code: a
 * Tacotron-2 state dict of NVIDIA's sizes, a small pickled glow.WaveGlow) copied into the data folder, a path outside
 * it refused in plain words, the voice built by a job, selected in the picker, synthesized with WaveGlow (the bar
 * moves per window) and auditioned Griffin-Lim against WaveGlow; voice.json on disk says where it came from.
 * Screenshots: test-output/screenshots/add-voice-dialog.png, add-voice-audition.png.
 */
const py = trainerPython();
const hasTrainerTests = existsSync(path.join(repoRoot, 'resources', 'trainer', 'tests', 'nvidia_files.py'));
const synthButton = (page: Page) => page.locator('.synth-actions').getByRole('button', { name: 'Synthesize', exact: true });

/** NVIDIA-layout files into `dir`: ~10 s (the Tacotron-2 has NVIDIA's 28 M parameters). */
function makeNvidiaFiles(dir: string): Promise<void> {
  const script = [
    'import sys; sys.path[:0] = ["tests", "."]',
    'from nvidia_files import save_nvidia_tacotron2, save_nvidia_waveglow',
    'from formant_trainer.hparams import load_hparams',
    'import torch',
    't2 = sys.argv[1] + "/tacotron2_statedict.pt"',
    'save_nvidia_tacotron2(t2, load_hparams("default"))',
    // untrained, its stop gate fires at random; closed, the decoder runs to its step limit (10 frames a symbol)
    'ck = torch.load(t2, weights_only=True); ck["state_dict"]["decoder.gate_layer.linear_layer.bias"].fill_(-20.0); torch.save(ck, t2)',
    'save_nvidia_waveglow(sys.argv[1] + "/waveglow_256channels_universal_v5.pt", legacy_format=True)',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const p = spawn(py!, ['-c', script, dir], { cwd: path.join(repoRoot, 'resources', 'trainer'), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += String(d)));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`nvidia_files.py failed (${code}): ${err.slice(-2000)}`))));
  });
}

describe.skipIf(!canRunE2e || !py || !hasTrainerTests)('Synthesize view: a voice from NVIDIA-layout checkpoints', () => {
  let studio: Studio;
  let checkpoints: string;

  beforeAll(async () => {
    studio = await launchStudio();
    checkpoints = path.join(studio.dataDir, 'checkpoints');
    await fs.mkdir(checkpoints, { recursive: true });
    await Promise.all([makeNvidiaFiles(checkpoints), openNewProject(studio, path.join(studio.tmp, 'projects', 'add-voice-e2e'), 'Add voice e2e', 'synthesize')]);
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
  });

  it('adds the voice through the dialog, selects it and speaks with WaveGlow', async () => {
    const { page } = studio;
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Voice"]') as HTMLSelectElement | null)?.value);
    // the voices that come with the app are not changed
    if ((await page.getByLabel('Voice', { exact: true }).locator('option:checked').textContent())?.includes('embedded'))
      expect(await page.getByRole('button', { name: 'Add a WaveGlow to this voice…' }).isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Add a voice…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a voice from checkpoints' });
    await dialog.getByText(`only inside its data folder ${studio.dataDir}`).waitFor();
    // a file outside the data folder: refused before anything runs, with what to do
    const outside = path.join(os.tmpdir(), 'Downloads', 'tacotron2_statedict.pt');
    await dialog.getByLabel('Tacotron-2 checkpoint').fill(outside);
    await dialog.getByLabel('Voice name').fill('LJ test');
    await dialog.getByRole('button', { name: 'Add voice' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').textContent()).toBe(
      `${outside} is outside the open projects and the data folder; in the browser, copy the checkpoint into the data folder (${studio.dataDir}) and give that path`,
    );

    const t0 = Date.now();
    await dialog.getByLabel('Tacotron-2 checkpoint').fill(path.join(checkpoints, 'tacotron2_statedict.pt'));
    await dialog.getByLabel('WaveGlow checkpoint (optional)').fill(path.join(checkpoints, 'waveglow_256channels_universal_v5.pt'));
    expect(await dialog.textContent()).toContain(path.join(studio.dataDir, 'voices', 'lj-test'));
    await studio.screenshot('add-voice-dialog');
    await dialog.getByRole('button', { name: 'Add voice' }).click();
    // a job in the dock, with Cancel, while the trainer exports the graphs
    const job = page.locator('.jobs-dock [data-job-kind="voice-from-checkpoints"]');
    await job.waitFor();
    expect(await job.getByRole('button', { name: 'Cancel' }).count()).toBe(1);
    await dialog.waitFor({ state: 'detached', timeout: 120_000 });
    const buildSeconds = (Date.now() - t0) / 1000;

    const voiceDir = path.join(studio.dataDir, 'voices', 'lj-test');
    // selected by the time the dialog closes
    expect(await page.getByLabel('Voice', { exact: true }).inputValue()).toBe(voiceDir);
    expect(await page.getByLabel('Voice', { exact: true }).locator('option:checked').textContent()).toBe('LJ test (user)');
    const manifest = JSON.parse(await fs.readFile(path.join(voiceDir, 'voice.json'), 'utf8'));
    expect(manifest.name).toBe('LJ test');
    expect(manifest.melPreset.name).toBe('nvidia');
    expect(manifest.waveglow).toMatchObject({ nGroup: 8 });
    expect(manifest.provenance.sources.map((s: { file: string; steps: number }) => [s.file, s.steps])).toEqual([
      ['tacotron2_statedict.pt', 12345],
      ['waveglow_256channels_universal_v5.pt', 580000],
    ]);

    // WaveGlow: the decoder runs to its step limit (a 220-frame mel for these 21 symbols + end), rendered in
    // windows of 128 frames; the view's bar shows each step the job reports.
    await page.getByLabel('Vocoder').selectOption('waveglow');
    await page.getByLabel('Text to synthesize').fill('The birch canoe slid.');
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __progress: string[] }).__progress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[aria-label="Synthesis progress"]');
        if (bar) seen.push(`${bar.getAttribute('aria-valuenow')} ${document.querySelector('.synth-progress')?.textContent ?? ''}`);
      }).observe(document.querySelector('.synth-view')!, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await synthButton(page).click();
    const row = page.locator('.synth-history-row').first();
    await row.waitFor({ timeout: 60_000 });
    expect(await row.locator('.synth-history-text').textContent()).toMatch(/LJ test · waveglow · seed 1 · [\d.]+ s/);
    const seen = await page.evaluate(() => (window as unknown as { __progress: string[] }).__progress);
    expect(seen.some((s) => /vocoding \d+%/.test(s))).toBe(true);
    expect(seen.some((s) => Number(s.split(' ')[0]) > 0 && Number(s.split(' ')[0]) < 100)).toBe(true);

    // Griffin-Lim against WaveGlow on the same mel
    await page.getByRole('button', { name: 'Audition A/B' }).click();
    await page.locator('.synth-audition').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: /B · WaveGlow computed in \d+ ms/ }).waitFor({ timeout: 30_000 });
    await studio.screenshot('add-voice-audition');
    expect(await page.locator('.synth-error').count()).toBe(0);
    expect(studio.errors).toEqual([]);
    expect(studio.apiRefusals.every((r) => r.includes('training.voiceFromCheckpoints'))).toBe(true);
    console.info(`addVoice.e2e: voice built in ${buildSeconds.toFixed(1)} s`);
  }, 240_000);

  it('says in plain words that a Tacotron-2 file is not a WaveGlow, and changes nothing', async () => {
    const { page } = studio;
    const voiceDir = path.join(studio.dataDir, 'voices', 'lj-test');
    const before = await fs.readFile(path.join(voiceDir, 'voice.json'), 'utf8');
    await page.getByRole('button', { name: 'Add a WaveGlow to this voice…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a WaveGlow to “LJ test”' });
    expect(await dialog.textContent()).toContain("this voice's mel preset (nvidia); it replaces the WaveGlow the voice has");
    await dialog.getByLabel('WaveGlow checkpoint').fill(path.join(checkpoints, 'tacotron2_statedict.pt'));
    await dialog.getByRole('button', { name: 'Add WaveGlow' }).click();
    await dialog.getByRole('alert').waitFor({ timeout: 60_000 });
    expect(await dialog.getByRole('alert').textContent()).toBe(
      `${path.join(checkpoints, 'tacotron2_statedict.pt')}: not a WaveGlow checkpoint. Is it the Tacotron-2? The WaveGlow file is NVIDIA's waveglow_256channels_universal_v5.pt.`,
    );
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    expect(await fs.readFile(path.join(voiceDir, 'voice.json'), 'utf8')).toBe(before);
    expect(studio.errors).toEqual([]);
  }, 120_000);
});
