import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ClipRecord, Manifest } from '../../shared/contract/manifest';
import { canRunE2e, editorSettled, importedProject, launchStudio, openProject, type Studio } from './harness';

/**
 * Trimming with the mouse and the keyboard (issue 19 #2): a click on the speech (inside the trim region)
 * puts the cursor there, I and O trim at it (checked in formant.json), the cursor stays where it was after
 * the re-render, peak and SNR stay in the header, the readout never says "rec -0.00", the play button shows
 * that it plays, a reload opens the clip being edited, and Esc gives the keyboard focus back to its row.
 */
const PAD = 0.5;

async function clipOnDisk(dir: string, id: string): Promise<ClipRecord> {
  const m = JSON.parse(await fs.readFile(path.join(dir, 'formant.json'), 'utf8')) as Manifest;
  const c = m.clips.find((x) => x.id === id);
  if (!c) throw new Error(`clip ${id} is not in the manifest`);
  return c;
}

async function cursor(page: Page): Promise<{ t: number; text: string }> {
  const text = (await page.getByTestId('cursor-time').textContent()) ?? '';
  return { t: Number(text.split(' ')[0]), text };
}

/** Clicks the waveform at `fraction` of its width (the trim region covers the speech there); the readout, drawn each frame, settles. */
async function clickWave(page: Page, fraction: number) {
  const box = (await page.getByTestId('waveform').boundingBox())!;
  const before = await cursor(page);
  await page.mouse.click(box.x + fraction * box.width, box.y + 70);
  await page.waitForFunction((old) => document.querySelector('[data-testid="cursor-time"]')?.textContent !== old, before.text, { timeout: 2_000 }).catch(() => undefined);
}

describe.skipIf(!canRunE2e)('clip editor: click on the speech, then I / O', () => {
  let studio: Studio;
  let projectDir: string;

  beforeAll(async () => {
    studio = await launchStudio();
    projectDir = await importedProject(studio, 'click-e2e', [0, 1].map((i) => ({ name: `take-${i + 1}`, seconds: 4 + i, seed: i + 7, text: 'The lamp was lit at dusk, and ships passed safely through the night.' })));
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('places the cursor where the speech is clicked, trims there, keeps cursor, levels and clip across a reload', async () => {
    const { page } = studio;
    await openProject(page, projectDir);
    const m = JSON.parse(await fs.readFile(path.join(projectDir, 'formant.json'), 'utf8')) as Manifest;
    const clip = [...m.clips].sort((a, b) => b.durationSeconds - a.durationSeconds)[0]; // not the first row: the reload must not fall back to it
    await page.locator(`.clip-row[data-clip-id="${clip.id}"]`).dblclick();
    await editorSettled(page, clip.id);
    expect(await page.locator('.ce-stats').textContent()).toMatch(/peak -?[\d.]+ dBFS.*SNR \d+ dB/);

    // 1. A click 40 % along (inside the trim region, well after its start) puts the cursor there.
    await clickWave(page, 0.4);
    const at = await cursor(page);
    expect(at.t).toBeCloseTo(0.4 * clip.durationSeconds, 1);
    expect(at.t - PAD).toBeGreaterThan(0.3); // not the trim start
    await page.keyboard.press('i');
    await expect.poll(async () => (await clipOnDisk(projectDir, clip.id)).sourceStart, { timeout: 15_000 }).toBeCloseTo(clip.sourceStart + at.t - PAD, 2);
    await editorSettled(page, clip.id);
    // the cursor stays at the cut (now the start of the speech, just after the pad), not at 0
    await expect.poll(async () => (await cursor(page)).t, { timeout: 5_000 }).toBeCloseTo(PAD, 1);
    expect(await page.locator('.ce-stats').textContent()).toMatch(/peak -?[\d.]+ dBFS.*SNR \d+ dB/);

    // 2. A click 70 % along the re-rendered clip, then O.
    const afterIn = await clipOnDisk(projectDir, clip.id);
    await clickWave(page, 0.7);
    const out = await cursor(page);
    expect(out.t).toBeCloseTo(0.7 * afterIn.durationSeconds, 1);
    await page.keyboard.press('o');
    await expect.poll(async () => (await clipOnDisk(projectDir, clip.id)).sourceEnd, { timeout: 15_000 }).toBeCloseTo(afterIn.sourceStart + out.t - PAD, 2);
    await editorSettled(page, clip.id);
    const trimmed = await clipOnDisk(projectDir, clip.id);
    expect(trimmed.qa?.peakDbfs).toBeLessThan(0);
    expect(await page.locator('.ce-stats').textContent()).toMatch(/peak -?[\d.]+ dBFS/);

    // 3. The readout at the very start: recording time never negative.
    await clickWave(page, 0.001);
    expect((await cursor(page)).text).not.toMatch(/-0\.00/);

    // 4. The play button says whether it plays.
    const play = page.getByTestId('play');
    expect(await play.getAttribute('aria-pressed')).toBe('false');
    await play.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="play"]')?.getAttribute('aria-pressed') === 'true');
    expect(await play.textContent()).toMatch(/Pause/);
    await play.click();
    await page.waitForFunction(() => document.querySelector('[data-testid="play"]')?.getAttribute('aria-pressed') === 'false');
    expect(await play.textContent()).toMatch(/Play/);

    // 5. A reload opens the clip being edited.
    expect(page.url()).toContain(`#/editor/${clip.id}`);
    await page.reload();
    await editorSettled(page, clip.id);

    // 6. Esc: back to the table with the keyboard focus on the edited clip's row; Enter opens it again.
    await page.getByTestId('clip-editor').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('dataset-view').waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('clip-table-body');
    expect(await page.getByTestId('clip-table-body').getAttribute('aria-activedescendant')).toBe(`clip-row-${clip.id}`);
    await page.keyboard.press('Enter');
    await editorSettled(page, clip.id);
    expect(studio.errors).toEqual([]);
  }, 90_000);
});
