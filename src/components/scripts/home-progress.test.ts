import { describe, it, expect } from 'vitest';
import { describeProgress, progressState } from './home-progress.ts';
import type { ChapterProgressSummary } from '../../course/progress.ts';

const base: ChapterProgressSummary = { read: false, quizzesAnswered: 0, quizzesCorrect: 0, quizzesTotal: 2, complete: false };
const lab = (score: number, completed: boolean) => ({ id: 'eb-fundamentals', result: { score, maxScore: 100, bestScore: score, completed, recordedAt: '2026-11-23T08:00:00.000Z' } });

describe('home page progress line', () => {
  it('says "Not started" until anything happens', () => {
    expect(describeProgress({ ...base, lab: { id: 'eb-fundamentals' } })).toBe('Not started');
    expect(progressState(base)).toBe('new');
  });
  it('lists reading, quizzes and the lab', () => {
    const p = { ...base, read: true, quizzesAnswered: 2, quizzesCorrect: 1, lab: lab(40, false) };
    expect(describeProgress(p)).toBe('Read, quizzes 1/2 correct, lab 40/100, not passed yet');
    expect(progressState(p)).toBe('started');
  });
  it('marks a finished chapter complete', () => {
    const p = { ...base, read: true, quizzesAnswered: 2, quizzesCorrect: 2, lab: lab(100, true), complete: true };
    expect(describeProgress(p)).toBe('Complete: Read, quizzes 2/2 correct, lab passed (best 100/100)');
    expect(progressState(p)).toBe('complete');
  });
  it('counts a lab attempt as a start even before reading', () => {
    expect(describeProgress({ ...base, quizzesTotal: 0, lab: lab(10, false) })).toBe('Not read yet, lab 10/100, not passed yet');
  });
});
