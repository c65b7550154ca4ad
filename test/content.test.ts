// Every chapter in content/chapters validates: front matter against src/course/chapter-schema.ts, and the
// author components used in the MDX (quiz ids unique, speakers known, at least one quiz).
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { checkChapterFrontMatter, formatChapterProblems, quizIdsIn, quizTagCount, CHAPTER_SLUGS, type ChapterProblem } from '../src/course/chapter-schema.ts';
import { CHARACTERS } from '../src/components/mdx/characters.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const chaptersDir = join(root, 'content', 'chapters');

interface ChapterFile {
  slug: string;
  file: string;
  frontMatter: unknown;
  body: string;
  problems: ChapterProblem[];
}

function readChapter(name: string): ChapterFile {
  const slug = name.replace(/\.mdx$/, '');
  const file = `content/chapters/${name}`;
  const text = readFileSync(join(chaptersDir, name), 'utf8').replace(/\r\n/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(text);
  if (!match) return { slug, file, frontMatter: undefined, body: text, problems: [{ file, field: '', message: 'no front matter: start the file with a --- block' }] };
  try {
    const frontMatter = parseYaml(match[1]);
    return { slug, file, frontMatter, body: match[2], problems: checkChapterFrontMatter(slug, frontMatter) };
  } catch (error) {
    return { slug, file, frontMatter: undefined, body: match[2], problems: [{ file, field: '', message: `front matter is not valid YAML: ${(error as Error).message}` }] };
  }
}

/** Heading anchors as the site makes them (github-slugger rules for ASCII), plus the ones the layout adds. */
function headingAnchors(body: string): Set<string> {
  const anchors = new Set(['objectives-title', 'recap', 'lab']);
  let inFence = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{2,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1].replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    let slug = text.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
    for (let n = 1; anchors.has(slug) && !['objectives-title', 'recap', 'lab'].includes(slug); n++) slug = `${slug.replace(/-\d+$/, '')}-${n}`;
    anchors.add(slug);
  }
  return anchors;
}

const names = existsSync(chaptersDir) ? readdirSync(chaptersDir).filter((n) => n.endsWith('.mdx') || n.endsWith('.md')).sort() : [];
const chapters = names.filter((n) => n.endsWith('.mdx')).map(readChapter);

describe('chapters', () => {
  it('exist, as .mdx files, including the prologue and chapter 1', () => {
    expect(names.filter((n) => n.endsWith('.md')), 'chapters are MDX: rename .md files to .mdx').toEqual([]);
    expect(chapters.map((c) => c.slug)).toEqual(expect.arrayContaining(['prologue', 'fundamentals']));
  });

  for (const chapter of chapters) {
    it(`${chapter.file}: front matter validates`, () => {
      expect(chapter.problems, formatChapterProblems(chapter.problems)).toEqual([]);
    });

    it(`${chapter.file}: quizzes have ids and speakers are characters`, () => {
      const ids = quizIdsIn(chapter.body);
      expect(ids.length, `${chapter.file}: every chapter ends with at least one <Quiz id="...">`).toBeGreaterThan(0);
      expect(quizTagCount(chapter.body), `${chapter.file}: a <Quiz> without an id="..." cannot be remembered in progress`).toBe(ids.length);
      for (const id of ids) expect(id.startsWith(`${chapter.slug}-`), `${chapter.file}: quiz id "${id}" should start with "${chapter.slug}-" so ids stay unique`).toBe(true);
      for (const match of chapter.body.matchAll(/<Line\s+who\s*=\s*"([^"]*)"/g)) {
        expect(Object.keys(CHARACTERS), `${chapter.file}: <Line who="${match[1]}">`).toContain(match[1]);
      }
    });
  }

  it('link only to labs that exist in labs/<id>/lab.yaml', () => {
    const missing = chapters
      .map((c) => ({ file: c.file, lab: (c.frontMatter as { lab?: string } | undefined)?.lab }))
      .filter((c) => c.lab && !existsSync(join(root, 'labs', c.lab, 'lab.yaml')))
      .map((c) => `${c.file}: lab "${c.lab}" has no labs/${c.lab}/lab.yaml, so /labs/${c.lab}/ would not exist`);
    expect(missing).toEqual([]);
  });

  it('indent Terminal transcripts so MDX keeps their indentation', () => {
    // MDX removes up to two spaces of indentation from lines inside a JSX element; the Terminal component
    // removes the indentation all lines share. Indenting every line by two spaces keeps nested output intact.
    const problems: string[] = [];
    for (const chapter of chapters) {
      for (const match of chapter.body.matchAll(/transcript=\{`([\s\S]*?)`\}/g)) {
        const lines = match[1].split('\n').filter((l) => l.trim() !== '');
        const indented = lines.some((l) => /^ {3,}/.test(l));
        const shallow = lines.filter((l) => !/^ {2}/.test(l));
        if (indented && shallow.length) problems.push(`${chapter.file}: indent every line of the transcript starting "${lines[0].trim()}" by two spaces (e.g. "${shallow[0].trim()}")`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('have the headings that labs link to (/chapters/<slug>/#anchor)', () => {
    const anchors = new Map(chapters.map((c) => [c.slug, headingAnchors(c.body)]));
    const labsDir = join(root, 'labs');
    const broken: string[] = [];
    for (const lab of existsSync(labsDir) ? readdirSync(labsDir) : []) {
      const manifest = join(labsDir, lab, 'lab.yaml');
      if (!existsSync(manifest)) continue;
      for (const [, slug, anchor] of readFileSync(manifest, 'utf8').matchAll(/\/chapters\/([a-z0-9-]+)\/#([a-z0-9_-]+)/g)) {
        const known = anchors.get(slug);
        if (known && !known.has(anchor)) broken.push(`labs/${lab}/lab.yaml links to /chapters/${slug}/#${anchor}, but content/chapters/${slug}.mdx has no such heading (it has: ${[...known].join(', ')})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('have unique orders and quiz ids across the course', () => {
    const orders = chapters.map((c) => (c.frontMatter as { order?: number } | undefined)?.order);
    expect(new Set(orders).size, `two chapters share an order: ${orders.join(', ')}`).toBe(orders.length);
    const ids = chapters.flatMap((c) => quizIdsIn(c.body));
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(repeated, 'quiz ids must be unique in the course').toEqual([]);
    expect(chapters.every((c) => (CHAPTER_SLUGS as readonly string[]).includes(c.slug))).toBe(true);
  });
});
