import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AlignRun } from '../../shared/contract/align';
import type { Manifest } from '../../shared/contract/manifest';
import { decodeWav, encodeWav } from '../../shared/dsp/wav';
import { generatedRecording, GENERATED_SENTENCES } from '../../electron/services/align/generatedRecording';
import type { JoinedRecording } from '../../electron/services/align/joinedRecording';
import { canRunE2e, launchStudio, openNewProject, type Studio } from './harness';

/**
 * The Align view in Chromium (web mode), one person's journey: choose a long recording (seven
 * sentences spoken by espeak-ng, made here, joined with pauses) and its transcript with the
 * keyboard; the transcript lacks the fourth sentence (an ad-lib in the audio), so the segment
 * before it swallows it and is flagged, listed first, with why. Nothing is in sources/ yet. The
 * person moves that segment's end back to its own sentence and corrects another text; a reload
 * brings all of it back; accepting makes one clip per sentence of the text on disk (the ad-lib in
 * none), the recording a source byte for byte, and clears the pending results.
 * Screenshots: test-output/screenshots/align-result.png, align-flagged.png.
 */
const SENTENCES = GENERATED_SENTENCES.slice(0, 7);
/** Said in the recording, not in the transcript. */
const AD_LIB = 3;
const TEXTS = SENTENCES.filter((_, i) => i !== AD_LIB);
/** The utterance of the recording that text k is. */
const utteranceOf = (k: number) => (k < AD_LIB ? k : k + 1);

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await fs.readFile(path.join(dir, 'formant.json'), 'utf8')) as Manifest;
}

async function pendingRun(dir: string): Promise<AlignRun | null> {
  try {
    const { runId } = JSON.parse(await fs.readFile(path.join(dir, 'align', 'pending.json'), 'utf8')) as { runId: string };
    return JSON.parse(await fs.readFile(path.join(dir, 'align', `${runId}.json`), 'utf8')) as AlignRun;
  } catch {
    return null;
  }
}

const listed = (rows: import('playwright-core').Locator) =>
  rows.evaluateAll((els) =>
    els.map((li) => ({
      low: li.classList.contains('low'),
      confidence: Number(li.querySelector('.align-conf')?.textContent?.replace('%', '')),
      text: (li.querySelector('.align-text') as HTMLInputElement).value,
      time: li.querySelector('.align-time')?.textContent ?? '',
    })),
  );

describe.skipIf(!canRunE2e)('Align view in the browser', () => {
  let studio: Studio;
  let projectDir: string;
  let rec: JoinedRecording;
  let wavBytes: Uint8Array;
  const rows = () => studio.page.locator('[data-testid="align-segments"] .align-segment');
  // The reviewer's edits.
  const corrected = TEXTS[1]!.replace('two hundred', 'two hundred and ten');
  let newEnd = 0;

  beforeAll(async () => {
    [studio, rec] = await Promise.all([launchStudio(), generatedRecording(SENTENCES, 7)]);
    wavBytes = encodeWav(rec.samples, rec.sampleRate);
    projectDir = path.join(studio.tmp, 'projects', 'align-e2e');
    await openNewProject(studio, projectDir, 'Align e2e', 'align');
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('chooses the recording with the keyboard, aligns, and lists the segment that swallowed an ad-lib first, with why; nothing is in sources/ yet', async () => {
    const { page } = studio;
    // Tab to "Choose…" (a real button), open the picker with Enter, take the recording and its .txt together.
    // Waiting for the chooser starts before the Tab walk: Playwright turns on file-chooser interception
    // asynchronously, and an Enter pressed before that lands opens no chooser it can see (a CI flake under load).
    const chooserOpened = page.waitForEvent('filechooser', { timeout: 60_000 });
    chooserOpened.catch(() => undefined); // awaited below; not an unhandled rejection if the Tab walk fails first
    let focused = '';
    for (let i = 0; i < 60 && focused !== 'BUTTON Choose…'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => `${document.activeElement?.tagName} ${document.activeElement?.textContent?.trim()}`);
    }
    expect(focused).toBe('BUTTON Choose…');
    await page.keyboard.press('Enter');
    const chooser = await chooserOpened;
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles([
      { name: 'reading.wav', mimeType: 'audio/wav', buffer: Buffer.from(wavBytes) },
      { name: 'reading.txt', mimeType: 'text/plain', buffer: Buffer.from(TEXTS.join('\n') + '\n') },
    ]);
    await page.locator('.align-audio', { hasText: 'reading.wav' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.align-audio [role="progressbar"]'));
    expect(await page.getByLabel('transcript').inputValue()).toBe(TEXTS.join('\n') + '\n');

    await page.locator('.align-actions').getByRole('button', { name: 'Align', exact: true }).click();
    await rows().first().waitFor({ timeout: 60_000 });
    const segs = await listed(rows());
    expect(segs).toHaveLength(TEXTS.length);
    // Every sentence of the text once; the one that swallowed the ad-lib is first (review order), flagged, and says why.
    expect(segs.map((s) => s.text).sort()).toEqual([...TEXTS].sort());
    expect(segs[0]).toMatchObject({ low: true, text: TEXTS[AD_LIB - 1] });
    expect(segs[0]!.confidence).toBeLessThan(50);
    for (const s of segs.slice(1)) {
      expect(s.low).toBe(false);
      expect(s.confidence).toBeGreaterThanOrEqual(50);
      expect(s.time).toMatch(/^#\d+ [\d.]+–[\d.]+ s$/);
    }
    expect(await page.getByTestId(`align-reason-${AD_LIB}`).textContent()).toMatch(/words may be missing, repeated or added/);
    expect(await page.locator('.align-summary').textContent()).toContain(`${TEXTS.length} segments · 1 to review`);
    const waveform = page.getByTestId('align-waveform');
    await waveform.waitFor();
    expect((await waveform.boundingBox())!.height).toBeGreaterThan(40);
    await studio.screenshot('align-result');

    // Not accepted yet: no source, nothing under sources/; the results are the project's pending alignment.
    expect((await manifestOf(projectDir)).sources).toEqual([]);
    expect(await fs.readdir(path.join(projectDir, 'sources')).catch(() => [])).toEqual([]);
    const pending = await pendingRun(projectDir);
    expect(pending?.segments).toHaveLength(TEXTS.length);
    expect(pending?.sourceId).toBe('');
    // The uploaded copy (web mode's .staging) is gone once aligned: the run reads its own waiting copy.
    expect(await fs.readdir(path.join(projectDir, '.staging')).catch(() => [])).toEqual([]);
  });

  it('moves the flagged segment’s end back to its own sentence, corrects a text, and finds both again after a reload', async () => {
    const { page } = studio;
    // Focusing the flagged segment's text (keyboard) selects it and shows its boundaries as numbers.
    await page.getByLabel(`text of segment ${AD_LIB}`).focus();
    const endField = page.getByLabel(`end of segment ${AD_LIB} (s)`);
    await endField.waitFor();
    const before = Number(await endField.inputValue());
    const adLib = rec.utterances[AD_LIB]!.speech;
    expect(before).toBeGreaterThan(adLib.start); // it did swallow the ad-lib
    await studio.screenshot('align-flagged');
    newEnd = +(rec.utterances[AD_LIB - 1]!.speech.end + 0.05).toFixed(2);
    await endField.fill(String(newEnd));
    await endField.press('Enter');
    // Reviewed: no longer flagged, nothing left to review.
    await page.locator('.align-summary', { hasText: `${TEXTS.length} segments · 0 to review` }).waitFor();
    const field = page.getByLabel('text of segment 2');
    await field.fill(corrected);
    await field.blur();
    // every segment's text shows whole: a long sentence wraps in its field instead of scrolling out of sight
    const hidden = await page.locator('.align-text').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).length);
    expect(hidden).toBe(0);
    // Both edits are on disk (saved in order) before the page goes away.
    await expect
      .poll(async () => {
        const e = (await pendingRun(projectDir))?.edited;
        return e ? [e[AD_LIB - 1]!.end, e[1]!.text] : null;
      })
      .toEqual([newEnd, corrected]);

    await page.reload();
    await page.locator('.app[data-view="align"]').waitFor();
    await rows().first().waitFor({ timeout: 30_000 });
    await page.locator('.align-audio', { hasText: 'reading.wav' }).waitFor();
    expect(await page.getByLabel('transcript').inputValue()).toBe(TEXTS.join('\n') + '\n');
    expect(await page.getByLabel('text of segment 2').inputValue()).toBe(corrected);
    const segs = await listed(rows());
    expect(segs).toHaveLength(TEXTS.length);
    expect(segs.find((s) => s.time.startsWith(`#${AD_LIB} `))?.time).toMatch(new RegExp(`–${newEnd.toFixed(2)} s$`));
    expect(await page.locator('.align-summary').textContent()).toContain(`${TEXTS.length} segments · 0 to review`);
    await page.getByTestId('align-waveform').waitFor();
  });

  it('accepts: one clip per sentence of the text on disk with its text, the ad-lib in none, the recording a source byte for byte, the pending results cleared', async () => {
    const { page } = studio;
    await page.getByRole('button', { name: 'Accept into dataset' }).click();
    await page.locator('.align-summary', { hasText: `${TEXTS.length} clips added` }).waitFor({ timeout: 60_000 });
    await page.waitForFunction((n) => document.querySelector('[data-testid="clip-count"]')?.textContent === String(n), TEXTS.length);

    const m = await manifestOf(projectDir);
    const clips = [...m.clips].sort((a, b) => a.sourceStart - b.sourceStart);
    expect(clips.map((c) => c.text)).toEqual(TEXTS.map((t, k) => (k === 1 ? corrected : t)));
    const adLib = rec.utterances[AD_LIB]!.speech;
    for (const [k, c] of clips.entries()) {
      const truth = rec.utterances[utteranceOf(k)]!.speech;
      // The clip covers its sentence's speech (cuts lie in the pauses around it) and none of the ad-lib.
      expect(c.sourceStart).toBeLessThanOrEqual(truth.start + 0.1);
      expect(c.sourceEnd).toBeGreaterThanOrEqual(truth.end - 0.1);
      expect(c.sourceEnd <= adLib.start + 0.05 || c.sourceStart >= adLib.end - 0.05, `clip ${k} ${c.sourceStart}–${c.sourceEnd}`).toBe(true);
      const w = decodeWav(new Uint8Array(await fs.readFile(path.join(projectDir, c.wav))));
      expect(w.sampleRate).toBe(22050);
      expect(w.channels).toHaveLength(1);
      expect(w.bitsPerSample).toBe(16);
      expect(w.channels[0].length / w.sampleRate).toBeCloseTo(c.durationSeconds, 2);
      // 0.5 s of digital silence at the start.
      expect(Math.max(...w.channels[0].subarray(0, 11025).map(Math.abs))).toBeLessThanOrEqual(1 / 32768);
    }
    // The moved boundary: the clip of the flagged segment ends where the person put it (plus the margin).
    expect(clips[AD_LIB - 1]!.sourceEnd).toBeLessThanOrEqual(newEnd + 0.1);
    // One source, stored byte for byte as chosen; the waiting copy and the pending results are gone.
    const sources = m.sources.filter((s) => s.status === 'ok');
    expect(sources).toHaveLength(1);
    expect(new Set(clips.map((c) => c.sourceId))).toEqual(new Set([sources[0]!.id]));
    const stored = await fs.readFile(path.join(projectDir, sources[0]!.storedPath));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(wavBytes).digest('hex'));
    expect(await pendingRun(projectDir)).toBe(null);
    expect(await fs.readdir(path.join(projectDir, 'align', 'recordings'))).toEqual([]);

    // Accepted results are not restored: a reload shows an empty Align view.
    await page.reload();
    await page.locator('.app[data-view="align"]').waitFor();
    await page.locator('.align-audio em', { hasText: 'drop an audio file here' }).waitFor();
    expect(await rows().count()).toBe(0);
    expect(studio.errors).toEqual([]);
  });
});
