import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { copyVoice, tinyVoice } from '../../electron/services/synthesis/testing/tinyVoice';
import { canRunE2e, launchStudio, openNewProject, type Studio } from './harness';

/**
 * The Synthesize view's pace and pitch controls in Chromium (web mode): shown for a duration voice
 * (the trainer's tiny fastpitch voice, installed in the app's user voices folder) and hidden for a
 * Tacotron-2 voice (the tiny Tacotron-2 voice); pace 2 gives about half the audio of pace 1.
 */
const fp = tinyVoice({ model: 'fastpitch' });
const t2 = tinyVoice();
const synthButton = (page: Page) => page.locator('.synth-actions').getByRole('button', { name: 'Synthesize', exact: true });
const TEXT = 'The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background.';

describe.skipIf(!canRunE2e || fp.skip !== null || t2.skip !== null)('Synthesize view: pace and pitch for a duration voice', () => {
  let studio: Studio;
  let fpDir: string;
  let t2Dir: string;

  beforeAll(async () => {
    studio = await launchStudio();
    const voices = path.join(studio.dataDir, 'voices');
    await fs.mkdir(voices, { recursive: true });
    fpDir = await copyVoice(fp.dir!, path.join(voices, 'duration-voice'));
    t2Dir = await copyVoice(t2.dir!, path.join(voices, 'tacotron-voice'));
    await openNewProject(studio, path.join(studio.tmp, 'projects', 'pace-e2e'), 'Pace e2e', 'synthesize');
  });
  afterAll(async () => {
    await studio?.close();
  });

  /** Synthesizes TEXT and returns the seconds the new history row states. */
  async function synthesize(page: Page): Promise<number> {
    const before = await page.locator('.synth-history-row').count();
    await synthButton(page).click();
    await page.waitForFunction((n) => document.querySelectorAll('.synth-history-row').length > n, before, { timeout: 60_000 });
    await synthButton(page).waitFor();
    const text = await page.locator('.synth-history-row').first().locator('.synth-history-text').textContent();
    return Number(text!.match(/seed \d+ · ([\d.]+) s/)![1]);
  }

  it('shows pace and pitch only for the duration voice, and pace 2 halves the audio', async () => {
    const { page } = studio;
    const voice = page.getByLabel('Voice');
    await page.waitForFunction((dir) => [...document.querySelectorAll('select[aria-label="Voice"] option')].some((o) => (o as HTMLOptionElement).value === dir), fpDir);

    await voice.selectOption(t2Dir);
    expect(await page.getByLabel('Pace').count()).toBe(0);
    expect(await page.getByLabel('Pitch (semitones)').count()).toBe(0);

    await voice.selectOption(fpDir);
    await page.getByLabel('Pace').waitFor();
    expect(await page.getByLabel('Pace').inputValue()).toBe('1');
    expect(await page.getByLabel('Pitch (semitones)').inputValue()).toBe('0');
    expect(await page.getByLabel('Pace').getAttribute('max')).toBe('3');
    expect(await page.getByLabel('Pitch (semitones)').getAttribute('min')).toBe('-12');

    await page.getByLabel('Text to synthesize').fill(TEXT);
    const atPace1 = await synthesize(page);
    await page.getByLabel('Pace').fill('2');
    await page.getByLabel('Pitch (semitones)').fill('3');
    const atPace2 = await synthesize(page);
    expect(await page.locator('.synth-error').count()).toBe(0);
    expect(await page.locator('.synth-history-row').first().locator('.synth-history-text').textContent()).toMatch(/pace 2× · \+3 st/);
    expect(atPace2 / atPace1).toBeGreaterThan(0.35);
    expect(atPace2 / atPace1).toBeLessThan(0.65);
    // Out of range typing is held to the voice's range when the field is left; 0.5 can be typed through "0".
    await page.getByLabel('Pace').fill('9');
    await page.getByLabel('Pace').press('Tab');
    expect(await page.getByLabel('Pace').inputValue()).toBe('3');
    await page.getByLabel('Pace').fill('');
    await page.getByLabel('Pace').pressSequentially('0.5');
    await page.getByLabel('Pace').press('Tab');
    expect(await page.getByLabel('Pace').inputValue()).toBe('0.5');
    await studio.screenshot('synthesize-duration-voice');

    // Back to the Tacotron-2 voice: the controls go, and its synthesis is not refused for them.
    await voice.selectOption(t2Dir);
    expect(await page.getByLabel('Pace').count()).toBe(0);
    await page.getByLabel('Text to synthesize').fill('Hello there.');
    await synthesize(page);
    expect(await page.locator('.synth-error').count()).toBe(0);
    expect(studio.errors).toEqual([]);
  }, 180_000);
});
