// The course site in a real browser: every page loads cleanly, passes axe-core in both themes, and the
// quiz, theme toggle, progress, search, copy buttons and phone layout work as a learner uses them.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { launchBrowser, openPage, siteUrl, expectNoAxeViolations, expectNoProblems, type Browser } from './harness.ts';

let browser: Browser;
let chapterPaths: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  const { page, close } = await openPage(browser);
  await page.goto(siteUrl('/'));
  chapterPaths = await page.$$eval('[data-chapter-progress] h3 a', (links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  await close();
});

afterAll(async () => {
  await browser?.close();
});

describe('pages', () => {
  it('lists the prologue and chapter 1 on the home page, in order', () => {
    expect(chapterPaths.slice(0, 2)).toEqual(['/chapters/prologue/', '/chapters/fundamentals/']);
  });

  it('loads the home page, every chapter, search and 404 without console errors or failed requests', { timeout: 180_000 }, async () => {
    for (const path of ['/', ...chapterPaths, '/search/?q=beanstalk']) {
      const { page, problems, close } = await openPage(browser);
      const response = await page.goto(siteUrl(path), { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
      await page.waitForLoadState('networkidle');
      expectNoProblems(problems, path);
      await close();
    }
    const { page, problems, close } = await openPage(browser, { allowFailures: ['/no-such-page/'] });
    const response = await page.goto(siteUrl('/no-such-page/'));
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('not in the course');
    expectNoProblems(problems, '404 page');
    await close();
  });

  it('has no axe-core violations on the home page and each chapter, in light and dark', { timeout: 300_000 }, async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const path of ['/', ...chapterPaths, '/search/?q=environment', '/no-such-page/']) {
        const { page, close } = await openPage(browser, { colorScheme });
        await page.goto(siteUrl(path));
        await page.waitForLoadState('networkidle');
        // Open the text descriptions too, so their contents are checked.
        await page.$$eval('details', (all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
        await expectNoAxeViolations(page);
        await close();
      }
    }
  });

  it('shows a chapter with its objectives, recap, lab link and neighbours', async () => {
    const { page, close } = await openPage(browser);
    await page.goto(siteUrl('/chapters/fundamentals/'));
    await expect(page.getByRole('heading', { name: 'In this chapter you will' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('heading', { name: 'Recap', exact: true }).isVisible()).resolves.toBe(true);
    expect(await page.getByRole('link', { name: /Open the eb-fundamentals lab/ }).getAttribute('href')).toBe('/labs/eb-fundamentals/');
    expect(await page.locator('a[rel="prev"]').getAttribute('href')).toBe('/chapters/prologue/');
    expect(await page.locator('nav[aria-label="Chapters"] a[aria-current="page"]').getAttribute('href')).toBe('/chapters/fundamentals/');
    expect(await page.locator('.code-block .copy-button, figure.terminal .copy-button').count()).toBeGreaterThan(0);
    await close();
  });
});

describe('links from labs', () => {
  it('every /chapters/<slug>/#anchor in a lab manifest lands on a heading of a built chapter', async () => {
    const labs = existsSync('labs') ? readdirSync('labs').filter((lab) => existsSync(`labs/${lab}/lab.yaml`)) : [];
    const links = new Map<string, string>();
    for (const lab of labs) {
      for (const [link] of readFileSync(`labs/${lab}/lab.yaml`, 'utf8').matchAll(/\/chapters\/[a-z0-9-]+\/#[a-z0-9_-]+/g)) links.set(link, lab);
    }
    const { page, close } = await openPage(browser);
    const broken: string[] = [];
    for (const [link, lab] of links) {
      const [path, anchor] = link.split('#');
      if (!chapterPaths.includes(path)) continue;
      await page.goto(siteUrl(path));
      if (!(await page.evaluate((id) => Boolean(document.getElementById(id)), anchor))) broken.push(`labs/${lab}/lab.yaml: ${link}`);
    }
    await close();
    expect(broken).toEqual([]);
  });
});

describe('quiz', () => {
  it('can be answered with the keyboard alone, explains the answers and is remembered', async () => {
    const { page, problems, close } = await openPage(browser);
    await page.goto(siteUrl('/chapters/prologue/'));
    const quiz = page.locator('form[data-quiz="prologue-root-cause"]');
    // Tab to the first option, arrow to the second (the correct one), submit with Enter.
    await quiz.locator('input').first().focus();
    await page.keyboard.press('ArrowDown');
    expect(await quiz.locator('input').nth(1).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Check answer');
    await page.keyboard.press('Enter');
    const result = quiz.locator('[role="status"]');
    await expect(result.textContent()).resolves.toMatch(/^Correct/);
    expect(await quiz.locator('.explain:not([hidden])').count()).toBeGreaterThan(0);

    await page.reload();
    await expect(quiz.locator('[role="status"]').textContent()).resolves.toMatch(/^Correct/);
    expect(await quiz.locator('input').nth(1).isChecked()).toBe(true);
    expectNoProblems(problems, 'prologue quiz');
    await close();
  });

  it('says what is missing in a multiple-choice answer', async () => {
    const { page, close } = await openPage(browser);
    await page.goto(siteUrl('/chapters/prologue/'));
    const quiz = page.locator('form[data-quiz="prologue-requirements"]');
    await quiz.locator('input').first().focus();
    await page.keyboard.press('Space');
    await quiz.getByRole('button', { name: 'Check answer' }).press('Enter');
    await expect(quiz.locator('[role="status"]').textContent()).resolves.toMatch(/^You found 1 of 3 correct answers/);
    await close();
  });
});

describe('theme', () => {
  it('follows the system, switches with the toggle and remembers the choice', async () => {
    const { page, close } = await openPage(browser, { colorScheme: 'dark' });
    await page.goto(siteUrl('/chapters/prologue/'));
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    expect(await theme()).toBe('dark');
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    const darkBackground = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await theme()).toBe('light');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe(darkBackground);
    await page.goto(siteUrl('/'));
    expect(await theme()).toBe('light');
    await close();
  });
});

describe('progress', () => {
  it('marks a chapter read at its recap and shows it on the home page', async () => {
    const { page, close } = await openPage(browser);
    await page.goto(siteUrl('/'));
    const card = page.locator('[data-chapter-progress][data-slug="prologue"]');
    await expect(card.locator('[data-progress-text]').textContent()).resolves.toBe('Not started');
    await page.goto(siteUrl('/chapters/prologue/'));
    await page.locator('[data-recap]').scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-read-status]')?.textContent === '✓ Read');
    await page.goto(siteUrl('/'));
    await expect(card.locator('[data-progress-text]').textContent()).resolves.toMatch(/^Read/);
    await close();
  });

  it('shows a lab result recorded by the workbench on the home page', async () => {
    const stored = JSON.stringify({
      version: 1,
      chapters: { fundamentals: { readAt: '2026-11-23T08:00:00.000Z' } },
      quizzes: {},
      labs: { 'eb-fundamentals': { score: 70, maxScore: 100, bestScore: 70, completed: false, recordedAt: '2026-11-23T08:10:00.000Z' } },
    });
    const { page, close } = await openPage(browser, { localStorage: { 'beanstalk-academy:progress': stored } });
    await page.goto(siteUrl('/'));
    const text = await page.locator('[data-slug="fundamentals"] [data-progress-text]').textContent();
    expect(text).toBe('Read, quizzes 0/3 correct, lab 70/100, not passed yet');
    // The call to action now continues where the learner is.
    expect(await page.locator('[data-continue]').textContent()).toMatch(/^Continue: The 2 AM deploy/);
    await close();
  });

  it('survives corrupted stored progress', async () => {
    const { page, problems, close } = await openPage(browser, { localStorage: { 'beanstalk-academy:progress': '{"version":1,"chapters":' } });
    await page.goto(siteUrl('/'));
    await expect(page.locator('[data-slug="prologue"] [data-progress-text]').textContent()).resolves.toBe('Not started');
    expectNoProblems(problems, 'home with corrupted progress');
    await close();
  });
});

describe('copy buttons', () => {
  it('copy the commands of a terminal transcript, without prompts or output', async () => {
    const { page, context, close } = await openPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: siteUrl('/').replace(/\/$/, '') });
    await page.goto(siteUrl('/chapters/fundamentals/'));
    const terminal = page.locator('figure.terminal').filter({ hasText: 'eb init pettracker-web' });
    await terminal.getByRole('button', { name: 'Copy the commands' }).click();
    await terminal.getByRole('button', { name: 'Copy the commands' }).filter({ hasText: 'Copied' }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('eb init pettracker-web --platform node.js-22 --region us-east-1');
    // Fenced code: highlighted at build time (Shiki spans with both themes' colours) and copyable.
    const yaml = page.locator('.code-block').filter({ hasText: 'application_name: pettracker-web' });
    expect(await yaml.locator('pre.astro-code span[style*="--shiki-dark"]').count()).toBeGreaterThan(0);
    await yaml.getByRole('button', { name: 'Copy yaml code' }).click();
    await yaml.getByRole('button', { name: 'Copy yaml code' }).filter({ hasText: 'Copied' }).waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^branch-defaults:\n  main:\n    environment: null/);
    await close();
  });
});

describe('search', () => {
  it('finds a word from Chapter 1 from the header search box', async () => {
    const { page, problems, close } = await openPage(browser);
    await page.goto(siteUrl('/'));
    await page.getByRole('searchbox', { name: 'Search the course' }).fill('CNAME');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/search\/\?q=CNAME/);
    const hit = page.locator('[data-search-results] a[href^="/chapters/fundamentals/"]');
    await hit.first().waitFor();
    await expect(page.locator('[data-search-status]').textContent()).resolves.toMatch(/match/);
    const excerpt = (await page.locator('[data-search-results] li').first().locator('p').textContent()) ?? '';
    expect(excerpt).toMatch(/CNAME/i);
    expect(excerpt, 'excerpt shows escaped HTML').not.toMatch(/&lt;|&gt;|&amp;/);
    expect(await page.locator('[data-search-results] mark').count()).toBeGreaterThan(0);
    expectNoProblems(problems, 'search');
    await close();
  });
});

describe('phone layout', () => {
  it('fits a 375 px wide screen without sideways scrolling', { timeout: 180_000 }, async () => {
    for (const path of ['/', ...chapterPaths]) {
      const { page, close } = await openPage(browser, { viewport: { width: 375, height: 740 } });
      await page.goto(siteUrl(path));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(375);
      await close();
    }
  });
});
