import { describe, it, expect } from 'vitest';
import { CHAPTER_SLUGS, checkChapterFrontMatter, formatChapterProblems, neighbours, quizIdsIn, quizTagCount, chapterFrontMatter } from './chapter-schema.ts';

const good = {
  title: 'Elastic Beanstalk fundamentals',
  order: 1,
  summary: 'Applications, versions and environments.',
  objectives: ['Name the parts of an application', 'Create an environment'],
  recap: ['An application holds versions and environments', 'An environment runs one version'],
  lab: 'eb-fundamentals',
  minutes: 25,
};

describe('chapter front matter', () => {
  it('accepts a complete chapter', () => {
    expect(checkChapterFrontMatter('fundamentals', good)).toEqual([]);
  });

  it('names the file and field of each problem and says what to write', () => {
    const problems = checkChapterFrontMatter('fundamentals', { ...good, minutes: '25', objectives: ['only one'], lab: 'eb-basics' });
    const text = formatChapterProblems(problems);
    expect(text).toContain('content/chapters/fundamentals.mdx (minutes): minutes must be a whole number');
    expect(text).toContain('content/chapters/fundamentals.mdx (objectives): objectives needs at least 2 items');
    expect(text).toContain('(lab): lab must be one of: eb-fundamentals, packaging');
  });

  it('rejects unknown fields, listing the real ones', () => {
    const [problem] = checkChapterFrontMatter('fundamentals', { ...good, duration: 5 });
    expect(problem.message).toMatch(/unknown field\(s\) duration; the fields are title, order, summary/);
  });

  it('ties order and lab to the slug', () => {
    expect(formatChapterProblems(checkChapterFrontMatter('fundamentals', { ...good, order: 3 }))).toContain('set order: 1');
    expect(formatChapterProblems(checkChapterFrontMatter('procfile', { ...good, order: 3 }))).toContain('set lab: procfile');
    const { lab: _lab, ...withoutLab } = good;
    expect(formatChapterProblems(checkChapterFrontMatter('fundamentals', withoutLab))).toContain('add lab: eb-fundamentals');
    expect(formatChapterProblems(checkChapterFrontMatter('prologue', { ...good, order: 0 }))).toContain('the prologue has no lab');
    expect(checkChapterFrontMatter('beyond-beanstalk', { ...withoutLab, order: 11 })).toEqual([]);
  });

  it('rejects a file name that is not a chapter slug', () => {
    expect(formatChapterProblems(checkChapterFrontMatter('chapter-1', good))).toContain('"chapter-1" is not a chapter slug');
  });

  it('describes every field, for authors and tools', () => {
    for (const [name, field] of Object.entries(chapterFrontMatter.shape)) {
      expect(field.description, name).toBeTruthy();
    }
    expect(CHAPTER_SLUGS).toHaveLength(12);
  });
});

describe('quiz ids in MDX', () => {
  it('finds ids in every attribute form and counts tags', () => {
    const body = `<Quiz id="a" question="?" />\ntext <Quiz\n  kind="multiple"\n  id='b' />\n<Quiz id={"c"} />\n<Quiz question="no id" />`;
    expect(quizIdsIn(body)).toEqual(['a', 'b', 'c']);
    expect(quizTagCount(body)).toBe(4);
  });
});

describe('neighbours', () => {
  it('skips chapters that are not written yet', () => {
    const chapters = [{ slug: 'scaling', order: 8 }, { slug: 'prologue', order: 0 }, { slug: 'fundamentals', order: 1 }];
    expect(neighbours(chapters, 'fundamentals')).toEqual({ previous: { slug: 'prologue', order: 0 }, next: { slug: 'scaling', order: 8 } });
    expect(neighbours(chapters, 'prologue').previous).toBeUndefined();
    expect(neighbours(chapters, 'missing')).toEqual({});
  });
});
