import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../../shared/contract/manifest';
import { decodeWav, encodeWav } from '../../shared/dsp/wav';
import { generatedRecording, GENERATED_SENTENCES } from '../../electron/services/align/generatedRecording';
import type { JoinedRecording } from '../../electron/services/align/joinedRecording';
import { canRunE2e, launchStudio, openNewProject, type Studio } from './harness';

/**
 * The Align view in Chromium (web mode): choose a long recording (six sentences spoken by
 * espeak-ng, made here, joined with pauses) and its transcript, align, review the segments with
 * their confidence, correct one text, accept, and check on disk that one clip per sentence was made with the right
 * text, a WAV of the right length, and the original kept byte for byte under sources/.
 * Screenshot: test-output/screenshots/align-result.png.
 */
const SENTENCES = GENERATED_SENTENCES.slice(0, 6);

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await fs.readFile(path.join(dir, 'formant.json'), 'utf8')) as Manifest;
}

describe.skipIf(!canRunE2e)('Align view in the browser', () => {
  let studio: Studio;
  let projectDir: string;
  let rec: JoinedRecording;
  let wavBytes: Uint8Array;

  beforeAll(async () => {
    [studio, rec] = await Promise.all([launchStudio(), generatedRecording(SENTENCES, 7)]);
    wavBytes = encodeWav(rec.samples, rec.sampleRate);
    projectDir = path.join(studio.tmp, 'projects', 'align-e2e');
    await openNewProject(studio, projectDir, 'Align e2e', 'align');
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('aligns a chosen recording with its transcript and lists every sentence with a confidence', async () => {
    const { page } = studio;
    // "Choose…" takes the recording and its .txt together, as a person would pick both.
    await page.locator('[data-testid="align-drop"] input[type="file"]').setInputFiles([
      { name: 'reading.wav', mimeType: 'audio/wav', buffer: Buffer.from(wavBytes) },
      { name: 'reading.txt', mimeType: 'text/plain', buffer: Buffer.from(SENTENCES.join('\n') + '\n') },
    ]);
    await page.locator('.align-audio', { hasText: 'reading.wav' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.align-audio [role="progressbar"]'));
    expect(await page.getByLabel('transcript').inputValue()).toBe(SENTENCES.join('\n') + '\n');

    await page.locator('.align-actions').getByRole('button', { name: 'Align', exact: true }).click();
    const rows = page.locator('[data-testid="align-segments"] .align-segment');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBe(SENTENCES.length);
    const listed = await rows.evaluateAll((els) =>
      els.map((li) => ({
        confidence: Number(li.querySelector('.align-conf')?.textContent?.replace('%', '')),
        text: (li.querySelector('.align-text') as HTMLInputElement).value,
        time: li.querySelector('.align-time')?.textContent ?? '',
      })),
    );
    // Every sentence once (the list is in review order: least confident first).
    expect(listed.map((s) => s.text).sort()).toEqual([...SENTENCES].sort());
    for (const s of listed) {
      expect(s.confidence).toBeGreaterThanOrEqual(50);
      expect(s.confidence).toBeLessThanOrEqual(100);
      expect(s.time).toMatch(/^#\d+ [\d.]+–[\d.]+ s$/);
    }
    expect(await page.locator('.align-summary').textContent()).toContain(`${SENTENCES.length} segments · 0 to review`);
    // The segments sit on the recording's waveform.
    const waveform = page.getByTestId('align-waveform');
    await waveform.waitFor();
    expect((await waveform.boundingBox())!.height).toBeGreaterThan(40);
    await studio.screenshot('align-result');
  });

  it('accepts the segments, with one text corrected, into the dataset: one clip per sentence on disk, the original untouched', async () => {
    const { page } = studio;
    // Correct the third sentence's text as a reviewer would (the person read "two hundred and ten").
    const edited = SENTENCES[2]!.replace('two hundred', 'two hundred and ten');
    const field = page.getByLabel('text of segment 3');
    await field.fill(edited);
    await field.blur();
    const expected = SENTENCES.map((t, i) => (i === 2 ? edited : t));
    await page.getByRole('button', { name: 'Accept into dataset' }).click();
    await page.locator('.align-summary', { hasText: `${SENTENCES.length} clips added` }).waitFor({ timeout: 60_000 });
    await page.waitForFunction((n) => document.querySelector('[data-testid="clip-count"]')?.textContent === String(n), SENTENCES.length);

    const m = await manifestOf(projectDir);
    const clips = [...m.clips].sort((a, b) => a.sourceStart - b.sourceStart);
    expect(clips.map((c) => c.text)).toEqual(expected);
    for (const [k, c] of clips.entries()) {
      const truth = rec.utterances[k]!.speech;
      // The clip covers its sentence's speech (cuts lie in the pauses around it).
      expect(c.sourceStart).toBeLessThanOrEqual(truth.start + 0.1);
      expect(c.sourceEnd).toBeGreaterThanOrEqual(truth.end - 0.1);
      const w = decodeWav(new Uint8Array(await fs.readFile(path.join(projectDir, c.wav))));
      expect(w.sampleRate).toBe(22050);
      expect(w.channels).toHaveLength(1);
      expect(w.bitsPerSample).toBe(16);
      expect(w.channels[0].length / w.sampleRate).toBeCloseTo(c.durationSeconds, 2);
      // 0.5 s of digital silence at the start.
      expect(Math.max(...w.channels[0].subarray(0, 11025).map(Math.abs))).toBeLessThanOrEqual(1 / 32768);
    }
    // One source, stored byte for byte as uploaded.
    const sources = m.sources.filter((s) => s.status === 'ok');
    expect(sources).toHaveLength(1);
    expect(new Set(clips.map((c) => c.sourceId))).toEqual(new Set([sources[0]!.id]));
    const stored = await fs.readFile(path.join(projectDir, sources[0]!.storedPath));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(wavBytes).digest('hex'));
    expect(studio.errors).toEqual([]);
  });
});
