import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startWebServer, type WebServer } from '../../electron/web/server';
import { createProject } from '../../electron/services/projectStore';
import { importRecordings } from '../../electron/services/prepare/importRecordings';
import { encodeWav } from '../../shared/dsp/wav';
import { speechLike } from './generatedAudio';

/**
 * End-to-end harness: the web-mode server (in this process, on a free port, against a temp data
 * folder) and Debian's Chromium driven by playwright-core. Shared by every *.e2e.ts.
 *
 *   const studio = await launchStudio();
 *   await studio.page.getByRole('button', { name: 'Create project' }).click();
 *   await studio.screenshot('start');
 *   await studio.close();
 *
 * Suites call `describe.skipIf(!canRunE2e)` so machines without Chromium skip cleanly.
 */
export const CHROMIUM = process.env.FORMANT_CHROMIUM ?? '/usr/bin/chromium';
export const canRunE2e = existsSync(CHROMIUM);

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');
/** ../shared/data (LJSpeech); absent on some machines: tests using it must skip. */
export const sharedDataDir = path.resolve(repoRoot, '..', 'shared', 'data');

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--mute-audio',
  // Let <audio>/WebAudio start without a user gesture (tests click programmatically).
  '--autoplay-policy=no-user-gesture-required',
];

export interface Studio {
  server: WebServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Temp folder for this run: data dir, projects, exports (removed by close()). */
  tmp: string;
  dataDir: string;
  /** Page errors, console errors, failed asset/media requests and 5xx answers seen so far (tests assert there are none). */
  errors: string[];
  /** API calls answered with a 4xx ServiceError (expected in some flows; shown by the views). */
  apiRefusals: string[];
  /** Saves test-output/screenshots/<name>.png and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** Reuse an existing temp folder (its data/ subfolder is the app data dir). */
  tmp?: string;
}

export async function launchBrowser(): Promise<Browser> {
  // playwright-core gives every launch a fresh temporary profile (its own --user-data-dir) and removes it on close.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A browser context for the studio. The init script defines `__name`, which esbuild (tsx) inserts
 * around named functions inside page.evaluate callbacks and which the page does not have.
 */
export async function newStudioContext(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  await context.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  return context;
}

export async function launchStudio(opts: LaunchOptions = {}): Promise<Studio> {
  const tmp = opts.tmp ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'formant-e2e-')));
  const dataDir = path.join(tmp, 'data');
  await fs.mkdir(dataDir, { recursive: true });
  const server = await startWebServer({ port: 0, dataDir });
  const browser = await launchBrowser();
  const context = await newStudioContext(browser, opts.viewport);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // Failed requests are reported below with their URL, which the console message lacks.
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  // Missing assets/media and server failures are errors; an API method answering 4xx is a
  // ServiceError the view is expected to show (e.g. "no such run"), so it is kept apart.
  const apiRefusals: string[] = [];
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const line = `HTTP ${r.status()} ${r.request().method()} ${decodeURIComponent(r.url().replace(server.url, '/'))}`;
    if (r.url().startsWith(`${server.url}api/`) && r.status() < 500) apiRefusals.push(line);
    else errors.push(line);
  });
  await page.goto(server.openUrl);
  await page.waitForSelector('.app');
  return {
    server,
    browser,
    context,
    page,
    tmp,
    dataDir,
    errors,
    apiRefusals,
    async screenshot(name) {
      await fs.mkdir(screenshotDir, { recursive: true });
      const file = path.join(screenshotDir, `${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      if (!opts.tmp) await fs.rm(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Simulates dropping files on the window, the way a person drags them from a file manager:
 * builds File objects in the page from bytes read here and dispatches dragenter/dragover/drop
 * with a DataTransfer holding them. `name` may contain folders ("session/take1.wav").
 */
export async function dropFiles(page: Page, files: { name: string; bytes: Uint8Array; type?: string }[]): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, type: f.type ?? guessType(f.name), b64: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = atob(it.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const file = new File([bytes], it.name.split('/').pop()!, { type: it.type });
      // A dropped folder's files carry their path inside the drop.
      if (it.name.includes('/')) Object.defineProperty(file, 'webkitRelativePath', { value: it.name });
      dt.items.add(file);
    }
    const target = document.querySelector('.view') ?? document.body;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, payload);
}

function guessType(name: string): string {
  if (/\.wav$/i.test(name)) return 'audio/wav';
  if (/\.(txt|lab)$/i.test(name)) return 'text/plain';
  if (/\.csv$/i.test(name)) return 'text/csv';
  return 'application/octet-stream';
}

/** A new project opened from the Start screen, then one view: the setup the view specs share. */
export async function openNewProject(studio: Studio, projectDir: string, name: string, view: string): Promise<void> {
  await createProject(projectDir, { name });
  const { page } = studio;
  await page.getByLabel('Project folder').fill(projectDir);
  await page.getByLabel('Project folder').press('Enter');
  await page.getByTestId('project-name').waitFor();
  await page.locator(`[data-nav="${view}"]`).click();
  await page.locator(`.app[data-view="${view}"]`).waitFor();
}

/** One generated take: `seconds` of speech-like audio (seeded) and its transcript. */
export interface Take {
  name: string;
  seconds: number;
  seed: number;
  text: string;
}

/**
 * A project of generated takes (WAV + .txt each, 22050 Hz) imported by the real import service, in
 * `<studio tmp>/projects/<name>`: the setup most view journeys start from. Returns the project folder.
 */
export async function importedProject(studio: Studio, name: string, takes: Take[]): Promise<string> {
  const rec = path.join(studio.tmp, 'recordings', name);
  await fs.mkdir(rec, { recursive: true });
  for (const t of takes) {
    await fs.writeFile(path.join(rec, `${t.name}.wav`), encodeWav(speechLike(t.seconds, 22050, t.seed), 22050));
    await fs.writeFile(path.join(rec, `${t.name}.txt`), t.text + '\n');
  }
  const projectDir = path.join(studio.tmp, 'projects', name);
  const r = await importRecordings(projectDir, [rec]);
  if (r.failed) throw new Error(`importing the generated takes failed for ${r.failed} file(s)`);
  return projectDir;
}

/** Opens a project by typing its folder on the Start screen, as a person does; waits for the Dataset view. */
export async function openProject(page: Page, dir: string): Promise<void> {
  await page.evaluate(() => (window.location.hash = '#/start'));
  await page.getByLabel('Project folder').fill(dir);
  await page.getByLabel('Project folder').press('Enter');
  await page.getByTestId('dataset-view').waitFor();
}

/** Waits until the editor shows `id` with its audio loaded and nothing left to save. */
export async function editorSettled(page: Page, id: string) {
  try {
    await page.waitForFunction(
      (clip) =>
        document.querySelector('[data-testid="editor-clip-id"]')?.textContent === clip &&
        !!document.querySelector('.waveform-panel:not(.loading)') &&
        ['saved', 'idle'].includes(document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') ?? ''),
      id,
      { timeout: 45_000 },
    );
  } catch (e) {
    // Say which condition never came true (a CI run once timed out here after three quick undos).
    const state = await page
      .evaluate(() => ({
        clip: document.querySelector('[data-testid="editor-clip-id"]')?.textContent ?? null,
        waveformLoading: !!document.querySelector('.waveform-panel.loading'),
        waveformPanel: !!document.querySelector('.waveform-panel'),
        saveState: document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') ?? null,
        notice: document.querySelector('.notice')?.textContent ?? null,
        hash: window.location.hash,
        view: document.querySelector('.app')?.getAttribute('data-view') ?? null,
        body: document.body.innerText.slice(0, 300),
      }))
      .catch((err: Error) => ({ evaluateFailed: err.message }));
    await page.screenshot({ path: path.join(screenshotDir, 'editor-unsettled.png') }).catch(() => undefined);
    throw new Error(`editor did not settle on ${id}: ${JSON.stringify(state)} (${(e as Error).message.split('\n')[0]})`, { cause: e });
  }
}
