// The chapter front-matter schema and the fixed course outline (slugs, order, lab ids). Framework-free:
// the Astro site, the content test, the tools and the workbench all validate chapters with it.
import { z } from 'zod';

/** Every chapter slug in course order; a chapter's file is content/chapters/<slug>.mdx, its page /chapters/<slug>/. */
export const CHAPTER_SLUGS = [
  'prologue',
  'fundamentals',
  'packaging',
  'procfile',
  'ebextensions',
  'configuration',
  'deployment-strategies',
  'ci-cd',
  'scaling',
  'monitoring',
  'production-readiness',
  'beyond-beanstalk',
] as const;
export type ChapterSlug = (typeof CHAPTER_SLUGS)[number];

/** Every lab id; a lab lives in labs/<id>/ and its page at /labs/<id>/. */
export const LAB_IDS = [
  'eb-fundamentals',
  'packaging',
  'procfile',
  'ebextensions',
  'configuration',
  'zero-downtime',
  'pipeline',
  'autoscaling',
  'monitoring',
  'production',
  'docker-platform',
] as const;
export type LabId = (typeof LAB_IDS)[number];

/** The lab each chapter teaches towards (the prologue has a quiz only; the last chapter's lab is optional). */
export const LAB_OF_CHAPTER: Readonly<Record<ChapterSlug, LabId | undefined>> = {
  prologue: undefined,
  fundamentals: 'eb-fundamentals',
  packaging: 'packaging',
  procfile: 'procfile',
  ebextensions: 'ebextensions',
  configuration: 'configuration',
  'deployment-strategies': 'zero-downtime',
  'ci-cd': 'pipeline',
  scaling: 'autoscaling',
  monitoring: 'monitoring',
  'production-readiness': 'production',
  'beyond-beanstalk': undefined,
};

const sentence = (what: string) =>
  z.string({ required_error: `${what} is required`, invalid_type_error: `${what} must be text` }).trim().min(1, `${what} must not be empty`);

export const chapterFrontMatter = z
  .object({
    title: sentence('title').describe('The chapter title as shown in the page heading, the sidebar and search results.'),
    order: z
      .number({ required_error: 'order is required', invalid_type_error: 'order must be a whole number' })
      .int('order must be a whole number')
      .min(0, 'order must be between 0 and 11')
      .max(CHAPTER_SLUGS.length - 1, `order must be between 0 and ${CHAPTER_SLUGS.length - 1}`)
      .describe('Position in the course, 0 (the prologue) to 11; it must match the slug\'s place in CHAPTER_SLUGS.'),
    summary: sentence('summary')
      .max(240, 'summary must be at most 240 characters: it is shown on the home page and in search results')
      .describe('One or two sentences saying what the learner gets from the chapter (home page, meta description).'),
    objectives: z
      .array(sentence('each objective'), { required_error: 'objectives is required (a list of 2 to 8 items)' })
      .min(2, 'objectives needs at least 2 items')
      .max(8, 'objectives takes at most 8 items: keep the list short enough to read first')
      .describe('What the learner can do after the chapter, each starting with a verb; shown at the top of the page.'),
    recap: z
      .array(sentence('each recap item'), { required_error: 'recap is required (a list of 2 to 8 items)' })
      .min(2, 'recap needs at least 2 items')
      .max(8, 'recap takes at most 8 items')
      .describe('The key points, shown at the end of the chapter under "Recap".'),
    lab: z
      .enum(LAB_IDS, {
        errorMap: () => ({ message: `lab must be one of: ${LAB_IDS.join(', ')}` }),
      })
      .optional()
      .describe('The id of the chapter\'s graded lab (labs/<id>/, page /labs/<id>/); omitted for chapters without one.'),
    minutes: z
      .number({ required_error: 'minutes is required', invalid_type_error: 'minutes must be a whole number' })
      .int('minutes must be a whole number')
      .min(1, 'minutes must be at least 1')
      .max(240, 'minutes must be at most 240: split a longer chapter')
      .describe('Estimated minutes to read the chapter and answer its quizzes, not counting the lab.'),
  })
  .strict();

export type ChapterFrontMatter = z.infer<typeof chapterFrontMatter>;

export interface ChapterProblem {
  /** The file the problem is in, e.g. content/chapters/fundamentals.mdx. */
  file: string;
  /** The front-matter field, or '' for problems with the file as a whole. */
  field: string;
  message: string;
}

export function chapterFile(slug: string): string {
  return `content/chapters/${slug}.mdx`;
}

/** Validates one chapter's front matter; problems name the file and field and say what to write instead. */
export function checkChapterFrontMatter(slug: string, data: unknown): ChapterProblem[] {
  const file = chapterFile(slug);
  const problems: ChapterProblem[] = [];
  if (!(CHAPTER_SLUGS as readonly string[]).includes(slug)) {
    problems.push({ file, field: '', message: `"${slug}" is not a chapter slug; name the file one of: ${CHAPTER_SLUGS.join(', ')}` });
  }
  const parsed = chapterFrontMatter.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.join('.');
      const message = issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}; the fields are ${Object.keys(chapterFrontMatter.shape).join(', ')}`
        : issue.message;
      problems.push({ file, field, message });
    }
    return problems;
  }
  const expectedOrder = (CHAPTER_SLUGS as readonly string[]).indexOf(slug);
  if (expectedOrder >= 0 && parsed.data.order !== expectedOrder) {
    problems.push({ file, field: 'order', message: `order is ${parsed.data.order} but "${slug}" is chapter ${expectedOrder}; set order: ${expectedOrder}` });
  }
  if (expectedOrder >= 0) {
    const expectedLab = LAB_OF_CHAPTER[slug as ChapterSlug];
    if (parsed.data.lab && expectedLab && parsed.data.lab !== expectedLab) {
      problems.push({ file, field: 'lab', message: `lab is "${parsed.data.lab}" but chapter "${slug}" teaches lab "${expectedLab}"; set lab: ${expectedLab}` });
    }
    if (expectedLab && !parsed.data.lab) {
      problems.push({ file, field: 'lab', message: `chapter "${slug}" has a lab; add lab: ${expectedLab}` });
    }
    if (!expectedLab && parsed.data.lab && slug === 'prologue') {
      problems.push({ file, field: 'lab', message: 'the prologue has no lab; remove the lab field' });
    }
  }
  return problems;
}

export function formatChapterProblems(problems: readonly ChapterProblem[]): string {
  return problems.map((p) => `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.message}`).join('\n');
}

/** Quiz ids used in a chapter's MDX body, in order; `<Quiz id="...">` is how the home page counts quizzes. */
export function quizIdsIn(mdxBody: string): string[] {
  const ids: string[] = [];
  for (const match of mdxBody.matchAll(/<Quiz\b[^>]*?\bid\s*=\s*(?:"([^"]*)"|'([^']*)'|\{\s*["'`]([^"'`]*)["'`]\s*\})/g)) {
    ids.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return ids;
}

/** Counts `<Quiz` tags, so a quiz without an id (which progress could not remember) is caught. */
export function quizTagCount(mdxBody: string): number {
  return [...mdxBody.matchAll(/<Quiz\b/g)].length;
}

export interface ChapterLink {
  slug: string;
  title: string;
}

/** Previous and next chapters among those that exist, by order. */
export function neighbours<T extends { slug: string; order: number }>(chapters: readonly T[], slug: string): { previous?: T; next?: T } {
  const sorted = [...chapters].sort((a, b) => a.order - b.order);
  const at = sorted.findIndex((c) => c.slug === slug);
  if (at < 0) return {};
  return { previous: sorted[at - 1], next: sorted[at + 1] };
}
