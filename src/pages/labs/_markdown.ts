// Renders the Markdown in lab.yaml step bodies to HTML at build time (the lab page ships no Markdown parser).
import { createMarkdownProcessor, type MarkdownProcessor } from '@astrojs/markdown-remark';

let processor: Promise<MarkdownProcessor> | undefined;

export async function renderMarkdown(text: string): Promise<string> {
  processor ??= createMarkdownProcessor({ syntaxHighlight: false, gfm: true, smartypants: true });
  return (await (await processor).render(text)).code;
}
