import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { canRunE2e, launchStudio, openNewProject, repoRoot, type Studio } from './harness';

/**
 * Work kept across a reload (issue 19 #7): a synthesis made in a project is kept with it (synthesis/<id>.wav and
 * synthesis/index.json), so after a reload the history still lists it and it plays. The device line says
 * "Running on CPU" with the engine's words behind a disclosure (#6).
 */
const hasDemoVoice = existsSync(path.join(repoRoot, 'resources', 'voices', 'demo', 'voice.json'));
const TEXT = 'The lamp was lit at dusk.';

/** Plays the row's <audio> until 0.2 s have passed; its duration and any load error. */
function play(audio: Locator) {
  return audio.evaluate(
    (a: HTMLAudioElement) =>
      new Promise<{ duration: number; currentTime: number; error: string | null }>((resolve) => {
        const done = () => resolve({ duration: a.duration, currentTime: a.currentTime, error: a.error ? `${a.error.code} ${a.error.message}` : null });
        a.addEventListener('error', done, { once: true });
        a.addEventListener('timeupdate', () => a.currentTime > 0.2 && (a.pause(), done()));
        a.preload = 'auto';
        void a.play().catch(done);
        setTimeout(done, 15_000);
      }),
  );
}

describe.skipIf(!canRunE2e || !hasDemoVoice)('synthesis history kept with the project', () => {
  let studio: Studio;
  let projectDir: string;
  beforeAll(async () => {
    studio = await launchStudio();
    projectDir = path.join(studio.tmp, 'projects', 'history-e2e');
    await openNewProject(studio, projectDir, 'History e2e', 'synthesize');
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('synthesize, reload: the entry is still listed and plays from the project', async () => {
    const { page } = studio;
    await page.waitForFunction(() => (document.querySelector('select[aria-label="Voice"]') as HTMLSelectElement | null)?.value);
    await page.getByLabel('Text to synthesize').fill(TEXT);
    await page.locator('.synth-actions').getByRole('button', { name: 'Synthesize', exact: true }).click();
    await page.locator('.synth-history-row').first().waitFor({ timeout: 45_000 });
    // the engine's provider note is one line for people, its details behind a disclosure
    const device = page.getByTestId('synth-device');
    await device.waitFor();
    expect(await device.locator('summary').textContent()).toMatch(/^Running on (CPU|the GPU \(\w+\))$/);
    expect(await page.locator('.synth-notes').evaluate((el) => (el as HTMLElement).innerText)).not.toMatch(/ONNXRUNTIME_NODE_INSTALL|providers_cuda/);

    // kept on disk: the index names the WAV
    await expect.poll(async () => JSON.parse(await fs.readFile(path.join(projectDir, 'synthesis', 'index.json'), 'utf8').catch(() => '{"entries":[]}')).entries.length, { timeout: 10_000 }).toBe(1);
    const [kept] = JSON.parse(await fs.readFile(path.join(projectDir, 'synthesis', 'index.json'), 'utf8')).entries;
    expect(kept.text).toBe(TEXT);
    expect((await fs.readFile(path.join(projectDir, kept.wav))).subarray(0, 4).toString()).toBe('RIFF');

    await page.reload();
    await page.locator('.app[data-view="synthesize"]').waitFor();
    const row = page.locator('.synth-history-row');
    await row.first().waitFor({ timeout: 15_000 });
    expect(await row.count()).toBe(1);
    expect(await row.locator('.synth-history-text').textContent()).toContain(TEXT);
    const played = await play(row.locator('audio'));
    expect(played.error).toBeNull();
    expect(played.duration).toBeCloseTo(kept.durationSeconds, 0);
    expect(played.currentTime).toBeGreaterThan(0.2);
    expect(studio.errors).toEqual([]);
  }, 90_000);
});
