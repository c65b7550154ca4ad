// Quiz data as authors write it, its validation at build time, and grading (pure; used by the Quiz script).
export interface QuizOption {
  /** The answer text (`code` and **strong** allowed). */
  text: string;
  correct?: boolean;
  /** Why this answer is right or wrong; shown after the learner checks. */
  explain: string;
}

export type QuizKind = 'single' | 'multiple';

export function checkQuiz(id: unknown, kind: unknown, options: unknown): void {
  if (typeof id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) {
    throw new Error(`Quiz: id must be kebab-case text, unique in the course (e.g. id="fundamentals-environments"), got ${JSON.stringify(id)}`);
  }
  if (kind !== 'single' && kind !== 'multiple') throw new Error(`Quiz ${id}: kind must be "single" or "multiple", got ${JSON.stringify(kind)}`);
  if (!Array.isArray(options) || options.length < 2) throw new Error(`Quiz ${id}: options must be a list of at least 2 { text, correct?, explain }`);
  options.forEach((o, i) => {
    if (typeof o !== 'object' || o === null) throw new Error(`Quiz ${id}: options[${i}] must be { text, correct?, explain }`);
    const opt = o as QuizOption;
    if (typeof opt.text !== 'string' || !opt.text.trim()) throw new Error(`Quiz ${id}: options[${i}].text is missing`);
    if (typeof opt.explain !== 'string' || !opt.explain.trim()) throw new Error(`Quiz ${id}: options[${i}].explain is missing; every answer says why it is right or wrong`);
    if (opt.correct !== undefined && typeof opt.correct !== 'boolean') throw new Error(`Quiz ${id}: options[${i}].correct must be true or false`);
  });
  const correct = (options as QuizOption[]).filter((o) => o.correct).length;
  if (correct === 0) throw new Error(`Quiz ${id}: no option has correct: true`);
  if (kind === 'single' && correct !== 1) throw new Error(`Quiz ${id}: a single-choice quiz has exactly one correct option, found ${correct}; use kind="multiple"`);
}

export interface QuizGrade {
  correct: boolean;
  /** Correct options the learner chose. */
  found: number;
  /** All correct options. */
  expected: number;
  /** Wrong options the learner chose. */
  wrongPicks: number;
}

/** Grades a selection given which option indexes are correct. */
export function gradeQuiz(correctIndexes: readonly number[], selected: readonly number[]): QuizGrade {
  const correctSet = new Set(correctIndexes);
  const chosen = new Set(selected);
  const found = [...chosen].filter((i) => correctSet.has(i)).length;
  const wrongPicks = chosen.size - found;
  return { correct: found === correctSet.size && wrongPicks === 0, found, expected: correctSet.size, wrongPicks };
}

/** The sentence announced after checking. */
export function gradeMessage(kind: QuizKind, grade: QuizGrade): string {
  if (grade.correct) return 'Correct. The explanations say why.';
  if (kind === 'single') return 'Not quite. Read the explanations, then try again.';
  const parts = [`You found ${grade.found} of ${grade.expected} correct answers`];
  if (grade.wrongPicks > 0) parts.push(`and chose ${grade.wrongPicks} that ${grade.wrongPicks === 1 ? 'is' : 'are'} not right`);
  return `${parts.join(' ')}. Read the explanations, then try again.`;
}
