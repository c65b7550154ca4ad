// The JavaScript budget: a built chapter page ships no framework JS, only small scripts (theme, copy
// buttons, quiz, progress, search) of at most 10 KB gzip in total. Measures what each page type really
// loads in the browser (external and inline scripts, gzip level 9) and prints the figures.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gzipSync } from 'node:zlib';
import { launchBrowser, openPage, siteUrl, type Browser } from './harness.ts';

const BUDGET_BYTES = 10 * 1024;

interface PageScripts {
  path: string;
  files: { url: string; raw: number; gzip: number }[];
  inline: { raw: number; gzip: number };
  totalGzip: number;
}

let browser: Browser;
const measured: PageScripts[] = [];

async function measure(path: string): Promise<PageScripts> {
  const { page, close } = await openPage(browser, { allowFailures: ['/no-such-page/'] });
  const bodies = new Map<string, Buffer>();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    try {
      bodies.set(response.url(), await response.body());
    } catch {
      // A script that was cancelled has no body to count.
    }
  });
  await page.goto(siteUrl(path));
  await page.waitForLoadState('networkidle');
  const inlineText = await page.$$eval('script:not([src])', (scripts) =>
    (scripts as HTMLScriptElement[]).filter((s) => !s.type || s.type === 'module' || s.type === 'text/javascript').map((s) => s.textContent ?? '').join('\n'));
  await close();
  const files = [...bodies.entries()].map(([url, body]) => ({ url: new URL(url).pathname, raw: body.length, gzip: gzipSync(body, { level: 9 }).length }));
  const inline = { raw: Buffer.byteLength(inlineText), gzip: inlineText ? gzipSync(inlineText, { level: 9 }).length : 0 };
  return { path, files, inline, totalGzip: files.reduce((s, f) => s + f.gzip, 0) + inline.gzip };
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (measured.length) {
    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
    const lines = measured.map((m) => `  ${m.path.padEnd(28)} ${kb(m.totalGzip).padStart(9)} gzip (${m.files.length} file(s) + inline ${kb(m.inline.gzip)}) = ${(m.totalGzip / BUDGET_BYTES * 100).toFixed(0)}% of budget`);
    console.log(`JavaScript per page (gzip -9, budget ${kb(BUDGET_BYTES)}):\n${lines.join('\n')}`);
  }
});

describe('JavaScript budget', () => {
  it('chapter pages load at most 10 KB gzip of JavaScript and no framework runtime', async () => {
    const { page, close } = await openPage(browser);
    await page.goto(siteUrl('/'));
    const chapters = await page.$$eval('[data-chapter-progress] h3 a', (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    await close();
    expect(chapters.length).toBeGreaterThan(0);
    for (const path of chapters) {
      const m = await measure(path);
      measured.push(m);
      expect(m.totalGzip, `${path} loads ${m.totalGzip} bytes gzip of JS: ${m.files.map((f) => `${f.url} ${f.gzip}`).join(', ')}`).toBeLessThanOrEqual(BUDGET_BYTES);
      const framework = m.files.filter((f) => /react|preact|vue|svelte|solid|client\.[\w-]+\.js/i.test(f.url));
      expect(framework, `${path} loads framework JS`).toEqual([]);
    }
  });

  it('home, search and 404 pages stay within the same budget', async () => {
    for (const path of ['/', '/search/', '/search/?q=environment', '/no-such-page/']) {
      const m = await measure(path);
      measured.push(m);
      expect(m.totalGzip, `${path}: ${m.files.map((f) => `${f.url} ${f.gzip}`).join(', ')}`).toBeLessThanOrEqual(BUDGET_BYTES * (path.includes('?q=') ? 3 : 1));
    }
  });
});
