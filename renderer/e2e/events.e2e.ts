import { canRunE2e, launchStudio, type Studio } from './harness';

/**
 * Job events survive a dropped event stream in a real browser: Chromium's EventSource reconnects by
 * itself and sends the last id it saw (Last-Event-ID); the server replays what it missed from its ring
 * (electron/web/eventLog.ts), so the page gets every event exactly once, in order, and no `reset`.
 */
describe.skipIf(!canRunE2e)('web event stream in the browser', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await launchStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('replays the events sent while the connection was down', async () => {
    const { page, server } = studio;
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[]; opens: number; es: EventSource };
      w.seen = [];
      w.opens = 0;
      w.es = new EventSource('events', { withCredentials: true });
      w.es.onopen = () => w.opens++;
      w.es.onmessage = (m) => {
        const e = JSON.parse(m.data as string);
        if (e.type === 'log' && String(e.message).startsWith('e2e ')) w.seen.push(e.message);
      };
      w.es.addEventListener('reset', () => w.seen.push('reset'));
    });
    await page.waitForFunction(() => (window as unknown as { opens: number }).opens === 1);
    const say = (n: number) => server.publish({ type: 'log', level: 'info', message: `e2e ${n}` });
    [1, 2, 3].forEach(say);
    await page.waitForFunction(() => (window as unknown as { seen: string[] }).seen.length === 3);
    // The server drops the stream; three events go out while nobody is connected.
    server.dropEventStreams();
    [4, 5, 6].forEach(say);
    await page.waitForFunction(() => (window as unknown as { opens: number }).opens === 2, null, { timeout: 10_000 });
    say(7);
    await page.waitForFunction(() => (window as unknown as { seen: string[] }).seen.length >= 7, null, { timeout: 10_000 });
    await page.waitForTimeout(200); // a duplicate would arrive now
    const seen = await page.evaluate(() => {
      const w = window as unknown as { seen: string[]; es: EventSource };
      w.es.close();
      return w.seen;
    });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `e2e ${n}`));
    expect(studio.errors).toEqual([]);
  });
});
