// Test fixture: the nginx HTTP -> HTTPS redirect exactly as chapter 10 prints it, read from the chapter itself, so
// the sandbox's tests prove what the course teaches (and fail if the chapter's snippet changes shape).
import { readFileSync } from 'node:fs';

const CHAPTER = new URL('../../../../content/chapters/production-readiness.mdx', import.meta.url);
const FIRST_LINE = '# .platform/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf\n';

function chapterRedirect(): string {
  const text = readFileSync(CHAPTER, 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(text.slice(text.indexOf('## Redirect HTTP to HTTPS')));
  if (!block || !block[1].startsWith(FIRST_LINE)) throw new Error(`${CHAPTER.pathname}: no nginx block starting "${FIRST_LINE.trim()}" under "Redirect HTTP to HTTPS"`);
  return block[1].slice(FIRST_LINE.length);
}

/** The file's content (without its name comment), as a learner would copy it. */
export const CHAPTER_REDIRECT = chapterRedirect();
