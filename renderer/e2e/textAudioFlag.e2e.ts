import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../shared/dsp/wav';
import { importRecordings } from '../../electron/services/prepare/importRecordings';
import { utterance } from '../../electron/services/prepare/testSignals';
import { exportedProject, hasTorch, trainedReport } from '../../electron/services/prepare/testing/alignmentReportFixture';
import { canRunE2e, launchStudio, type Studio } from './harness';

/**
 * A clip whose text and audio disagree shows up in the Dataset view: a project exported as the app does, a
 * duration-model run in its runs/ folder whose (real, trainer-written) alignment report flags take3, and a clip
 * imported after the export (never measured). The flag is on take3 with its explanation, the filter shows it
 * alone, the sort puts it first, and it opens in the editor.
 */
describe.skipIf(!canRunE2e || !hasTorch())('text ≠ audio flags from the alignment report', () => {
  let studio: Studio;
  let projectDir: string;

  beforeAll(async () => {
    studio = await launchStudio();
    projectDir = path.join(studio.tmp, 'projects', 'fit-e2e');
    const exportDir = await exportedProject(projectDir, 5, studio.tmp);
    await trainedReport(exportDir, path.join(projectDir, 'runs', 'voice'), 'take3');
    // recorded after the export: the run never saw it
    const late = path.join(studio.tmp, 'late');
    await fs.mkdir(late, { recursive: true });
    await fs.writeFile(path.join(late, 'late1.wav'), encodeWav(utterance({ rate: 22050, seconds: 1.2, seed: 9 }).samples, 22050));
    await fs.writeFile(path.join(late, 'late1.txt'), 'A late take.');
    expect((await importRecordings(projectDir, [late])).failed).toBe(0);
  }, 240_000);
  afterAll(async () => {
    await studio?.close();
  });

  it('shows the flag on the right clip, filters to it, sorts it first and opens it', async () => {
    const { page } = studio;
    await page.getByLabel('Project folder').fill(projectDir);
    await page.getByLabel('Project folder').press('Enter');
    await page.getByTestId('dataset-view').waitFor();
    await page.locator('.clip-row').first().waitFor();
    expect(await page.locator('.clip-row').count()).toBe(6);

    const fitOf = (id: string) => page.locator(`.clip-row[data-clip-id="${id}"] .fit`);
    await expect.poll(() => fitOf('take3').getAttribute('data-fit'), { timeout: 15_000 }).toBe('flagged');
    expect(await fitOf('take3').textContent()).toBe('text ≠ audio?');
    expect(await fitOf('take3').getAttribute('title')).toMatch(/could not match this transcript to the recording — check the words.*step 2 of run voice/);
    expect(await fitOf('take1').getAttribute('data-fit')).toBe('fits');
    expect(await fitOf('late1').getAttribute('data-fit')).toBe('not-measured');
    expect(await fitOf('late1').textContent()).toBe('not measured');
    await studio.screenshot('dataset-text-audio-flag');

    // filter: just the flagged clip
    const chip = page.getByTestId('filter-misaligned');
    expect(await chip.textContent()).toBe('Text ≠ audio?1');
    expect(await chip.getAttribute('title')).toMatch(/step 2 of run voice.*1 clip whose text and audio disagree/);
    await chip.click();
    await expect.poll(() => page.locator('.clip-row').count()).toBe(1);
    expect(await page.locator('.clip-row').getAttribute('data-clip-id')).toBe('take3');
    await studio.screenshot('dataset-text-audio-filter');
    await chip.click();
    await expect.poll(() => page.locator('.clip-row').count()).toBe(6);

    // sort: flagged first, the unmeasured last
    await page.getByRole('columnheader', { name: /Text ↔ audio/ }).click();
    const order = async () => page.locator('.clip-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-clip-id')));
    await expect.poll(async () => (await order())[0]).toBe('take3');
    expect((await order()).at(-1)).toBe('late1');

    // open it in the editor
    await page.locator('.clip-row[data-clip-id="take3"]').dblclick();
    await expect.poll(() => page.getByTestId('editor-clip-id').textContent(), { timeout: 15_000 }).toBe('take3');
    expect(studio.errors).toEqual([]);
  });
});
