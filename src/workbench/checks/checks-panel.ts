// The checks panel: "Check my work", then each check's title, status (text and icon), expected vs found,
// evidence, and Maya's hint ladder one rung at a time on demand; the summary is announced in a live region.
import type { StoredCheckResult, StoredCheckRun } from '../persistence/lab-store.ts';

const STATUS_TEXT: Record<StoredCheckResult['status'], string> = { pass: 'Passed', fail: 'Not yet', error: 'Could not check' };
const STATUS_ICON: Record<StoredCheckResult['status'], string> = { pass: '✓', fail: '✗', error: '!' };
const RUNGS = ['nudge', 'concept', 'fix'] as const;
const RUNG_TITLE = { nudge: 'Nudge', concept: 'Concept', fix: 'Exact fix' } as const;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** The one-line summary announced after a run. */
export function summarise(run: StoredCheckRun): string {
  const passed = run.results.filter((r) => r.status === 'pass').length;
  const head = run.completed ? 'Lab complete! ' : '';
  return `${head}${passed} of ${run.results.length} checks passed, ${run.score} of ${run.maxScore} points.`;
}

export interface ChecksPanelOptions {
  /** Runs the checks (in the worker); rejects with a message for the learner. */
  run(): Promise<StoredCheckRun>;
  /** Called after a run and whenever a hint is opened (to persist hint use and progress). */
  changed(run: StoredCheckRun): void;
}

export class ChecksPanel {
  readonly button: HTMLButtonElement;
  private readonly live: HTMLElement;
  private readonly list: HTMLOListElement;
  private current: StoredCheckRun | null = null;
  private running = false;

  constructor(root: HTMLElement, private readonly options: ChecksPanelOptions) {
    this.button = el('button', { type: 'button', className: 'primary', textContent: 'Check my work' });
    this.button.addEventListener('click', () => void this.runChecks());
    this.live = el('p', { className: 'checks-summary' });
    this.live.setAttribute('role', 'status');
    this.list = el('ol', { className: 'checks-list' });
    const region = el('div', { className: 'checks-results' }, this.live, this.list);
    region.setAttribute('role', 'region');
    region.setAttribute('aria-label', 'Check results');
    root.append(this.button, region);
    this.live.textContent = 'Run "Check my work" when you think you are done; you can run it as often as you like.';
  }

  get lastRun(): StoredCheckRun | null {
    return this.current;
  }

  setEnabled(enabled: boolean): void {
    this.button.disabled = !enabled || this.running;
  }

  /** Shows a saved run (after reload) without announcing it. */
  show(run: StoredCheckRun | null): void {
    this.current = run;
    this.render(false);
  }

  async runChecks(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.button.disabled = true;
    this.button.setAttribute('aria-busy', 'true');
    this.live.textContent = 'Checking your work…';
    try {
      const run = await this.options.run();
      // Hints already opened stay open across runs: the learner asked for them.
      run.hintsShown = { ...(this.current?.hintsShown ?? {}), ...run.hintsShown };
      this.current = run;
      this.render(true);
      this.options.changed(run);
    } catch (error) {
      this.live.textContent = `The checks could not run: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.running = false;
      this.button.disabled = false;
      this.button.removeAttribute('aria-busy');
    }
  }

  private render(announce: boolean): void {
    const run = this.current;
    this.list.replaceChildren();
    if (!run) return;
    const summary = summarise(run);
    this.live.textContent = announce ? summary : `Last check (${new Date(run.at).toLocaleTimeString()}): ${summary}`;
    for (const result of run.results) this.list.append(this.renderResult(result));
  }

  private renderResult(result: StoredCheckResult): HTMLLIElement {
    const item = el('li', { className: `check check-${result.status}` });
    item.dataset.checkId = result.id;
    const icon = el('span', { className: 'check-icon', textContent: STATUS_ICON[result.status] });
    icon.setAttribute('aria-hidden', 'true');
    const heading = el('h3', { className: 'check-title' }, icon, el('span', { className: 'check-status', textContent: `${STATUS_TEXT[result.status]}:` }), ` ${result.title}`);
    const points = el('span', { className: 'check-points', textContent: ` ${result.points}/${result.maxPoints} pt` });
    heading.append(points);
    item.append(heading);
    if (result.status !== 'pass' || result.evidence.length > 0) {
      const facts = el('dl', { className: 'check-facts' });
      facts.append(el('dt', { textContent: 'Expected' }), el('dd', { textContent: result.expected }));
      facts.append(el('dt', { textContent: result.status === 'pass' ? 'Found' : 'Found instead' }), el('dd', { textContent: result.found }));
      if (result.error) facts.append(el('dt', { textContent: 'Problem' }), el('dd', { textContent: result.error }));
      item.append(facts);
    }
    if (result.evidence.length > 0) {
      const evidence = el('ul', { className: 'check-evidence' });
      for (const e of result.evidence) {
        const li = el('li');
        if (e.source) li.append(el('code', { textContent: e.source }), ' ');
        li.append(e.text);
        evidence.append(li);
      }
      item.append(el('details', { className: 'evidence-details', open: result.status !== 'pass' }, el('summary', { textContent: `Evidence (${result.evidence.length})` }), evidence));
    }
    if (result.status !== 'pass') item.append(this.renderHints(result));
    return item;
  }

  private renderHints(result: StoredCheckResult): HTMLElement {
    const box = el('div', { className: 'check-hints' });
    const shown = Math.min(3, this.current?.hintsShown[result.id] ?? 0);
    const list = el('ol', { className: 'hint-ladder' });
    for (let i = 0; i < shown; i++) {
      const rung = RUNGS[i];
      const li = el('li', { className: `hint hint-${rung}` }, el('strong', { textContent: `${RUNG_TITLE[rung]}: ` }));
      if (rung === 'concept') {
        li.append(result.hints.concept.text, ' ', el('a', { href: result.hints.concept.href, textContent: 'Read about it in the chapter' }));
      } else if (rung === 'fix') {
        li.append(el('code', { textContent: result.hints.fix }));
      } else {
        li.append(result.hints.nudge);
      }
      list.append(li);
    }
    if (shown > 0) box.append(list);
    if (shown < 3) {
      const next = RUNGS[shown];
      const button = el('button', { type: 'button', className: 'secondary hint-button', textContent: shown === 0 ? `Show a hint for "${result.title}"` : `Show the ${RUNG_TITLE[next].toLowerCase()} for "${result.title}"` });
      button.addEventListener('click', () => {
        if (!this.current) return;
        this.current.hintsShown = { ...this.current.hintsShown, [result.id]: shown + 1 };
        const replacement = this.renderResult(result);
        const old = this.list.querySelector<HTMLElement>(`[data-check-id="${CSS.escape(result.id)}"]`);
        old?.replaceWith(replacement);
        replacement.querySelector<HTMLElement>(`.hint-${next}`)?.setAttribute('tabindex', '-1');
        replacement.querySelector<HTMLElement>(`.hint-${next}`)?.focus();
        this.options.changed(this.current);
      });
      box.append(button);
    }
    return box;
  }
}
