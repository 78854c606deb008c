import { canRunE2e, dropFiles, launchStudio, type Studio } from './harness';
import { testRecordings } from './generatedAudio';

/**
 * Opening the demo, as a new user does (issue 19 #4, #6): QA ran as part of the import, so the chips count the
 * demo's clipped, noisy and quiet takes without "Run QA", and the Quiet filter shows 04-quiet. A drop into the
 * project imports through the staging folder, which no message on screen names.
 */
describe.skipIf(!canRunE2e)('demo project: QA flags on open', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await launchStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows the QA flags of the demo without Run QA; a dropped file is named as dropped', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'Open the demo' }).click();
    await page.getByTestId('project-name').waitFor();
    await page.locator('.job[data-job-kind="dataset.import"][data-job-state="done"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('dataset-view').waitFor();
    const count = async (flag: string) => (await page.locator(`.chip[data-flag="${flag}"] .chip-count`).textContent()) ?? '';
    await page.waitForFunction(() => Number(document.querySelector('.chip[data-flag="clipping"] .chip-count')?.textContent) >= 1, undefined, { timeout: 15_000 });
    expect(Number(await count('low-snr'))).toBeGreaterThanOrEqual(1);
    expect(Number(await count('quiet'))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('.chip.unmeasured').count()).toBe(0);
    await page.locator('.chip[data-flag="quiet"]').click();
    await page.waitForFunction(() => [...document.querySelectorAll('.clip-row')].every((r) => r.getAttribute('data-clip-id')?.startsWith('04-quiet')));
    expect(await page.locator('.clip-row').count()).toBeGreaterThanOrEqual(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();

    // a drop goes through <project>/.staging/…: the import's messages name the file as dropped
    const [rec] = testRecordings();
    const seen: string[] = [];
    const watch = setInterval(() => {
      void page
        .evaluate(() => document.body.innerText)
        .then((t) => seen.push(t))
        .catch(() => undefined);
    }, 100);
    await dropFiles(page, [{ name: rec.name, bytes: rec.bytes }]);
    await page.locator('.import-summary[data-phase="done"]').waitFor({ timeout: 45_000 });
    clearInterval(watch);
    seen.push(await page.evaluate(() => document.body.innerText));
    expect(seen.filter((t) => t.includes('.staging'))).toEqual([]);
    expect(studio.errors).toEqual([]);
  }, 120_000);
});
