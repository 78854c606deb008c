/**
 * `npm run bench:ui`: the studio's two interactive targets, measured in headless Chromium
 * against web mode (a benchmark, not a test: it prints numbers and ratios, never fails on them).
 *   1. time to first waveform for a 2-hour WAV (target < 3 s): open the clip in the editor and
 *      wait until the waveform panel reports ready (peaks drawn), cold then warm; then, zoomed in to
 *      about a minute on screen, the time from a scroll until the mel view shows that window
 *      (computed in the worker from an HTTP range of the WAV; target ≈ 1 s);
 *   2. frame times while scrolling a 10 000-clip table (target: 60 fps at the median), against a
 *      reference run that scrolls a plain page in the same browser (what this machine can do at all).
 * Everything is generated into a temp folder and removed afterwards. Options: --keep, --hours N, --clips N.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ClipRecord, Manifest, SourceRecord } from '../shared/contract/manifest';
import { encodeWav } from '../shared/dsp/wav';
import { createProject, loadManifest, saveManifest } from '../electron/services/projectStore';
import { startWebServer } from '../electron/web/server';
import { canRunE2e, launchBrowser, newStudioContext, CHROMIUM } from '../renderer/e2e/harness';
import { speechLike } from '../renderer/e2e/generatedAudio';
import { MelRenderer } from '../renderer/src/views/editor/melRenderer';
import { requestWindow } from '../renderer/src/views/editor/viewWindow';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const HOURS = opt('hours', 2);
const CLIPS = opt('clips', 10_000);
const KEEP = args.includes('--keep');
const SR = 22050;

/** Streams a long 16-bit mono WAV made of a repeated minute of speech-like signal. */
async function writeLongWav(file: string, seconds: number): Promise<string> {
  const minute = encodeWav(speechLike(60, SR, 7), SR).subarray(44);
  const total = Math.round(seconds * SR) * 2;
  const header = encodeWav(new Float32Array(0), SR).subarray(0, 44);
  const h = Buffer.from(header);
  h.writeUInt32LE(36 + total, 4);
  h.writeUInt32LE(total, 40);
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const write = (b: Uint8Array) => {
    hash.update(b);
    return out.write(b) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  };
  await write(h);
  for (let left = total; left > 0; left -= minute.length) await write(left >= minute.length ? minute : minute.subarray(0, left));
  await new Promise<void>((r, j) => out.end((e?: Error) => (e ? j(e) : r())));
  return hash.digest('hex');
}

function source(id: string, storedPath: string, sha: string, bytes: number, seconds: number): SourceRecord {
  const now = new Date().toISOString();
  return { id, originalPath: `/bench/${id}.wav`, storedPath, sha256: sha, bytes, importedAt: now, durationSeconds: seconds, sampleRate: SR, channels: 1, codec: 'pcm_s16le', status: 'ok' };
}

function clip(id: string, sourceId: string, start: number, end: number, wav: string, text: string | null): ClipRecord {
  const now = new Date().toISOString();
  return { id, sourceId, sourceStart: start, sourceEnd: end, wav, durationSeconds: end - start + 1, text, status: text ? 'transcribed' : 'untranscribed', origin: 'import', createdAt: now, updatedAt: now };
}

async function longProject(dir: string): Promise<void> {
  await createProject(dir, { name: 'Bench: 2-hour clip' });
  const seconds = HOURS * 3600;
  const wav = path.join(dir, 'wavs', 'long.wav');
  const t = Date.now();
  const sha = await writeLongWav(wav, seconds);
  await fs.link(wav, path.join(dir, 'sources', 'long.wav')).catch(() => fs.copyFile(wav, path.join(dir, 'sources', 'long.wav')));
  const bytes = (await fs.stat(wav)).size;
  const m = await loadManifest(dir);
  m.sources.push(source('long', 'sources/long.wav', sha, bytes, seconds));
  m.clips.push({ ...clip('long', 'long', 0, seconds, 'wavs/long.wav', 'A two hour recording.'), durationSeconds: seconds });
  await saveManifest(dir, m);
  console.log(`  generated ${HOURS} h WAV (${(bytes / 1024 ** 2).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const WORDS = 'the of and to in was he that it his had with as for on by at not from which were but this all be been is or have an they their who one so when into could more after them said upon'.split(' ');
async function tableProject(dir: string): Promise<void> {
  await createProject(dir, { name: `Bench: ${CLIPS} clips` });
  const m: Manifest = await loadManifest(dir);
  let rng = 42;
  const rand = () => ((rng = (rng * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  let t = 0;
  const clips: ClipRecord[] = [];
  for (let i = 0; i < CLIPS; i++) {
    const len = 1 + rand() * 11;
    const words = Array.from({ length: Math.round(len * 2.5) }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
    const c = clip(`bench-${String(i).padStart(5, '0')}`, 'src', t, t + len, `wavs/bench-${i}.wav`, rand() < 0.1 ? null : words[0].toUpperCase() + words.slice(1) + '.');
    if (rand() < 0.2) c.status = 'reviewed';
    clips.push(c);
    t += len + 0.3;
  }
  m.sources.push(source('src', 'sources/src.wav', '0'.repeat(64), 0, t));
  m.clips = clips;
  await saveManifest(dir, m);
}

async function openProject(page: Page, dir: string): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/start'));
  await page.getByLabel('Project folder').fill(dir);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.locator('.app[data-view="dataset"]').waitFor({ timeout: 60_000 });
}

/** ms from navigating to the editor until the waveform panel is ready and a frame has been painted. */
async function timeToWaveform(page: Page): Promise<number> {
  await page.evaluate(() => (window.location.hash = '#/dataset'));
  await page.locator('.app[data-view="dataset"]').waitFor();
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        window.location.hash = '#/editor/long';
        const limit = t0 + 120_000;
        const poll = () => {
          const ready = document.querySelector('.waveform-panel:not(.loading) [data-testid="waveform"]');
          if (ready) return requestAnimationFrame(() => resolve(performance.now() - t0));
          if (performance.now() > limit) return reject(new Error('waveform never became ready'));
          requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
  );
}

/** ms from scrolling the editor's waveform to `seconds` until the mel view is ready for that window. */
async function timeToMelAfterScroll(page: Page, seconds: number): Promise<{ ms: number; worker: number; read: number; frames: number }> {
  return page.evaluate(
    (at) =>
      new Promise<{ ms: number; worker: number; read: number; frames: number }>((resolve, reject) => {
        const host = document.querySelector('[data-testid="waveform"] > div') as HTMLElement;
        const scroller = host.shadowRoot!.querySelector('.scroll') as HTMLElement;
        const duration = Number(document.querySelector('[data-testid="editor-duration"]')?.textContent);
        const t0 = performance.now();
        scroller.scrollLeft = (at / duration) * scroller.scrollWidth;
        const poll = () => {
          const el = document.querySelector('[data-testid="mel-view"]')!;
          const [a, b] = (el.getAttribute('data-window') ?? '0-0').split('-').map(Number);
          if (el.getAttribute('data-state') === 'ready' && a <= at && b >= at + 10)
            return requestAnimationFrame(() => resolve({ ms: performance.now() - t0, worker: Number(el.getAttribute('data-ms')), read: Number(el.getAttribute('data-read-ms')), frames: Number(el.getAttribute('data-frames')) }));
          if (performance.now() - t0 > 30_000) return reject(new Error(`the mel view never showed ${at} s (${el.getAttribute('data-state')}, ${a}-${b})`));
          requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      }),
    seconds,
  );
}

/** Scrolls `selector` by `step` px per animation frame for `frames` frames; returns frame durations (ms). */
async function scrollFrames(page: Page, selector: string, frames: number, step: number): Promise<number[]> {
  return page.evaluate(
    ({ selector, frames, step }) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector(selector) as HTMLElement;
        const times: number[] = [];
        let last = 0;
        let n = 0;
        const tick = (t: number) => {
          if (last) times.push(t - last);
          last = t;
          el.scrollTop += step;
          if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) el.scrollTop = 0;
          if (++n <= frames) requestAnimationFrame(tick);
          else resolve(times);
        };
        requestAnimationFrame(tick);
      }),
    { selector, frames, step },
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function main(): Promise<void> {
  if (!canRunE2e) {
    console.error(`bench:ui needs Chromium at ${CHROMIUM} (or set FORMANT_CHROMIUM)`);
    process.exit(2);
  }
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'formant-bench-ui-'));
  console.log(`bench:ui (${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}) in ${tmp}`);
  const longDir = path.join(tmp, 'long');
  const tableDir = path.join(tmp, 'table');
  await longProject(longDir);
  await tableProject(tableDir);
  const server = await startWebServer({ port: 0, dataDir: path.join(tmp, 'data'), log: (l) => console.log(`  ${l}`) });
  const browser = await launchBrowser();
  try {
    const page = await (await newStudioContext(browser)).newPage();
    await page.goto(server.openUrl);
    await page.waitForSelector('.app');

    // 1. waveform
    await openProject(page, longDir);
    const cold = await timeToWaveform(page);
    const warm = [await timeToWaveform(page), await timeToWaveform(page)];
    console.log(`\ntime to first waveform, ${HOURS} h WAV (target < 3000 ms)`);
    console.log(`  cold: ${cold.toFixed(0)} ms (${(cold / 3000).toFixed(2)}× target)   warm median: ${median(warm).toFixed(0)} ms (${(median(warm) / 3000).toFixed(2)}× target)`);

    // 1b. mel of the visible window: fit, zoom in (1.5× per key) to about a minute on screen, scroll around.
    await page.getByTitle('Fit the whole clip').click();
    await page.getByTestId('clip-editor').focus();
    const fitPx = await page.evaluate(() => (document.querySelector('[data-testid="waveform"]') as HTMLElement).clientWidth / (Number(document.querySelector('[data-testid="editor-duration"]')?.textContent) || 1));
    const presses = Math.max(0, Math.ceil(Math.log(20 / fitPx) / Math.log(1.5)));
    for (let i = 0; i < presses; i++) await page.keyboard.press('+');
    await page.locator('[data-testid="mel-view"][data-state="ready"]').waitFor({ timeout: 60_000 });
    const spots = [0.25, 0.5, 0.75, 0.4, 0.9].map((f) => Math.round(f * HOURS * 3600));
    const mels = [];
    for (const at of spots) mels.push(await timeToMelAfterScroll(page, at));
    const px = await page.locator('.tb-zoom').textContent();
    const onScreen = (await page.evaluate(() => (document.querySelector('[data-testid="waveform"]') as HTMLElement).clientWidth)) / parseFloat(px ?? '20');
    console.log(`\nmel of the visible window after a scroll, ${HOURS} h WAV at ${px} (${onScreen.toFixed(0)} s on screen; target ≈ 1000 ms)`);
    console.log(`  scroll → mel drawn: median ${median(mels.map((m) => m.ms)).toFixed(0)} ms, max ${Math.max(...mels.map((m) => m.ms)).toFixed(0)} ms over ${mels.length} scrolls (${mels.map((m) => m.ms.toFixed(0)).join(', ')})`);
    console.log(`  of which the worker (range fetch + decode + mel + colours): median ${median(mels.map((m) => m.worker)).toFixed(0)} ms (reading the range ${median(mels.map((m) => m.read)).toFixed(0)} ms) for ${median(mels.map((m) => m.frames))} frames; the rest is the 120 ms settle wait and drawing`);
    // The same worker code in Node against the same server (no browser): what the computation itself costs here.
    const node = new MelRenderer((u, init) => fetch(u, { ...init, headers: { ...init?.headers, 'X-Formant-Token': server.token } }));
    const melUrl = `${server.url}media?project=${encodeURIComponent(longDir)}&path=${encodeURIComponent('wavs/long.wav')}`;
    const nodeMs: number[] = [];
    const nodeRead: number[] = [];
    for (const [i, at] of spots.entries()) {
      const w = requestWindow({ start: at, end: at + onScreen, pxPerSec: parseFloat(px ?? '20') }, HOURS * 3600);
      const t = performance.now();
      const r = await node.render({ id: i + 1, url: melUrl, preset: 'nvidia', start: w.start, end: w.end, columns: w.columns });
      if (!r.ok) throw new Error(r.error);
      nodeMs.push(performance.now() - t);
      nodeRead.push(r.readMs);
    }
    console.log(`  same windows, worker code in Node: median ${median(nodeMs).toFixed(0)} ms, reading ${median(nodeRead).toFixed(0)} ms (${nodeMs.map((m) => m.toFixed(0)).join(', ')})`);

    // 2. table scrolling, against a plain scrolling page as the reference
    await openProject(page, tableDir);
    const body = '[data-testid="clip-table-body"]';
    await page.locator(body).waitFor();
    await page.waitForTimeout(500);
    const table = await scrollFrames(page, body, 240, 48);
    const ref = await page.evaluate(() => {
      const d = document.createElement('div');
      d.id = 'bench-ref';
      d.style.cssText = 'position:fixed;inset:0;overflow:auto;z-index:99;background:#000';
      d.innerHTML = `<div style="height:400000px"></div>`;
      document.body.appendChild(d);
      return '#bench-ref';
    });
    const reference = await scrollFrames(page, ref, 240, 48);
    const mt = median(table);
    const mr = median(reference);
    console.log(`\nscrolling ${CLIPS.toLocaleString('en')} clips, 240 frames at 48 px/frame (target: median ≤ 16.7 ms, 60 fps)`);
    console.log(`  table:     median ${mt.toFixed(1)} ms (${(1000 / mt).toFixed(0)} fps)  p95 ${pct(table, 0.95).toFixed(1)} ms  max ${Math.max(...table).toFixed(1)} ms`);
    console.log(`  reference: median ${mr.toFixed(1)} ms (${(1000 / mr).toFixed(0)} fps)  p95 ${pct(reference, 0.95).toFixed(1)} ms   (empty scrolling page, same browser)`);
    console.log(`  ratio table/reference (median): ${(mt / mr).toFixed(2)}`);
  } finally {
    await browser.close();
    await server.close();
    if (KEEP) console.log(`kept ${tmp}`);
    else await fs.rm(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
