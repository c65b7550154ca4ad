// Behaviour of every Quiz on a page: grade on submit, reveal each answer's explanation, announce the
// result to screen readers, and remember the answer (restored when the learner comes back).
import { progressStore } from '../../course/progress.ts';
import { gradeQuiz, gradeMessage, type QuizKind } from '../quiz-model.ts';

function chapterOf(form: HTMLElement): string {
  return form.closest<HTMLElement>('[data-chapter]')?.dataset.chapter ?? location.pathname;
}

function show(form: HTMLFormElement, selected: number[]): boolean {
  const kind = (form.dataset.kind === 'multiple' ? 'multiple' : 'single') as QuizKind;
  const options = [...form.querySelectorAll<HTMLElement>('[data-option]')];
  const correctIndexes = options.filter((o) => o.dataset.correct === 'true').map((o) => Number(o.dataset.option));
  const grade = gradeQuiz(correctIndexes, selected);
  for (const option of options) {
    const index = Number(option.dataset.option);
    const isCorrect = option.dataset.correct === 'true';
    const chosen = selected.includes(index);
    option.dataset.state = chosen ? (isCorrect ? 'right' : 'wrong') : isCorrect && grade.correct ? 'missed' : '';
    const verdict = option.querySelector<HTMLElement>('[data-verdict]');
    // Only reveal which unchosen answers were right once the learner has it right; otherwise they try again.
    if (verdict) verdict.textContent = chosen ? (isCorrect ? '✓ right' : '✗ not right') : isCorrect && grade.correct ? '✓ right' : '';
    const explain = option.querySelector<HTMLElement>('.explain');
    if (explain) explain.hidden = !(chosen || grade.correct);
  }
  const result = form.querySelector<HTMLElement>('[data-result]');
  if (result) {
    result.textContent = gradeMessage(kind, grade);
    result.dataset.correct = String(grade.correct);
  }
  return grade.correct;
}

export function initQuizzes(): void {
  const store = progressStore();
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-quiz]')) {
    if (form.dataset.ready) continue;
    form.dataset.ready = 'true';
    const quizId = form.dataset.quiz!;
    const inputs = [...form.querySelectorAll<HTMLInputElement>('input')];
    const saved = store.quizAnswer(quizId);
    if (saved) {
      for (const input of inputs) input.checked = saved.selected.includes(Number(input.value));
      show(form, saved.selected);
    }
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const selected = inputs.filter((i) => i.checked).map((i) => Number(i.value));
      const result = form.querySelector<HTMLElement>('[data-result]');
      if (selected.length === 0) {
        if (result) {
          result.textContent = 'Choose an answer first.';
          result.dataset.correct = 'false';
        }
        inputs[0]?.focus();
        return;
      }
      const correct = show(form, selected);
      store.recordQuizAnswer(quizId, { chapter: chapterOf(form), selected, correct });
    });
  }
}
