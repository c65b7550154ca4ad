// The lab page's only eager script: starts the lab worker at once (so the cloud boots while the UI loads),
// then loads the workbench UI. Everything heavy arrives through these two lazy paths.
import type { LabPageData } from './workbench.ts';

async function main(): Promise<void> {
  const root = document.querySelector<HTMLElement>('[data-workbench]');
  const dataElement = document.getElementById('lab-data');
  if (!root || !dataElement?.textContent) return;
  performance.mark('lab-page-script');
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'lab' });
  // A worker that fails to load says so once, possibly before the workbench listens: keep the word.
  let failure: string | null = null;
  const noteFailure = (event: Event) => (failure ??= (event as ErrorEvent).message || 'the lab worker could not start');
  worker.addEventListener('error', noteFailure);
  const lab = JSON.parse(dataElement.textContent) as LabPageData;
  try {
    const { Workbench } = await import('./workbench.ts');
    const workbench = new Workbench(root, lab, worker);
    worker.removeEventListener('error', noteFailure);
    if (failure) worker.dispatchEvent(new ErrorEvent('error', { message: failure }));
    await workbench.start();
  } catch (error) {
    const problems = root.querySelector<HTMLElement>('[data-wb="problems"]');
    if (problems) {
      problems.hidden = false;
      problems.textContent = `The workbench could not load: ${error instanceof Error ? error.message : String(error)}. Reload the page; your saved work is kept.`;
    }
    console.error(error);
  }
}

void main();
