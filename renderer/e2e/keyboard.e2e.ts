import type { Page } from 'playwright-core';
import { canRunE2e, importedProject, launchStudio, openProject, type Studio } from './harness';

/**
 * Every control can be reached with the keyboard (issue 19 #9). In each view of a project with clips, Tab walks
 * the page from the top until focus comes back round; every visible, enabled control (buttons, links, fields,
 * [tabindex>=0], ARIA widgets) must have had the focus at least once, and focus must never fall to <body> on
 * the way. A second check looks for things that answer a mouse click (a React onClick/onMouseDown) but cannot
 * take the focus and hold no control that can: a person without a mouse could not use them.
 *
 * Left out on purpose, with the keys that stand in for the mouse there:
 * - the editor's waveform and mel view (click to place the cursor): ← / → move the cursor, I / O set the trim in
 *   and out, Space plays (keymap.ts; the editor's help line lists them);
 * - the editor's recording strip, whose clip marks open a clip on click (tabIndex -1, so a long recording's
 *   hundred clips are not a hundred Tab stops): PgUp / PgDn step through the clips, listed in the help line;
 * - the clip table's rows: the table body takes the focus once and ↑ / ↓ / Shift / Enter / Delete act on rows
 *   (ClipTable's onKeyDown), so the rows themselves are not Tab stops.
 */
const CONTROLS =
  'button, a[href], input:not([type="hidden"]), select, textarea, [tabindex], [role="button"], [role="slider"], [role="tab"], [role="checkbox"], [role="switch"], [role="link"], [role="menuitem"], [role="option"], [contenteditable="true"]';

/** Marks every visible, enabled control under `root` with data-kbd-id and returns id → accessible-ish name. */
function markControls(page: Page, root = '.app'): Promise<Record<string, string>> {
  return page.evaluate(({ selector, root }) => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-kbd-id]')) delete el.dataset.kbdId;
    const out: Record<string, string> = {};
    let n = 0;
    for (const el of document.querySelectorAll<HTMLElement>(`${root} ${selector.split(', ').join(`, ${root} `)}`)) {
      if (el.hasAttribute('disabled') || el.getAttribute('aria-disabled') === 'true' || el.closest('[inert], fieldset[disabled]')) continue;
      const ti = el.getAttribute('tabindex');
      if (ti !== null && Number(ti) < 0) continue; // Deliberately not a Tab stop (a roving row, a focus target for Esc): checked below if clickable.
      if (el instanceof HTMLInputElement && el.type === 'file' && el.hidden) continue; // Opened by its visible "Choose…" button.
      const r = el.getBoundingClientRect();
      const st = getComputedStyle(el);
      if (!r.width || !r.height || st.visibility === 'hidden' || st.display === 'none') continue;
      const id = String(n++);
      el.dataset.kbdId = id;
      const label =
        el.getAttribute('aria-label') ||
        (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent) ||
        el.closest('label')?.textContent ||
        el.getAttribute('title') ||
        el.getAttribute('placeholder') ||
        el.textContent ||
        '';
      out[id] = `${el.tagName.toLowerCase()}${el.getAttribute('role') ? `[role=${el.getAttribute('role')}]` : ''} "${label.trim().replace(/\s+/g, ' ').slice(0, 50)}"`;
    }
    return out;
  }, { selector: CONTROLS, root });
}

/** Presses Tab from the top of the page until the focus is back on the first control. */
async function tabWalk(page: Page, max: number): Promise<{ reached: Set<string>; onBody: number[]; steps: number }> {
  // The top of the page: the first control (the sidebar's first view), where a Tab from the address bar lands.
  await page.evaluate(() => document.querySelector<HTMLElement>('[data-kbd-id="0"]')?.focus());
  const reached = new Set<string>(['0']);
  const onBody: number[] = [];
  let first: string | null = '0';
  let wrapped = false; // The last step was on <body>.
  let steps = 0;
  for (; steps < max; steps++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      if (!a || a === document.body) return { body: true, id: null, tag: 'body' };
      return { body: false, id: a.dataset.kbdId ?? null, tag: `${a.tagName}#${a.className}` };
    });
    const key = at.id ?? at.tag;
    if (at.body) {
      // Past the last control the focus leaves the page (to the browser's own UI) and the next Tab comes back to
      // the first one: that is the end of the walk. Anywhere else, <body> means the focus was dropped.
      if (wrapped) onBody.push(steps);
      wrapped = first !== null;
      continue;
    }
    if (first === null) first = key;
    else if (key === first) break;
    if (wrapped) onBody.push(steps - 1);
    wrapped = false;
    if (at.id) reached.add(at.id);
  }
  return { reached, onBody, steps };
}

/** Things with a click handler that cannot take the focus and contain nothing that can. */
function clickOnly(page: Page): Promise<string[]> {
  return page.evaluate((selector) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.app *')) {
      // React keeps an element's props on it (__reactProps$<random>): the only way to see a delegated onClick from the page.
      const key = Object.keys(el).find((k) => k.startsWith('__reactProps$'));
      if (!key) continue;
      const props = (el as unknown as Record<string, Record<string, unknown>>)[key];
      if (!props || !(props.onClick || props.onMouseDown || props.onPointerDown || props.onDoubleClick)) continue;
      if (el.matches(selector) && Number(el.getAttribute('tabindex') ?? 0) >= 0) continue;
      if (el.tagName === 'CANVAS' || el.matches('.mel-frame')) continue; // The editor's waveform and mel: ← / → / I / O / Space.
      if (el.matches('.rec-clip')) continue; // The editor's recording strip: PgUp / PgDn open the other clips.
      if (el.matches('.clip-row, .clip-row *')) continue; // Rows: the focused table body's ↑ / ↓ / Enter.
      if (el.querySelector(selector)) continue; // Holds a control that does the same for the keyboard.
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      found.push(`${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\s+/).join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`);
    }
    return found;
  }, CONTROLS);
}

describe.skipIf(!canRunE2e)('keyboard: every control in every view', () => {
  let studio: Studio;
  let projectDir: string;
  beforeAll(async () => {
    studio = await launchStudio();
    projectDir = await importedProject(studio, 'keys', [0, 1, 2].map((i) => ({ name: `take-${i + 1}`, seconds: 2 + i, seed: i + 3, text: 'The lamp was lit at dusk, and ships passed safely through the night.' })));
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('Tab reaches every visible, enabled control, never drops to <body>, and nothing is mouse-only', async () => {
    const { page } = studio;
    await openProject(page, projectDir);
    const views = await page.locator('[data-nav]:not([disabled])').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')!));
    expect(views).toEqual(expect.arrayContaining(['dataset', 'editor', 'align', 'synthesize', 'train', 'record']));
    const missed: Record<string, string[]> = {};
    const bodyAt: Record<string, number[]> = {};
    const mouseOnly: Record<string, string[]> = {};
    for (const view of [...views.filter((v) => v !== 'start'), 'start']) {
      await page.locator(`[data-nav="${view}"]`).click();
      await page.locator(`.app[data-view="${view}"]`).waitFor();
      if (view === 'dataset') await page.locator('.clip-row').first().click(); // A selection: "Edit clip" and the bulk actions appear.
      if (view === 'editor') await page.locator('.waveform-panel:not(.loading)').waitFor();
      await page.waitForTimeout(300);
      const controls = await markControls(page);
      const walk = await tabWalk(page, Object.keys(controls).length + 15);
      const notReached = Object.entries(controls)
        .filter(([id]) => !walk.reached.has(id))
        .map(([, name]) => name);
      if (notReached.length) missed[view] = notReached;
      if (walk.onBody.length) bodyAt[view] = walk.onBody;
      const clicks = await clickOnly(page);
      if (clicks.length) mouseOnly[view] = clicks;
    }
    expect(missed).toEqual({});
    expect(bodyAt).toEqual({});
    expect(mouseOnly).toEqual({});
    expect(studio.errors).toEqual([]);
  }, 40_000);

  it('a dialog keeps Tab inside itself, reaches all its controls, and gives the focus back on Esc', async () => {
    const { page } = studio;
    await page.locator('[data-nav="dataset"]').click();
    const opener = page.getByRole('button', { name: 'Export…' });
    await opener.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    const controls = await markControls(page, '[role="dialog"]');
    expect(Object.keys(controls).length).toBeGreaterThan(2);
    const reached = new Set<string>();
    const outside: string[] = [];
    // Twice round and then some, forwards and back: the focus must stay in the dialog the whole way.
    for (const key of [...Array(2 * Object.keys(controls).length + 2).fill('Tab'), ...Array(Object.keys(controls).length + 2).fill('Shift+Tab')]) {
      await page.keyboard.press(key);
      const at = await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return { inside: !!a?.closest('[role="dialog"]'), id: a?.dataset.kbdId ?? null, name: `${a?.tagName.toLowerCase()} "${(a?.textContent ?? '').trim().slice(0, 30)}"` };
      });
      if (!at.inside) outside.push(`${key}: ${at.name}`);
      if (at.id) reached.add(at.id);
    }
    expect(outside).toEqual([]);
    expect(Object.entries(controls).filter(([id]) => !reached.has(id)).map(([, n]) => n)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(studio.errors).toEqual([]);
  });
});
