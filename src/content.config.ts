// Content collections: every chapter is one MDX file in content/chapters, named by its slug.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { chapterFrontMatter } from './course/chapter-schema.ts';

const chapters = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/chapters' }),
  schema: chapterFrontMatter,
});

export const collections = { chapters };
