// Helpers for browser specs: launch Debian's Chromium with playwright-core, open pages on the site that
// e2e/run.mjs serves (recording console errors and failed requests), and run axe-core on a page.
// Used by e2e/site*.test.ts and e2e/labs*.test.ts; keep this API stable.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type { Browser, BrowserContext, Page };

/** Where Debian installs Chromium; override with CHROMIUM_PATH. Never `playwright install`. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The site's origin, e.g. http://127.0.0.1:41234, exported by e2e/run.mjs. */
export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run the browser tests with `npm run test:e2e` (it builds and serves the site)');
  return url.replace(/\/$/, '');
}

/** An absolute URL for a site path such as '/chapters/prologue/'. */
export function siteUrl(path: string): string {
  return `${baseUrl()}${path.startsWith('/') ? path : `/${path}`}`;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}

/** What went wrong while a page was open; specs usually expect all three lists to be empty. */
export interface PageProblems {
  /** console.error messages and uncaught exceptions. */
  consoleErrors: string[];
  /** Requests that failed at the network level, and same-origin responses with status >= 400. */
  failedRequests: string[];
}

export interface OpenPageOptions {
  /** Defaults to 1280 x 800. */
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Extra localStorage entries set before any page script runs. */
  localStorage?: Record<string, string>;
  /** Responses (by URL substring) that may fail without being reported, e.g. a probe that is meant to 404. */
  allowFailures?: string[];
}

export interface OpenedPage {
  page: Page;
  context: BrowserContext;
  problems: PageProblems;
  /** Closes the page's browser context. */
  close(): Promise<void>;
}

/** A fresh context (own storage) with one page that records problems; navigate with `page.goto(siteUrl(...))`. */
export async function openPage(browser: Browser, options: OpenPageOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  if (options.localStorage) {
    await context.addInitScript((entries: Record<string, string>) => {
      for (const [key, value] of Object.entries(entries)) window.localStorage.setItem(key, value);
    }, options.localStorage);
  }
  const page = await context.newPage();
  const problems: PageProblems = { consoleErrors: [], failedRequests: [] };
  const allowed = (url: string) => (options.allowFailures ?? []).some((part) => url.includes(part));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const location = message.location();
      const url = location?.url ?? '';
      // Chromium reports every 4xx response as a console error too; responses are judged below instead.
      if (/^Failed to load resource/.test(message.text()) && (allowed(url) || url === '')) return;
      problems.consoleErrors.push(`${message.text()}${url ? ` (${url}:${location.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    if (!allowed(request.url())) problems.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (response) => {
    const url = response.url();
    if (response.status() >= 400 && url.startsWith(baseUrl()) && !allowed(url)) {
      problems.failedRequests.push(`${response.request().method()} ${url}: HTTP ${response.status()}`);
    }
  });
  return { page, context, problems, close: () => context.close() };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;

/** Runs axe-core (WCAG 2.0/2.1 A and AA rules plus best practices) on the page as it is now. */
export async function axeViolations(page: Page, options: { exclude?: string[]; disableRules?: string[] } = {}): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: axeSource });
  return page.evaluate(async ({ exclude, disableRules }) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const context = exclude.length ? { include: [['html']], exclude: exclude.map((s) => [s]) } : document;
    const rules = Object.fromEntries(disableRules.map((id) => [id, { enabled: false }]));
    const result = await axe.run(context, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      rules,
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target as string[], failureSummary: n.failureSummary })),
    }));
  }, { exclude: options.exclude ?? [], disableRules: options.disableRules ?? [] });
}

/** Readable text for a list of violations: rule, impact, what to fix and where. */
export function formatAxeViolations(violations: readonly AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n  ${v.helpUrl}\n${v.nodes.slice(0, 5).map((n) => `  at ${n.target.join(' ')}\n    ${(n.failureSummary ?? '').replace(/\n/g, '\n    ')}`).join('\n')}`)
    .join('\n\n');
}

/** Fails with a readable list when axe-core finds any violation on the page. */
export async function expectNoAxeViolations(page: Page, options: { exclude?: string[]; disableRules?: string[] } = {}): Promise<void> {
  const violations = await axeViolations(page, options);
  if (violations.length > 0) {
    throw new Error(`axe-core found ${violations.length} accessibility violation(s) on ${page.url()}:\n\n${formatAxeViolations(violations)}`);
  }
}

/** Fails with the recorded console errors and failed requests, if any. */
export function expectNoProblems(problems: PageProblems, where = 'the page'): void {
  const lines = [
    ...problems.consoleErrors.map((e) => `console: ${e}`),
    ...problems.failedRequests.map((e) => `request: ${e}`),
  ];
  if (lines.length > 0) throw new Error(`Problems on ${where}:\n${lines.join('\n')}`);
}

const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

/** Saves a full-page PNG to e2e/screenshots/<name>.png (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
