// The search page: reads ?q=, queries Pagefind's index (/pagefind/pagefind.js, generated at build time)
// and lists the matching chapters with highlighted excerpts.

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  search(query: string): Promise<{ results: { data(): Promise<PagefindResultData> }[] }>;
}

let pagefind: Promise<Pagefind> | undefined;

function loadPagefind(): Promise<Pagefind> {
  // A runtime-built URL keeps the bundler from trying to resolve a file that only exists after the build.
  const url = new URL('/pagefind/pagefind.js', location.origin).href;
  pagefind ??= import(/* @vite-ignore */ url) as Promise<Pagefind>;
  return pagefind;
}

/**
 * Pagefind excerpts are HTML: escaped text with <mark> around the hits. Rebuild them from text nodes and
 * fresh <mark> elements only, so nothing else in an excerpt can become markup.
 */
export function excerptNodes(excerpt: string, doc: Document = document): Node[] {
  const parsed = doc.createElement('template');
  parsed.innerHTML = excerpt;
  return [...parsed.content.childNodes].map((node) => {
    if (node.nodeName === 'MARK') {
      const mark = doc.createElement('mark');
      mark.textContent = node.textContent;
      return mark;
    }
    return doc.createTextNode(node.textContent ?? '');
  });
}

export async function initSearchPage(): Promise<void> {
  const input = document.querySelector<HTMLInputElement>('[data-search-input]');
  const status = document.querySelector<HTMLElement>('[data-search-status]');
  const list = document.querySelector<HTMLElement>('[data-search-results]');
  if (!input || !status || !list) return;
  const query = new URLSearchParams(location.search).get('q')?.trim() ?? '';
  input.value = query;
  if (!query) {
    status.textContent = 'Type a word or phrase, for example "rolling deployment" or "Procfile".';
    input.focus();
    return;
  }
  status.textContent = `Searching for "${query}"…`;
  let engine: Pagefind;
  try {
    engine = await loadPagefind();
  } catch {
    status.textContent = 'The search index is missing. It is built with the site: run `npm run build` (or `npm start`) and reload.';
    return;
  }
  const search = await engine.search(query);
  const results = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
  list.replaceChildren(
    ...results.map((r) => {
      const item = document.createElement('li');
      const heading = document.createElement('h2');
      const link = document.createElement('a');
      link.href = r.url;
      link.textContent = r.meta.title ?? r.url;
      heading.append(link);
      const excerpt = document.createElement('p');
      excerpt.append(...excerptNodes(r.excerpt));
      item.append(heading, excerpt);
      return item;
    }),
  );
  status.textContent = results.length === 0
    ? `No chapter mentions "${query}". Try a shorter or different word.`
    : `${results.length} ${results.length === 1 ? 'chapter matches' : 'chapters match'} "${query}".`;
}
