import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../shared/contract/manifest';
import { resample } from '../../shared/dsp/resample';
import { decodeWav, encodeWav, parseWavHeader } from '../../shared/dsp/wav';
import { generatedRecording } from '../../electron/services/align/generatedRecording';
import { readLjSpeech } from '../../electron/services/align/joinedRecording';
import { createProject } from '../../electron/services/projectStore';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { CHROMIUM, CHROMIUM_ARGS, canRunE2e, newStudioContext, screenshotDir, sharedDataDir } from './harness';

/**
 * The Record view in Chromium with its fake capture device fed from a file (one browser per file: the
 * file is a launch flag). First a clipped reading: the take is flagged "Too loud" at once. Then, in a new
 * session with real speech (LJSpeech from ../shared/data, else espeak-ng made here), the flagged prompt
 * is offered first and retaken, and two more prompts are recorded with Space. On disk: one clip per
 * prompt with the prompt as its text (the clipped take's clip replaced), mono 16-bit 22050 Hz, and every
 * take's original byte for byte in sources/. No console errors; the time from Stop to the saved, checked
 * take is printed.
 */
const RATE = 48000;

async function speech(): Promise<Float32Array> {
  const lj = existsSync(path.join(sharedDataDir, 'lj-small')) ? await readLjSpeech(path.join(sharedDataDir, 'lj-small'), 6) : null;
  const parts: Float32Array[] = [];
  let rate = 22050;
  if (lj?.length) for (const u of lj) parts.push(u.samples, new Float32Array(Math.round(0.3 * 22050)));
  else {
    const g = await generatedRecording();
    rate = g.sampleRate;
    parts.push(g.samples);
  }
  const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return resample(joined, rate, RATE);
}

async function launchWithMic(wav: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
  });
}

async function manifestOf(dir: string): Promise<Manifest> {
  return JSON.parse(await fs.readFile(path.join(dir, 'formant.json'), 'utf8')) as Manifest;
}

/** What the view says when a step fails (its banners), for the failure message. */
async function viewBanners(browser: Browser): Promise<string> {
  const page = browser.contexts()[0]?.pages()[0];
  if (!page) return '(no page)';
  return (await page.locator('.banner, .record-roomtone').allTextContents().catch(() => [])).join(' / ') || '(no banner)';
}

describe.skipIf(!canRunE2e)('Record view (Chromium, fake microphone)', () => {
  let server: WebServer;
  let tmp: string;
  let project: string;
  const errors: string[] = [];
  const saveTimes: number[] = [];
  let speechWav: string;
  let clippedWav: string;

  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-e2e-record-'));
    await fs.mkdir(path.join(tmp, 'data'));
    server = await startWebServer({ port: 0, dataDir: path.join(tmp, 'data') });
    project = path.join(tmp, 'voice');
    await createProject(project, { name: 'my voice' });
    const s = await speech();
    speechWav = path.join(tmp, 'speech.wav');
    clippedWav = path.join(tmp, 'clipped.wav');
    await fs.writeFile(speechWav, encodeWav(s, RATE));
    const peak = s.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    await fs.writeFile(clippedWav, encodeWav(s.map((v) => (v / peak) * 6), RATE)); // encodeWav clamps: flat tops at full scale
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  async function session(wav: string, fn: (page: Page) => Promise<void>): Promise<void> {
    const browser = await launchWithMic(wav);
    try {
      const context = await newStudioContext(browser);
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      page.on('response', (r) => {
        if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url().replace(server.url, '/')}`);
      });
      await page.goto(server.openUrl);
      await page.getByLabel('Project folder').fill(project);
      await page.getByLabel('Project folder').press('Enter');
      await page.getByTestId('project-name').waitFor();
      await page.locator('[data-nav="record"]').click();
      await page.locator('.app[data-view="record"]').waitFor();
      await page.getByRole('button', { name: 'Use the microphone' }).click();
      await expect.poll(() => page.getByTestId('sample-rate').textContent()).toMatch(/recording at \d+ Hz/);
      await page.getByRole('button', { name: 'Check room tone' }).click();
      await page.getByTestId('noise-floor').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('noise-floor').textContent()).toMatch(/^-?\d+(\.\d)? dBFS$/);
      await fn(page);
    } catch (e) {
      const banner = await viewBanners(browser);
      const srcs = await Promise.all((await manifestOf(project)).sources.map(async (x) => {
        const w = decodeWav(new Uint8Array(await fs.readFile(path.join(project, x.storedPath))));
        return `${x.id} ${w.sampleRate} Hz ${w.channels.length} ch peak ${w.channels[0]!.reduce((m, v) => Math.max(m, Math.abs(v)), 0)}`;
      }));
      errors.push(`sources: ${srcs.join('; ')}`);
      const clips = (await manifestOf(project)).clips.map((c) => `${c.id} ${c.durationSeconds}s peak ${c.qa?.peakDbfs} clip ${c.qa?.clippingRatio} [${c.qa?.flags.join(',')}]`);
      throw new Error(`${(e as Error).message}\nOn the page: ${banner}\nClips: ${clips.join('; ')}\nErrors: ${errors.join(' | ')}`, { cause: e });
    } finally {
      await browser.close();
    }
  }

  /** Space, read for `seconds`, Space; resolves with the new take's clip id once it is saved and checked. */
  async function recordTake(page: Page, seconds = 2.5): Promise<string> {
    const result = page.getByTestId('take-result');
    const before = (await result.count()) ? await result.getAttribute('data-clip') : null;
    await page.locator('body').click({ position: { x: 5, y: 5 } }).catch(() => undefined);
    await page.keyboard.press('Space');
    await page.locator('.record-view[data-phase="recording"]').waitFor();
    await page.waitForTimeout(seconds * 1000);
    await page.keyboard.press('Space');
    await page.locator('.record-view[data-phase="ready"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('take-result').getAttribute('data-clip')).not.toBe(before);
    const ms = Number(/(\d+) ms after Stop/.exec((await page.getByTestId('save-ms').textContent()) ?? '')?.[1]);
    saveTimes.push(ms);
    return (await page.getByTestId('take-result').getAttribute('data-clip'))!;
  }

  it('flags a clipped take at once, offers it first in the next session, and a retake replaces it; clips, texts and sources/ on disk', async () => {
    let clippedPrompt = '';
    let clippedClip = '';
    await session(clippedWav, async (page) => {
      clippedPrompt = (await page.getByTestId('prompt-text').textContent())!;
      clippedClip = await recordTake(page);
      await expect.poll(() => page.getByTestId('take-problems').textContent()).toMatch(/Too loud: the peaks clipped/);
      // A flagged take stays on its prompt for a retake.
      expect(await page.getByTestId('prompt-text').textContent()).toBe(clippedPrompt);
      await fs.mkdir(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, 'record-clipped.png') });
    });

    const recorded: { text: string; clip: string }[] = [];
    await session(speechWav, async (page) => {
      // The flagged prompt of the last session comes first, with its flags.
      expect(await page.getByTestId('prompt-text').textContent()).toBe(clippedPrompt);
      expect(await page.getByTestId('take-problems').textContent()).toMatch(/Too loud/);
      expect(await page.getByTestId('record-button').textContent()).toMatch(/Retake/);
      const retake = await recordTake(page);
      expect(await page.getByTestId('take-problems').count()).toBe(0); // clean: and the view moved on
      recorded.push({ text: clippedPrompt, clip: retake });
      for (let i = 0; i < 2; i++) {
        const text = (await page.getByTestId('prompt-text').textContent())!;
        expect(recorded.map((r) => r.text)).not.toContain(text);
        const clip = await recordTake(page);
        const problems = (await page.getByTestId('take-problems').count()) ? await page.getByTestId('take-problems').textContent() : '';
        expect(problems).not.toMatch(/Too loud/);
        recorded.push({ text, clip });
        if (await page.getByTestId('take-problems').count()) await page.keyboard.press('ArrowRight');
      }
      await expect.poll(() => page.getByTestId('record-goal').textContent()).toMatch(/^\d+ s of 30 min recorded — about \d+ more sessions? of 30 minutes$/);
      expect(await page.getByTestId('coverage').textContent()).toMatch(/Coverage: [1-9]\d* of \d+ sounds, [1-9]\d* of \d+ sound pairs/);
      // Playback of the take: the clip itself, served from the project.
      const playable = await page.getByTestId('take-audio').evaluate(async (a: HTMLAudioElement) => {
        if (a.readyState < 1) await new Promise((r) => a.addEventListener('loadedmetadata', r, { once: true }));
        return a.duration;
      });
      expect(playable).toBeGreaterThan(1);
      await page.screenshot({ path: path.join(screenshotDir, 'record.png') });
    });

    const m = await manifestOf(project);
    expect(m.clips.map((c) => [c.text, c.id])).toEqual(recorded.map((r) => [r.text, r.clip]));
    expect(m.clips.some((c) => c.id === clippedClip)).toBe(false);
    expect(m.clips.every((c) => c.origin === 'record' && c.status === 'transcribed')).toBe(true);
    for (const c of m.clips) {
      const h = parseWavHeader(new Uint8Array(await fs.readFile(path.join(project, c.wav))));
      expect([h.sampleRate, h.channelCount, h.bitsPerSample]).toEqual([22050, 1, 16]);
    }
    // Every take's original, the clipped one included, byte for byte as the page sent it (its sha256 is its record's).
    expect(m.sources).toHaveLength(4);
    for (const s of m.sources) {
      const bytes = new Uint8Array(await fs.readFile(path.join(project, s.storedPath)));
      expect(s.storedPath.startsWith('sources/')).toBe(true);
      expect(decodeWav(bytes).sampleRate).toBe(s.sampleRate);
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(s.sha256);
    }
    expect(await fs.access(path.join(project, `wavs/${clippedClip}.wav`)).then(() => true, () => false)).toBe(false);
    console.log(`Record e2e: Stop → saved and checked, as the page saw it: ${saveTimes.join(', ')} ms (takes of 2.5 s)`);
    expect(errors).toEqual([]);
  }, 120_000);
});
