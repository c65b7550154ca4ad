import { describe, it, expect } from 'vitest';
import { checkQuiz, gradeQuiz, gradeMessage } from './quiz-model.ts';

const opts = [
  { text: 'a', correct: true, explain: 'yes' },
  { text: 'b', explain: 'no' },
];

describe('checkQuiz', () => {
  it('accepts a well-formed quiz', () => {
    expect(() => checkQuiz('prologue-why', 'single', opts)).not.toThrow();
  });
  it('names the quiz and the option that is wrong', () => {
    expect(() => checkQuiz('q', 'single', [{ text: 'a', correct: true, explain: 'x' }, { text: 'b' }])).toThrow('Quiz q: options[1].explain is missing');
    expect(() => checkQuiz('q', 'single', [{ ...opts[0] }, { ...opts[1], correct: true }])).toThrow('use kind="multiple"');
    expect(() => checkQuiz('q', 'multiple', [{ ...opts[1] }, { ...opts[1] }])).toThrow('no option has correct: true');
    expect(() => checkQuiz('Bad Id', 'single', opts)).toThrow(/kebab-case/);
    expect(() => checkQuiz('q', 'several', opts)).toThrow(/"single" or "multiple"/);
  });
});

describe('gradeQuiz', () => {
  it('needs every correct option and no wrong one', () => {
    expect(gradeQuiz([0, 2], [2, 0]).correct).toBe(true);
    expect(gradeQuiz([0, 2], [0])).toEqual({ correct: false, found: 1, expected: 2, wrongPicks: 0 });
    expect(gradeQuiz([0, 2], [0, 1, 2])).toEqual({ correct: false, found: 2, expected: 2, wrongPicks: 1 });
    expect(gradeQuiz([1], []).correct).toBe(false);
  });
  it('tells a multiple-choice learner how far they got', () => {
    expect(gradeMessage('multiple', gradeQuiz([0, 2], [0, 1]))).toBe('You found 1 of 2 correct answers and chose 1 that is not right. Read the explanations, then try again.');
    expect(gradeMessage('single', gradeQuiz([0], [0]))).toMatch(/^Correct/);
  });
});
