import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../shared/contract/manifest';
import { encodeWav } from '../../shared/dsp/wav';
import { importRecordings } from '../../electron/services/prepare/importRecordings';
import { utterance } from '../../electron/services/prepare/testSignals';
import { canRunE2e, launchStudio, type Studio } from './harness';

/**
 * Bulk actions of the dataset view in Chromium (web mode): select all → Reject is ONE
 * `clips.updateMany` request and ONE Ctrl+Z; a bulk delete is undone with one Ctrl+Z, the WAVs
 * back byte for byte. Every step is checked in the manifest on disk.
 */
const manifestOf = async (dir: string) => JSON.parse(await fs.readFile(path.join(dir, 'formant.json'), 'utf8')) as Manifest;
const statuses = async (dir: string) => (await manifestOf(dir)).clips.map((c) => `${c.id}:${c.status}`);

describe.skipIf(!canRunE2e)('dataset view bulk actions and their undo', () => {
  let studio: Studio;
  let projectDir: string;
  const batchCalls: string[] = [];

  beforeAll(async () => {
    studio = await launchStudio();
    const rec = path.join(studio.tmp, 'recordings');
    await fs.mkdir(rec, { recursive: true });
    for (let i = 1; i <= 6; i++) {
      await fs.writeFile(path.join(rec, `take${i}.wav`), encodeWav(utterance({ rate: 22050, seconds: 1.2, seed: i }).samples, 22050));
      if (i !== 6) await fs.writeFile(path.join(rec, `take${i}.txt`), `Take number ${i}.`);
    }
    projectDir = path.join(studio.tmp, 'projects', 'bulk-e2e');
    expect((await importRecordings(projectDir, [rec])).failed).toBe(0);
    studio.page.on('request', (r) => {
      if (r.url().includes('/api/clips.')) batchCalls.push(new URL(r.url()).pathname);
    });
  }, 60_000);
  afterAll(async () => {
    await studio?.close();
  });

  it('reject all = one request, one Ctrl+Z; redo; delete two and undo: WAVs back as they were', async () => {
    const { page } = studio;
    const original = await statuses(projectDir);
    await page.getByLabel('Project folder').fill(projectDir);
    await page.getByLabel('Project folder').press('Enter');
    await page.getByTestId('dataset-view').waitFor();
    await page.locator('.clip-row').first().waitFor();
    expect(await page.locator('.clip-row').count()).toBe(6);

    await page.getByTestId('bulk-bar').getByRole('button', { name: /Select all/ }).click();
    batchCalls.length = 0;
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Reject', exact: true }).click();
    await page.locator('.notice', { hasText: 'Rejected 6 clips' }).waitFor({ timeout: 15_000 });
    expect(batchCalls).toEqual(['/api/clips.updateMany']);
    expect((await manifestOf(projectDir)).clips.every((c) => c.status === 'rejected')).toBe(true);

    await page.locator('.clip-row').first().click(); // focus on the table, not the search box
    batchCalls.length = 0;
    await page.keyboard.press('Control+z');
    await expect.poll(() => statuses(projectDir), { timeout: 15_000 }).toEqual(original);
    await page.locator('.notice', { hasText: 'Undid: Rejected 6 clips' }).waitFor();
    expect(batchCalls).toEqual(['/api/clips.updateMany']);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await manifestOf(projectDir)).clips.every((c) => c.status === 'rejected'), { timeout: 15_000 }).toBe(true);
    await page.locator('.notice', { hasText: 'Redid' }).waitFor();
    await page.getByTestId('bulk-undo').click();
    await expect.poll(() => statuses(projectDir), { timeout: 15_000 }).toEqual(original);

    // Delete two clips, then one Ctrl+Z brings both back, in place, with the same audio.
    const m0 = await manifestOf(projectDir);
    const gone = [m0.clips[1], m0.clips[4]];
    const bytes = await Promise.all(gone.map((c) => fs.readFile(path.join(projectDir, c.wav))));
    await page.locator(`.clip-row[data-clip-id="${gone[0].id}"]`).click();
    await page.locator(`.clip-row[data-clip-id="${gone[1].id}"]`).click({ modifiers: ['Control'] });
    await page.getByTestId('bulk-bar').getByRole('button', { name: 'Delete…' }).click();
    // the confirmation is a bar of its own under the toolbar, saying what happens to the files
    expect(await page.getByRole('alertdialog', { name: 'Confirm delete' }).textContent()).toMatch(/^Delete 2 clips\? Their WAVs go to the project’s trash \(Undo brings them back\)/);
    expect(await page.getByTestId('bulk-bar').getByTestId('confirm-delete').count()).toBe(0);
    await page.getByTestId('confirm-delete').click();
    await page.locator('.notice', { hasText: 'Deleted 2 clips' }).waitFor({ timeout: 15_000 });
    expect((await manifestOf(projectDir)).clips).toHaveLength(4);
    await expect.poll(() => page.locator('.clip-row').count(), { timeout: 15_000 }).toBe(4);
    await page.locator('.clip-row').first().click();
    await page.keyboard.press('Control+z');
    // The manifest is written before the response reaches the view, so wait for the view (its notice and rows) too.
    await page.locator('.notice', { hasText: 'Undid: Deleted 2 clips' }).waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await manifestOf(projectDir)).clips.map((c) => c.id), { timeout: 15_000 }).toEqual(m0.clips.map((c) => c.id));
    await expect.poll(() => page.locator('.clip-row').count(), { timeout: 15_000 }).toBe(6);
    for (const [i, c] of gone.entries()) expect((await fs.readFile(path.join(projectDir, c.wav))).equals(bytes[i])).toBe(true);
    await studio.screenshot('dataset-bulk-undo');
    expect(studio.errors).toEqual([]);
  }, 90_000);
});
