import path from 'node:path';
import type { Page } from 'playwright-core';
import { createProject } from '../../electron/services/projectStore';
import { canRunE2e, importedProject, launchStudio, openProject, type Studio } from './harness';

/**
 * A small laptop screen, 1024×700 (issue 19 #8): in every view nothing runs off the right edge — no horizontal
 * scrollbar on the page and no visible control cut off by the window (content inside its own scrolling box,
 * like a zoomed waveform, is fine). Screenshots: test-output/screenshots/small-<view>.png.
 */
interface Overflow {
  page: number;
  cut: string[];
}

/** Elements whose box pokes out past the window's right edge without a scrolling or clipping ancestor to hold it. */
function overflowIn(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const cut: string[] = [];
    // Inside a box that scrolls sideways (a zoomed waveform, a wide table) it can be reached; a box that hides
    // its overflow, or the window itself, cuts it off.
    const viewBoxes = new Set([document.querySelector('.main'), document.querySelector('.view'), document.querySelector('.view > *')]);
    const inScroller = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (viewBoxes.has(p)) continue;
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll') return true;
      }
      return false;
    };
    const hiddenBy = (el: Element, r: DOMRect): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if ((ox === 'hidden' || ox === 'clip') && r.right > p.getBoundingClientRect().right + 1) return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('.app *')) {
      const r = el.getBoundingClientRect();
      if (!r.width || !r.height) continue;
      const st = getComputedStyle(el);
      if (st.visibility === 'hidden' || st.display === 'none') continue;
      if (inScroller(el)) continue;
      if (r.right <= W + 1 && !hiddenBy(el, r)) continue;
      if (!['BUTTON', 'INPUT', 'SELECT', 'A', 'TEXTAREA', 'LABEL', 'CANVAS', 'SVG', 'IMG', 'SPAN', 'STRONG'].includes(el.tagName.toUpperCase())) continue;
      const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
      cut.push(`${name} right=${Math.round(r.right)} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
    }
    // The view's own boxes must not scroll sideways either: that is the page overflowing in another guise.
    for (const box of [document.querySelector('.main'), document.querySelector('.view'), document.querySelector('.view > *')]) {
      if (box && box.scrollWidth > box.clientWidth + 1) cut.push(`${box.className || box.tagName} scrolls sideways by ${box.scrollWidth - box.clientWidth}px`);
    }
    // The header's numbers stay on one line each ("3 clips", not "3" over "clips").
    for (const stat of document.querySelectorAll('.project-stats > span')) {
      const lh = parseFloat(getComputedStyle(stat).lineHeight) || 18;
      if ((stat as HTMLElement).offsetHeight > lh * 1.5) cut.push(`header stat wraps: "${stat.textContent}"`);
    }
    return { page: document.documentElement.scrollWidth - W, cut: cut.slice(0, 12) };
  });
}

describe.skipIf(!canRunE2e)('every view at 1024×700', () => {
  let studio: Studio;
  let projectDir: string;
  beforeAll(async () => {
    studio = await launchStudio({ viewport: { width: 1024, height: 700 } });
    const takes = [0, 1, 2].map((i) => ({ name: `take-${i + 1}`, seconds: 2.5 + i, seed: i + 3, text: 'The lamp was lit at dusk, and ships passed safely through the night.' }));
    projectDir = await importedProject(studio, 'A project with a rather long name for a small screen', takes);
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('start, dataset (a row selected), editor, align, synthesize, train: nothing cut off on the right', async () => {
    const { page } = studio;
    const results: Record<string, Overflow> = {};
    results.start = await overflowIn(page);
    await studio.screenshot('small-start');
    await openProject(page, projectDir);
    await page.locator('.clip-row').first().click(); // one selected: "Edit clip" joins the toolbar
    results.dataset = await overflowIn(page);
    await studio.screenshot('small-dataset');
    for (const view of ['editor', 'align', 'synthesize', 'train']) {
      await page.locator(`[data-nav="${view}"]`).click();
      await page.locator(`.app[data-view="${view}"]`).waitFor();
      await page.waitForTimeout(view === 'editor' ? 1500 : 500);
      results[view] = await overflowIn(page);
      await studio.screenshot(`small-${view}`);
    }
    const bad = Object.fromEntries(Object.entries(results).filter(([, o]) => o.page > 0 || o.cut.length));
    expect(bad).toEqual({});
    expect(studio.errors).toEqual([]);
  }, 60_000);

  it('empty states say what to do: a new project invites a drop; a search with no match offers to clear it', async () => {
    const { page } = studio;
    await page.locator('[data-nav="dataset"]').click();
    await page.getByTestId('dataset-search').fill('no clip says this');
    expect(await page.getByTestId('clip-empty').textContent()).toMatch(/^No clip matches these filters\./);
    await page.getByTestId('clip-empty').getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('.clip-row').first().waitFor();
    const empty = path.join(studio.tmp, 'projects', 'empty');
    await createProject(empty, { name: 'Empty' });
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await openProject(page, empty);
    expect(await page.getByTestId('clip-empty').textContent()).toMatch(/^No clips yet\. Drop recordings/);
    expect(studio.errors).toEqual([]);
  });
});
