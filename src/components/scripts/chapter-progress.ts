// On a chapter page: marks the chapter read once the learner reaches its recap, and shows read marks
// in the chapter list and the page header.
import { progressStore } from '../../course/progress.ts';

export function initChapterProgress(): void {
  const article = document.querySelector<HTMLElement>('[data-chapter]');
  const slug = article?.dataset.chapter;
  if (!slug) return;
  const store = progressStore();
  const render = () => {
    const state = store.read();
    for (const link of document.querySelectorAll<HTMLElement>('[data-nav-slug]')) {
      const mark = link.querySelector<HTMLElement>('[data-read-mark]');
      if (mark) mark.hidden = !state.chapters[link.dataset.navSlug ?? ''];
    }
    const status = document.querySelector<HTMLElement>('[data-read-status]');
    if (status) status.textContent = state.chapters[slug] ? '✓ Read' : '';
  };
  render();
  store.subscribe(render);
  const recap = document.querySelector('[data-recap]');
  if (!recap || store.isChapterRead(slug)) return;
  if (!('IntersectionObserver' in window)) return;
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      store.markChapterRead(slug);
      observer.disconnect();
    }
  });
  observer.observe(recap);
}
