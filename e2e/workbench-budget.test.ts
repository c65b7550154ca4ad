// The workbench's budgets from issue 6, measured in one run in headless Chromium against the built site and
// printed as figures and ratios (never timed assertions): prompt-ready time vs the chapter page's load
// (median of 5), JS before the workbench starts loading and for the whole workbench (gzip), and editor
// typing latency while a deploy is being simulated vs idle. Byte budgets are asserted: they are deterministic.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gzipSync } from 'node:zlib';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage, siteUrl, type Browser, type Page } from './harness.ts';

/** The built site's assets (E2E_DIST_DIR when the site under test was built elsewhere). */
const DIST_ASSETS = join(process.env.E2E_DIST_DIR ?? fileURLToPath(new URL('../dist', import.meta.url)), '_astro');
const LAB = 'eb-fundamentals';
const PRESET_LAB = 'procfile';
let browser: Browser;
const figures: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  console.log(`\nWorkbench budgets (one run, headless Chromium):\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** gzip size of a response body, as a server compressing it would send it. */
function gzipSize(body: Buffer): number {
  return gzipSync(body, { level: 9 }).length;
}

describe('workbench budgets', () => {
  it('prompt-ready time is measured against the chapter page load (median of 5)', async () => {
    const chapterLoads: number[] = [];
    const promptReady: number[] = [];
    const phases = new Map<string, number[]>();
    for (let i = 0; i < 5; i++) {
      const chapter = await openPage(browser);
      await chapter.page.goto(siteUrl('/chapters/fundamentals/'), { waitUntil: 'load' });
      chapterLoads.push(await chapter.page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
      await chapter.close();

      const lab = await openPage(browser);
      await lab.page.goto(siteUrl(`/labs/${LAB}/`));
      await lab.page.waitForSelector('[data-workbench][data-ready="true"]', { timeout: 60_000 });
      promptReady.push(await lab.page.evaluate(() => performance.getEntriesByName('workbench-ready')[0]?.startTime ?? performance.now()));
      const marks = await lab.page.evaluate(() => [
        ...performance.getEntriesByType('mark').filter((m) => /^(lab-|workbench-)/.test(m.name)).map((m) => [m.name, m.startTime] as const),
        ['DOMContentLoaded', (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd] as const,
      ]);
      for (const [name, at] of marks) phases.set(name, [...(phases.get(name) ?? []), at]);
      await lab.close();
    }
    const ratio = median(promptReady) / median(chapterLoads);
    figures.push(`chapter page load (median of 5): ${median(chapterLoads).toFixed(0)} ms`);
    figures.push(`lab page to usable prompt with the cloud ready (median of 5): ${median(promptReady).toFixed(0)} ms`);
    figures.push(`ratio prompt-ready / chapter load: ${ratio.toFixed(2)}x (budget: at most 3x)`);
    // A first visit to a lab whose cloud starts with a running environment restores the preset cloud its page
    // carries (built with the site): reported beside the budget's figure.
    const presetReady: number[] = [];
    for (let i = 0; i < 3; i++) {
      const lab = await openPage(browser);
      await lab.page.goto(siteUrl(`/labs/${PRESET_LAB}/`));
      await lab.page.waitForSelector('[data-workbench][data-ready="true"]', { timeout: 60_000 });
      presetReady.push(await lab.page.evaluate(() => performance.getEntriesByName('workbench-ready')[0]?.startTime ?? performance.now()));
      await lab.close();
    }
    figures.push(`... a lab starting from a running environment (${PRESET_LAB}, first visit; median of 3): ${median(presetReady).toFixed(0)} ms, ${(median(presetReady) / median(chapterLoads)).toFixed(2)}x`);
    figures.push('where the time goes (median ms after navigation start):');
    for (const [name, values] of [...phases].sort((a, b) => median(a[1]) - median(b[1]))) figures.push(`    ${median(values).toFixed(0).padStart(6)}  ${name}`);
    expect(promptReady.every((t) => t > 0)).toBe(true);
  }, 300_000);

  it('JS before the workbench starts loading stays within 100 KB gzip; the whole workbench is reported', async () => {
    const { page, context, close } = await openPage(browser);
    const scripts: Array<{ url: string; gzip: number; order: number; at: number }> = [];
    let order = 0;
    const pending: Promise<void>[] = [];
    context.on('requestfinished', (request) => {
      const url = request.url();
      if (!url.endsWith('.js') && !url.endsWith('.mjs')) return;
      const at = order++;
      // When the browser asked for it (its own clock, like the page's performance marks).
      const requested = request.timing().startTime;
      pending.push(
        (async () => {
          const response = await request.response();
          if (response) scripts.push({ url, gzip: gzipSize(await response.body()), order: at, at: requested });
        })().catch(() => undefined),
      );
    });
    await page.goto(siteUrl(`/labs/${LAB}/`));
    await page.waitForSelector('[data-workbench][data-ready="true"]', { timeout: 60_000 });
    const readyAt = await page.evaluate(() => performance.timeOrigin + (performance.getEntriesByName('workbench-ready')[0]?.startTime ?? performance.now()));
    // Once the prompt is up, the page asks the worker to preload the EB CLI and the SDK clients (what every lab's
    // first command needs): scripts requested after the ready mark are that preload.
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(1500);
    await Promise.all(pending);
    await close();
    scripts.sort((a, b) => a.order - b.order);
    const firstWorkbench = scripts.findIndex((s) => /\/(workbench|worker)[.-]/.test(s.url));
    expect(firstWorkbench, scripts.map((s) => s.url).join('\n')).toBeGreaterThanOrEqual(0);
    const sum = (list: typeof scripts) => list.reduce((total, s) => total + s.gzip, 0);
    const before = sum(scripts.slice(0, firstWorkbench));
    const untilPrompt = scripts.filter((s) => s.at <= readyAt);
    const preloaded = scripts.filter((s) => s.at > readyAt);

    // Everything the workbench may ever load: every chunk, including those a lab may never use (every just-bash
    // command, git, every editor language, every lab's checks).
    const assets = readdirSync(DIST_ASSETS).filter((f) => f.endsWith('.js'));
    const sitePages = new Set(scripts.slice(0, firstWorkbench).map((s) => s.url.split('/').pop()));
    const whole = assets.filter((f) => !sitePages.has(f) && !/astro_type_script|^(Quiz|search|home|theme|page)/i.test(f)).reduce((sum, f) => sum + gzipSize(readFileSync(join(DIST_ASSETS, f))), 0);

    figures.push(`JS before the workbench starts loading: ${kb(before)} gzip (budget: at most 100 KB)`);
    figures.push(`JS loaded until the prompt is ready (page + workbench + worker): ${kb(sum(untilPrompt))} gzip`);
    figures.push(`JS loaded after the prompt is up (the open file's editor language; the EB CLI and the AWS SDK clients, preloaded for the first command): ${kb(sum(preloaded))} gzip; page total ${kb(sum(scripts))}`);
    figures.push(`every chunk the workbench can load (all just-bash commands, git, editor languages, every lab's checks): ${kb(whole)} gzip`);
    figures.push('(what a learner’s browser loads to complete each lab is measured by e2e/labs.test.ts: budget under 800 KB)');
    for (const s of scripts) figures.push(`    ${kb(s.gzip).padStart(9)}  ${s.at <= readyAt ? 'prompt ' : 'preload'}  ${s.url.replace(/^.*\/_astro\//, '')}`);
    expect(before).toBeLessThanOrEqual(100 * 1024);
  }, 120_000);

  it('terminal output reaches assistive technology (xterm screen-reader mode: accessibility tree and live region)', async () => {
    const { page, close } = await openPage(browser);
    await page.goto(siteUrl(`/labs/${LAB}/`));
    await page.waitForSelector('[data-workbench][data-ready="true"]', { timeout: 60_000 });
    await page.getByRole('region', { name: 'Terminal' }).locator('.xterm-screen').click();
    // The answer is computed by the shell, so only real command output can contain it.
    await page.keyboard.type('echo screen-reader-check-$((6*7))');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-workbench]')?.dataset.commands ?? 0) >= 1);
    const terminal = page.getByRole('region', { name: 'Terminal' });
    await expect.poll(() => terminal.getByRole('listitem').filter({ hasText: /^screen-reader-check-42\s*$/ }).count()).toBe(1);
    await expect.poll(() => terminal.locator('[aria-live]').evaluateAll((els) => els.map((e) => e.textContent ?? '').join('\n'))).toContain('screen-reader-check-42');
    await close();
  }, 120_000);

  it('typing in the editor stays responsive while a deploy is simulated (the cloud runs in a worker)', async () => {
    const { page, close } = await openPage(browser);
    await page.goto(siteUrl(`/labs/${LAB}/`));
    await page.waitForSelector('[data-workbench][data-ready="true"]', { timeout: 60_000 });
    await page.evaluate(() => {
      const w = window as unknown as { __latencies: number[]; __longTasks: number[] };
      w.__latencies = [];
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: 'longtask', buffered: false });
      const content = document.querySelector('[data-wb="editor"] .cm-content')!;
      let pressed = 0;
      document.addEventListener('keydown', () => (pressed = performance.now()), true);
      new MutationObserver(() => {
        if (pressed) {
          // Latency until the next frame shows the change.
          const start = pressed;
          pressed = 0;
          requestAnimationFrame(() => w.__latencies.push(performance.now() - start));
        }
      }).observe(content, { childList: true, subtree: true, characterData: true });
    });
    const typeBurst = async (p: Page) => {
      await p.getByRole('textbox', { name: 'Editor' }).click();
      await p.keyboard.press('ControlOrMeta+End');
      for (let i = 0; i < 40; i++) await p.keyboard.type('x', { delay: 15 });
      const values = await p.evaluate(() => {
        const w = window as unknown as { __latencies: number[]; __longTasks: number[] };
        const out = { latencies: [...w.__latencies], longTasks: [...w.__longTasks] };
        w.__latencies = [];
        w.__longTasks = [];
        return out;
      });
      return values;
    };
    const idle = await typeBurst(page);
    // Start a deploy in the terminal, then type in the editor while it streams.
    await page.getByRole('region', { name: 'Terminal' }).locator('.xterm-screen').click();
    await page.keyboard.type('eb init pettracker-web --platform node.js-22 --region us-east-1');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('[data-workbench]')?.dataset.commands ?? 0) >= 1);
    await page.keyboard.type('eb create pettracker-web-staging');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('[data-workbench]')?.hasAttribute('data-busy'));
    const busy = await typeBurst(page);
    const deployStillRunning = await page.evaluate(() => document.querySelector('[data-workbench]')?.hasAttribute('data-busy'));
    await close();
    const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;
    figures.push(`editor keystroke-to-frame latency, idle: median ${median(idle.latencies).toFixed(1)} ms, p95 ${p95(idle.latencies).toFixed(1)} ms`);
    figures.push(`... while eb create is simulated${deployStillRunning ? '' : ' (deploy ended during the burst)'}: median ${median(busy.latencies).toFixed(1)} ms, p95 ${p95(busy.latencies).toFixed(1)} ms; ratio ${(median(busy.latencies) / Math.max(0.1, median(idle.latencies))).toFixed(2)}x`);
    figures.push(`main-thread long tasks during that burst: ${busy.longTasks.length} (longest ${Math.max(0, ...busy.longTasks).toFixed(0)} ms)`);
    expect(busy.latencies.length).toBeGreaterThan(0);
  }, 180_000);
});
