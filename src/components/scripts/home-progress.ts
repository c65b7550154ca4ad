// Fills in each chapter card on the home page from the progress store, and keeps it current across tabs.
import { progressStore, type ChapterProgressSummary } from '../../course/progress.ts';

/** The one-line progress text of a chapter card. */
export function describeProgress(p: ChapterProgressSummary): string {
  const parts: string[] = [];
  parts.push(p.read ? 'Read' : 'Not read yet');
  if (p.quizzesTotal > 0) parts.push(`quizzes ${p.quizzesCorrect}/${p.quizzesTotal} correct`);
  if (p.lab) {
    const result = p.lab.result;
    if (!result) parts.push('lab not started');
    else if (result.completed) parts.push(`lab passed (best ${result.bestScore}/${result.maxScore})`);
    else parts.push(`lab ${result.score}/${result.maxScore}, not passed yet`);
  }
  if (p.complete) return `Complete: ${parts.join(', ')}`;
  if (!p.read && p.quizzesAnswered === 0 && !p.lab?.result) return 'Not started';
  return parts.join(', ');
}

export function progressState(p: ChapterProgressSummary): 'complete' | 'started' | 'new' {
  if (p.complete) return 'complete';
  return p.read || p.quizzesAnswered > 0 || p.lab?.result ? 'started' : 'new';
}

export function initHomeProgress(): void {
  const store = progressStore();
  const cards = [...document.querySelectorAll<HTMLElement>('[data-chapter-progress]')];
  const render = () => {
    let firstUnfinished: HTMLElement | undefined;
    for (const card of cards) {
      const summary = store.chapterProgress({
        slug: card.dataset.slug ?? '',
        quizIds: (card.dataset.quizzes ?? '').split(',').filter(Boolean),
        ...(card.dataset.lab ? { lab: card.dataset.lab } : {}),
      });
      const text = card.querySelector<HTMLElement>('[data-progress-text]');
      if (text) text.textContent = describeProgress(summary);
      card.dataset.state = progressState(summary);
      if (!firstUnfinished && !summary.complete) firstUnfinished = card;
    }
    const cont = document.querySelector<HTMLAnchorElement>('[data-continue]');
    const anyStarted = cards.some((c) => c.dataset.state !== 'new');
    if (cont && anyStarted && firstUnfinished) {
      const link = firstUnfinished.querySelector<HTMLAnchorElement>('h3 a');
      if (link) {
        cont.href = link.href;
        cont.textContent = `Continue: ${link.textContent ?? 'next chapter'}`;
      }
    }
  };
  render();
  store.subscribe(render);
  document.querySelector('[data-reset-progress]')?.addEventListener('click', () => {
    if (window.confirm('Forget which chapters you read, your quiz answers and lab scores in this browser?')) store.reset();
  });
}
