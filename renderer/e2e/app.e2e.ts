import { promises as fs } from 'node:fs';
import path from 'node:path';
import { canRunE2e, dropFiles, launchStudio, type Studio } from './harness';
import { testRecordings } from './generatedAudio';

/**
 * The studio end to end in web mode, in Chromium: create a project, import recordings by
 * dropping them on the window (uploads + the import job, per-file outcome), visit every view,
 * export LJSpeech, and check the exported files on disk byte by byte. Screenshots of every
 * view go to test-output/screenshots/.
 */
describe.skipIf(!canRunE2e)('studio in the browser', () => {
  let studio: Studio;
  let projectDir: string;
  const recordings = testRecordings();

  beforeAll(async () => {
    studio = await launchStudio();
    projectDir = path.join(studio.tmp, 'projects', 'E2E-voice');
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('creates a project from the start screen', async () => {
    const { page } = studio;
    await page.getByRole('heading', { name: 'Formant Studio' }).waitFor();
    await studio.screenshot('start');
    await page.getByLabel('Project name').fill('E2E voice');
    await page.getByLabel('Project location').fill(path.join(studio.tmp, 'projects'));
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByTestId('project-name').waitFor();
    expect(await page.getByTestId('project-name').textContent()).toBe('E2E voice');
    expect(JSON.parse(await fs.readFile(path.join(projectDir, 'formant.json'), 'utf8'))).toMatchObject({ name: 'E2E voice', clips: [] });
    expect(page.url()).toMatch(/#\/dataset$/);
  });

  it('imports recordings dropped on the window, with a per-file outcome', async () => {
    const { page } = studio;
    const files = [
      ...recordings.flatMap((r) => [
        { name: r.name, bytes: r.bytes },
        { name: r.name.replace(/\.wav$/, '.txt'), bytes: new TextEncoder().encode(r.transcript + '\n') },
      ]),
      // Not audio at all: must fail alone, with a message, without stopping the others.
      { name: 'broken.wav', bytes: new TextEncoder().encode('this is not a wav file, just text pretending') },
    ];
    await dropFiles(page, files);
    const dialog = page.getByRole('dialog', { name: 'Import recordings' });
    await dialog.waitFor();
    await dialog.locator('.import-summary[data-phase="done"]').waitFor({ timeout: 90_000 });
    await studio.screenshot('import');
    const states = await dialog.locator('.import-row').evaluateAll((rows) => rows.map((r) => [r.querySelector('.import-name')?.textContent, r.getAttribute('data-state')]));
    const byName = Object.fromEntries(states);
    expect(byName['session/take-01.wav']).toBe('imported');
    expect(byName['session/take-02.wav']).toBe('imported');
    expect(byName['take-03.wav']).toBe('imported');
    expect(byName['broken.wav']).toBe('failed');
    expect(byName['session/take-01.txt']).toBe('attached');
    expect(await dialog.locator('.import-row[data-state="failed"] .import-note').textContent()).toBeTruthy();
    await dialog.getByRole('button', { name: 'Done' }).click();

    const manifest = JSON.parse(await fs.readFile(path.join(projectDir, 'formant.json'), 'utf8'));
    expect(manifest.clips.length).toBeGreaterThanOrEqual(3);
    expect(Number(await page.getByTestId('clip-count').textContent())).toBe(manifest.clips.length);
    // Originals are kept as imported; the staging uploads are gone.
    expect(manifest.sources.filter((s: { status: string }) => s.status === 'ok')).toHaveLength(3);
    await expect(fs.readdir(path.join(projectDir, '.staging'))).resolves.toEqual([]);
    const texts = manifest.clips.map((c: { text: string | null }) => c.text).join(' ');
    for (const r of recordings) expect(texts).toContain(r.transcript.split(' ')[1]);
  });

  it('shows every view', async () => {
    const { page } = studio;
    for (const view of ['dataset', 'editor', 'align', 'synthesize', 'train'] as const) {
      await page.locator(`[data-nav="${view}"]`).click();
      await page.locator(`.app[data-view="${view}"]`).waitFor();
      await page.waitForTimeout(400); // let waveforms/tables paint
      await studio.screenshot(view);
    }
    await page.locator('[data-nav="dataset"]').click();
  });

  it('exports LJSpeech and writes what the trainer expects', async () => {
    const { page } = studio;
    const outDir = path.join(studio.dataDir, 'export', 'ljspeech'); // web mode writes inside the projects and the data folder
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export dataset (LJSpeech)' });
    await dialog.getByLabel('Output folder').fill(outDir);
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    await dialog.getByTestId('export-result').waitFor({ timeout: 60_000 });
    await studio.screenshot('export');

    const manifest = JSON.parse(await fs.readFile(path.join(projectDir, 'formant.json'), 'utf8'));
    const exported = manifest.clips.filter((c: { text: string | null; status: string }) => c.text && c.status !== 'rejected');
    const csv = await fs.readFile(path.join(outDir, 'metadata.csv'));
    expect([...csv.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]); // no BOM
    const text = new TextDecoder('utf-8', { fatal: true }).decode(csv);
    expect(text.endsWith('\n')).toBe(true);
    expect(text.includes('\r')).toBe(false);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(exported.length);
    for (const line of lines) {
      const fields = line.split('|');
      expect(fields).toHaveLength(3);
      const clip = exported.find((c: { id: string }) => c.id === fields[0]);
      expect(clip, `metadata.csv names unknown clip ${fields[0]}`).toBeTruthy();
      expect(fields[1]).toBe(clip.text);
      expect(fields[2].length).toBeGreaterThan(0);

      const wav = await fs.readFile(path.join(outDir, 'wavs', `${fields[0]}.wav`));
      const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
      expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
      expect(wav.subarray(8, 16).toString('latin1')).toBe('WAVEfmt ');
      expect(view.getUint16(20, true)).toBe(1); // PCM
      expect(view.getUint16(22, true)).toBe(1); // mono
      expect(view.getUint32(24, true)).toBe(22050);
      expect(view.getUint16(34, true)).toBe(16);
      // 0.5 s of silence at the start (the seed's padding): find the data chunk, read the first 11 025 samples.
      let off = 12;
      while (off + 8 <= wav.length && wav.subarray(off, off + 4).toString('latin1') !== 'data') off += 8 + view.getUint32(off + 4, true);
      expect(off + 8 + 11025 * 2).toBeLessThanOrEqual(wav.length);
      let peak = 0;
      for (let i = 0; i < 11025; i++) peak = Math.max(peak, Math.abs(view.getInt16(off + 8 + 2 * i, true)));
      expect(peak).toBeLessThanOrEqual(1);
    }
    const train = (await fs.readFile(path.join(outDir, 'train.txt'), 'utf8')).trim().split('\n');
    const val = (await fs.readFile(path.join(outDir, 'val.txt'), 'utf8')).trim().split('\n').filter(Boolean);
    expect(train.length + val.length).toBe(exported.length);
    await dialog.getByRole('button', { name: 'Done' }).click();
  });

  it('closes the project and reopens it from the recent list', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('heading', { name: 'Recent projects' }).waitFor();
    const recent = page.locator('.recent-open', { hasText: 'E2E voice' });
    expect(await recent.locator('.recent-path').textContent()).toBe(projectDir);
    await studio.screenshot('start-recent');
    await recent.click();
    await page.getByTestId('project-name').waitFor();
    expect(await page.getByTestId('clip-count').textContent()).not.toBe('0');
    expect(studio.errors).toEqual([]);
  });

  it('opens the demo project, importing the bundled recordings the first time', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    const demo = page.getByRole('button', { name: 'Open the demo' });
    expect(await demo.isDisabled(), 'resources/demo/recordings is part of the repository').toBe(false);
    await demo.click();
    await page.getByTestId('project-name').waitFor();
    await page.locator('.job[data-job-kind="dataset.import"][data-job-state="done"]').waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="clip-count"]')?.textContent) > 0);
    const manifest = JSON.parse(await fs.readFile(path.join(studio.dataDir, 'demo-project', 'formant.json'), 'utf8'));
    expect(manifest.clips.length).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('clip-count').textContent())).toBe(manifest.clips.length);
    await studio.screenshot('demo');
    // No console errors (CSP violations, failed requests, React warnings logged as errors) anywhere in the run.
    expect(studio.errors).toEqual([]);
  });
});
