// The built course outline the pages share: chapters sorted by order, with their quiz ids counted from the MDX.
import { getCollection, type CollectionEntry } from 'astro:content';
import { quizIdsIn } from '../course/chapter-schema.ts';

export interface OutlineChapter {
  slug: string;
  order: number;
  title: string;
  summary: string;
  minutes: number;
  lab?: string;
  quizIds: string[];
  entry: CollectionEntry<'chapters'>;
}

export async function courseOutline(): Promise<OutlineChapter[]> {
  const entries = await getCollection('chapters');
  return entries
    .map((entry) => ({
      slug: entry.id,
      order: entry.data.order,
      title: entry.data.title,
      summary: entry.data.summary,
      minutes: entry.data.minutes,
      lab: entry.data.lab,
      quizIds: quizIdsIn(entry.body ?? ''),
      entry,
    }))
    .sort((a, b) => a.order - b.order);
}

/** "Prologue" for chapter 0, else "Chapter N". */
export function chapterLabel(order: number): string {
  return order === 0 ? 'Prologue' : `Chapter ${order}`;
}
