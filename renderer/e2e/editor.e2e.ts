import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ClipRecord, Manifest } from '../../shared/contract/manifest';
import { decodeWav, encodeWav } from '../../shared/dsp/wav';
import { importRecordings } from '../../electron/services/prepare/importRecordings';
import { createProject, loadManifest, saveManifest } from '../../electron/services/projectStore';
import { canRunE2e, editorSettled, launchStudio, openProject, type Studio } from './harness';

/**
 * The dataset view and the clip editor in Chromium (web mode): open a project of generated
 * recordings, edit a transcript, trim a clip with the keyboard (I / O), undo and redo, and check
 * the manifest and the re-rendered WAV on disk after each step. Screenshots of both views go to
 * test-output/screenshots/ (editor-dataset.png, editor-clip.png).
 */
const RATE = 22050;

/** A voiced, syllabic test signal (harmonics of a wandering f0) with quiet edges; deterministic. */
function voiced(seconds: number, seed: number): Float32Array {
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    const f0 = 120 + 20 * Math.sin(2 * Math.PI * 0.8 * t + seed);
    phase += (2 * Math.PI * f0) / RATE;
    let v = 0;
    for (let h = 1; h <= 10; h++) v += Math.sin(h * phase + seed * h) / h;
    const syllables = 0.35 + 0.65 * Math.max(0, Math.sin(Math.PI * (3 + seed * 0.3) * t)) ** 0.5;
    const edge = t < 0.2 || t > seconds - 0.2 ? 0 : 1;
    x[i] = 0.25 * v * syllables * edge;
  }
  return x;
}

const TRANSCRIPTS = [
  'Printing, in the only sense with which we are at present concerned, differs from most arts.',
  'The earliest book printed with movable types was the Gutenberg Bible, in 1455.',
  'It was printed in Mainz by Johann Gutenberg and his partners.',
  'Now, as all books not primarily intended as picture-books consist principally of types.',
  'The quick brown fox jumps over the lazy dog at 10:30 a.m.',
  'She sells sea shells by the sea shore, for $3.50 each.',
];

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await fs.readFile(path.join(dir, 'formant.json'), 'utf8')) as Manifest;
}
async function clipOnDisk(dir: string, id: string): Promise<ClipRecord> {
  const c = (await manifestOf(dir)).clips.find((x) => x.id === id);
  if (!c) throw new Error(`clip ${id} is not in the manifest`);
  return c;
}
async function wavOnDisk(dir: string, c: ClipRecord) {
  const w = decodeWav(new Uint8Array(await fs.readFile(path.join(dir, c.wav))));
  const x = w.channels[0];
  const pad = Math.round(0.5 * w.sampleRate);
  let padPeak = 0;
  for (let i = 0; i < pad; i++) padPeak = Math.max(padPeak, Math.abs(x[i]), Math.abs(x[x.length - 1 - i]));
  let contentPeak = 0;
  for (let i = pad; i < x.length - pad; i++) contentPeak = Math.max(contentPeak, Math.abs(x[i]));
  return { seconds: x.length / w.sampleRate, rate: w.sampleRate, channels: w.channels.length, padPeak, contentPeak };
}

/** Moves the play cursor to `seconds` (clip time) with the arrow keys, as a person would. */
async function cursorTo(page: Page, seconds: number) {
  await page.keyboard.press('Home'); // not bound in the editor: harmless
  const now = async () => Number((await page.getByTestId('cursor-time').textContent())?.split(' ')[0] ?? 0);
  let t = await now();
  for (let guard = 0; guard < 200 && Math.abs(t - seconds) > 0.051; guard++) {
    const big = Math.abs(seconds - t) >= 1;
    await page.keyboard.press(`${big ? 'Shift+' : ''}${seconds > t ? 'ArrowRight' : 'ArrowLeft'}`);
    await page.waitForTimeout(20);
    t = await now();
  }
  return t;
}


describe.skipIf(!canRunE2e)('dataset view and clip editor in the browser', () => {
  let studio: Studio;
  let projectDir: string;

  beforeAll(async () => {
    studio = await launchStudio();
    // A project of six generated recordings with transcripts, imported by the real import service.
    const rec = path.join(studio.tmp, 'recordings');
    await fs.mkdir(rec, { recursive: true });
    for (let i = 0; i < TRANSCRIPTS.length; i++) {
      const name = `take-${String(i + 1).padStart(2, '0')}`;
      await fs.writeFile(path.join(rec, `${name}.wav`), encodeWav(voiced(2.6 + i * 0.7, i + 1), RATE));
      await fs.writeFile(path.join(rec, `${name}.txt`), TRANSCRIPTS[i] + '\n');
    }
    projectDir = path.join(studio.tmp, 'projects', 'editor-e2e');
    const r = await importRecordings(projectDir, [rec]);
    expect(r.failed).toBe(0);
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('opens the project in the dataset view: table, totals, histogram, filters, selection', async () => {
    const { page } = studio;
    const m = await manifestOf(projectDir);
    expect(m.clips.length).toBeGreaterThanOrEqual(TRANSCRIPTS.length);
    await page.getByLabel('Project folder').fill(projectDir);
    await page.getByLabel('Project folder').press('Enter');
    await page.getByTestId('dataset-view').waitFor();
    await page.locator('.clip-row').first().waitFor();
    expect(await page.locator('.clip-row').count()).toBe(m.clips.length);
    expect(await page.getByTestId('totals').textContent()).toContain(`${m.clips.length}clips`);
    // Search narrows the table; clearing it brings every clip back.
    await page.getByTestId('dataset-search').fill('gutenberg');
    await page.waitForFunction(() => document.querySelectorAll('.clip-row').length === 2);
    await page.getByTestId('dataset-search').fill('');
    // Sort by length, descending: the first row is the longest clip.
    await page.getByRole('columnheader', { name: /Length/ }).click();
    await page.getByRole('columnheader', { name: /Length/ }).click();
    const longest = [...m.clips].sort((a, b) => b.durationSeconds - a.durationSeconds)[0];
    expect(await page.locator('.clip-row').first().getAttribute('data-clip-id')).toBe(longest.id);
    // Click + shift-click selects a range.
    await page.locator('.clip-row').nth(0).click();
    await page.locator('.clip-row').nth(2).click({ modifiers: ['Shift'] });
    expect(await page.locator('.clip-row.selected').count()).toBe(3);
    await page.getByRole('columnheader', { name: /Clip/ }).click(); // back to id order
    // QA measures every clip; its flags appear in the table and the filter counts.
    await page.getByRole('button', { name: 'Run QA' }).click();
    await page.locator('.notice', { hasText: 'QA:' }).waitFor({ timeout: 30_000 });
    expect((await manifestOf(projectDir)).clips.every((c) => c.qa)).toBe(true);
    await studio.screenshot('editor-dataset');
  });

  it('edits a transcript, trims with I / O, undoes and redoes — checked on disk', async () => {
    const { page } = studio;
    const before = (await manifestOf(projectDir)).clips.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))[0];
    const wav0 = await wavOnDisk(projectDir, before);
    expect(wav0).toMatchObject({ rate: 22050, channels: 1, padPeak: 0 });

    await page.locator(`.clip-row[data-clip-id="${before.id}"]`).dblclick();
    await page.getByTestId('clip-editor').waitFor();
    await editorSettled(page, before.id);
    await page.locator('[data-testid="mel-view"][data-state="ready"]').waitFor({ timeout: 30_000 });

    // 1. Transcript: saved after a pause, normalized text shown beside it.
    const text = 'It cost $3.50 on the 2nd of May, 1455.';
    await page.getByTestId('transcript').fill(text);
    await page.waitForFunction(() => document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') === 'saved', null, { timeout: 10_000 });
    await expect.poll(async () => (await clipOnDisk(projectDir, before.id)).text).toBe(text);
    expect(await page.getByTestId('normalized').textContent()).toMatch(/three dollars/i);

    // 2. Trim in with the keyboard: cursor 0.3 s into the speech, press I.
    await page.getByTestId('transcript').press('Escape'); // leave the text field
    await cursorTo(page, 0.5 + 0.3);
    await page.keyboard.press('i');
    await expect.poll(async () => (await clipOnDisk(projectDir, before.id)).sourceStart, { timeout: 15_000 }).toBeCloseTo(before.sourceStart + 0.3, 1);
    await editorSettled(page, before.id);
    // 3. Trim out: cursor 0.4 s before the end of the (new) speech, press O.
    const afterIn = await clipOnDisk(projectDir, before.id);
    await page.getByTestId('clip-editor').focus();
    await cursorTo(page, 0.5 + (afterIn.sourceEnd - afterIn.sourceStart) - 0.4);
    await page.keyboard.press('o');
    await expect.poll(async () => (await clipOnDisk(projectDir, before.id)).sourceEnd, { timeout: 15_000 }).toBeCloseTo(before.sourceEnd - 0.4, 1);
    await editorSettled(page, before.id);
    const trimmed = await clipOnDisk(projectDir, before.id);
    const wav1 = await wavOnDisk(projectDir, trimmed);
    const speech1 = trimmed.sourceEnd - trimmed.sourceStart;
    expect(wav1.seconds).toBeCloseTo(speech1 + 1.0, 2); // re-rendered: speech + two 0.5 s pads
    expect(wav1.seconds).toBeLessThan(wav0.seconds - 0.6);
    expect(wav1.padPeak).toBe(0); // the pads are digital silence
    expect(wav1.contentPeak).toBeGreaterThan(0.05);
    expect(trimmed.text).toBe(text);
    await studio.screenshot('editor-clip');

    // 4. Undo twice (out, then in): the region and the WAV come back; the text edit stays.
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await clipOnDisk(projectDir, before.id)).sourceEnd, { timeout: 15_000 }).toBeCloseTo(before.sourceEnd, 3);
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await clipOnDisk(projectDir, before.id)).sourceStart, { timeout: 15_000 }).toBeCloseTo(before.sourceStart, 3);
    await editorSettled(page, before.id);
    const undone = await clipOnDisk(projectDir, before.id);
    expect(undone.text).toBe(text);
    expect((await wavOnDisk(projectDir, undone)).seconds).toBeCloseTo(wav0.seconds, 3);

    // 5. Redo both: trimmed again, same WAV length as before the undo.
    await page.keyboard.press('Control+Shift+z');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(async () => (await clipOnDisk(projectDir, before.id)).sourceEnd, { timeout: 15_000 }).toBeCloseTo(trimmed.sourceEnd, 3);
    await editorSettled(page, before.id);
    const redone = await clipOnDisk(projectDir, before.id);
    expect(redone.sourceStart).toBeCloseTo(trimmed.sourceStart, 3);
    expect((await wavOnDisk(projectDir, redone)).seconds).toBeCloseTo(wav1.seconds, 3);

    // 6. Undo the transcript too (three undos back to the imported text), then Escape to the table.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
    await expect.poll(async () => (await clipOnDisk(projectDir, before.id)).text, { timeout: 15_000 }).toBe(before.text);
    await editorSettled(page, before.id);
    expect(await page.getByTestId('transcript').inputValue()).toBe(before.text);
    await page.getByTestId('clip-editor').focus();
    await page.keyboard.press('Escape');
    await page.getByTestId('dataset-view').waitFor();
    expect(studio.errors).toEqual([]);
  });

  it('mel view follows zoom and scroll; a long recording shows the mel of the visible window (read by range)', async () => {
    const { page } = studio;
    const first = (await manifestOf(projectDir)).clips.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }))[0];
    await openProject(page, projectDir);
    await page.evaluate((id) => (window.location.hash = `#/editor/${id}`), first.id);
    await page.getByTitle('Fit the whole clip').click();
    await editorSettled(page, first.id);
    const mel = page.getByTestId('mel-view');
    await page.locator('[data-testid="mel-view"][data-state="ready"]').waitFor({ timeout: 30_000 });
    const fitFrames = Number(await mel.getAttribute('data-frames'));
    expect(fitFrames).toBeGreaterThan(first.durationSeconds * 80); // the whole clip (86 frames/s)
    // Zoom in 1.5^4 ≈ 5×: the worker computes the view's window (plus margins), not the whole clip.
    await page.getByTestId('clip-editor').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="mel-view"]')?.getAttribute('data-frames')) < n / 2, fitFrames, { timeout: 10_000 });
    await page.locator('[data-testid="mel-view"][data-state="ready"]').waitFor();
    await studio.screenshot('editor-mel-zoom');

    // A 7-minute recording (over the whole-file limit): peaks for the waveform, mel by range per window.
    const longDir = path.join(studio.tmp, 'projects', 'long-e2e');
    await createProject(longDir, { name: 'Long recording' });
    const seconds = 420;
    const piece = voiced(20, 3);
    const x = new Float32Array(seconds * RATE);
    for (let at = 0; at < x.length; at += piece.length) x.set(piece.subarray(0, Math.min(piece.length, x.length - at)), at);
    const bytes = encodeWav(x, RATE);
    await fs.writeFile(path.join(longDir, 'wavs', 'long.wav'), bytes);
    await fs.writeFile(path.join(longDir, 'sources', 'long.wav'), bytes);
    const m = await loadManifest(longDir);
    const now = new Date().toISOString();
    m.sources.push({ id: 'long', originalPath: '/e2e/long.wav', storedPath: 'sources/long.wav', sha256: '0'.repeat(64), bytes: bytes.length, importedAt: now, durationSeconds: seconds, sampleRate: RATE, channels: 1, codec: 'pcm_s16le', status: 'ok' });
    m.clips.push({ id: 'long', sourceId: 'long', sourceStart: 0, sourceEnd: seconds, wav: 'wavs/long.wav', durationSeconds: seconds, text: 'A long take.', status: 'transcribed', origin: 'import', createdAt: now, updatedAt: now });
    await saveManifest(longDir, m);
    await openProject(page, longDir);
    await page.evaluate(() => (window.location.hash = '#/editor/long'));
    await editorSettled(page, 'long');
    // Whole 7 minutes on screen (the zoom carries over from the last clip: fit it): too wide for a mel, and it says so.
    await page.getByTitle('Fit the whole clip').click();
    await page.locator('[data-testid="mel-view"][data-state="zoom"]').waitFor({ timeout: 15_000 });
    await page.getByTestId('clip-editor').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('+');
    await page.locator('[data-testid="mel-view"][data-state="ready"][data-mode="ranged"]').waitFor({ timeout: 15_000 });
    // Scroll the waveform to 5 minutes in: the mel of that window follows, timed from the scroll.
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const host = document.querySelector('[data-testid="waveform"] > div') as HTMLElement;
          const scroller = host.shadowRoot!.querySelector('.scroll') as HTMLElement;
          const target = (300 / 420) * scroller.scrollWidth;
          const t0 = performance.now();
          scroller.scrollLeft = target;
          const poll = () => {
            const el = document.querySelector('[data-testid="mel-view"]')!;
            const [a, b] = (el.getAttribute('data-window') ?? '0-0').split('-').map(Number);
            if (el.getAttribute('data-state') === 'ready' && a <= 300 && b >= 310) return resolve(performance.now() - t0);
            if (performance.now() - t0 > 10_000) return reject(new Error(`mel never followed the scroll (${el.getAttribute('data-state')} ${a}-${b})`));
            requestAnimationFrame(poll);
          };
          requestAnimationFrame(poll);
        }),
    );
    console.log(`mel of the visible window after a scroll of a 7-minute recording: ${ms.toFixed(0)} ms (worker ${await mel.getAttribute('data-ms')} ms, ${await mel.getAttribute('data-frames')} frames)`);
    expect(ms).toBeLessThan(10_000);
    await studio.screenshot('editor-long-mel');
    expect(studio.errors).toEqual([]);
  });
});
