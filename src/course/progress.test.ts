import { describe, it, expect } from 'vitest';
import { createProgressStore, memoryStorage, parseProgress, PROGRESS_STORAGE_KEY, PROGRESS_VERSION } from './progress.ts';

const fixedNow = () => new Date('2026-11-23T08:00:00.000Z');

describe('progress store', () => {
  it('remembers chapters read, quiz answers and lab results across store instances', () => {
    const storage = memoryStorage();
    const first = createProgressStore({ storage, now: fixedNow });
    first.markChapterRead('prologue');
    first.recordQuizAnswer('prologue-requirements', { chapter: 'prologue', selected: [2, 0], correct: true });
    first.recordLabResult('eb-fundamentals', { score: 60, maxScore: 100, completed: false });

    const second = createProgressStore({ storage });
    expect(second.isChapterRead('prologue')).toBe(true);
    expect(second.isChapterRead('fundamentals')).toBe(false);
    expect(second.quizAnswer('prologue-requirements')).toEqual({ chapter: 'prologue', selected: [0, 2], correct: true, answeredAt: '2026-11-23T08:00:00.000Z' });
    expect(second.labResult('eb-fundamentals')).toMatchObject({ score: 60, maxScore: 100, completed: false, bestScore: 60 });
  });

  it('summarises a chapter for the home page, lab included', () => {
    const store = createProgressStore({ storage: memoryStorage(), now: fixedNow });
    const chapter = { slug: 'fundamentals', quizIds: ['q1', 'q2'], lab: 'eb-fundamentals' };
    expect(store.chapterProgress(chapter)).toEqual({ read: false, quizzesAnswered: 0, quizzesCorrect: 0, quizzesTotal: 2, lab: { id: 'eb-fundamentals' }, complete: false });
    store.markChapterRead('fundamentals');
    store.recordQuizAnswer('q1', { chapter: 'fundamentals', selected: [1], correct: true });
    store.recordQuizAnswer('q2', { chapter: 'fundamentals', selected: [0], correct: false });
    expect(store.chapterProgress(chapter)).toMatchObject({ read: true, quizzesAnswered: 2, quizzesCorrect: 1, complete: false });
    store.recordQuizAnswer('q2', { chapter: 'fundamentals', selected: [3], correct: true });
    expect(store.chapterProgress(chapter).complete).toBe(false);
    store.recordLabResult('eb-fundamentals', { score: 100, maxScore: 100, completed: true });
    expect(store.chapterProgress(chapter)).toMatchObject({ complete: true, lab: { id: 'eb-fundamentals', result: { score: 100, completed: true } } });
  });

  it('keeps the best lab score and completion when a later attempt does worse', () => {
    const store = createProgressStore({ storage: memoryStorage(), now: fixedNow });
    store.recordLabResult('procfile', { score: 90, maxScore: 100, completed: true });
    store.recordLabResult('procfile', { score: 40, maxScore: 100, completed: false });
    expect(store.labResult('procfile')).toMatchObject({ score: 40, bestScore: 90, completed: true });
  });

  it('rejects a lab result that makes no sense, naming the field', () => {
    const store = createProgressStore({ storage: memoryStorage() });
    expect(() => store.recordLabResult('packaging', { score: 120, maxScore: 100, completed: true })).toThrow('score 120 is above maxScore 100');
    expect(() => store.recordLabResult('packaging', { score: 1, maxScore: 0, completed: true })).toThrow(/maxScore must be a number > 0/);
    expect(() => store.recordLabResult('', { score: 1, maxScore: 2, completed: true })).toThrow(/labId/);
    expect(store.labResult('packaging')).toBeUndefined();
  });

  it('discards corrupted or foreign data instead of crashing', () => {
    for (const text of ['{not json', 'null', '[]', '"text"', JSON.stringify({ version: 99, chapters: { prologue: { readAt: '2026-01-01T00:00:00Z' } } })]) {
      const storage = memoryStorage();
      storage.setItem(PROGRESS_STORAGE_KEY, text);
      const store = createProgressStore({ storage, now: fixedNow });
      expect(store.isChapterRead('prologue')).toBe(false);
      store.markChapterRead('prologue');
      expect(JSON.parse(storage.getItem(PROGRESS_STORAGE_KEY)!)).toMatchObject({ version: PROGRESS_VERSION, chapters: { prologue: { readAt: '2026-11-23T08:00:00.000Z' } } });
    }
  });

  it('drops only the malformed entries of otherwise good data', () => {
    const state = parseProgress(JSON.stringify({
      version: PROGRESS_VERSION,
      chapters: { prologue: { readAt: '2026-01-01T00:00:00Z' }, fundamentals: { readAt: 'yesterday' }, packaging: 7 },
      quizzes: { ok: { chapter: 'prologue', selected: [1], correct: true, answeredAt: '2026-01-01T00:00:00Z' }, bad: { chapter: 'prologue', selected: ['a'], correct: true, answeredAt: '2026-01-01T00:00:00Z' } },
      labs: { good: { score: 1, maxScore: 2, bestScore: 1, completed: false, recordedAt: '2026-01-01T00:00:00Z' }, bad: { score: -1, maxScore: 2, bestScore: 1, completed: false, recordedAt: '2026-01-01T00:00:00Z' } },
    }));
    expect(Object.keys(state.chapters)).toEqual(['prologue']);
    expect(Object.keys(state.quizzes)).toEqual(['ok']);
    expect(Object.keys(state.labs)).toEqual(['good']);
  });

  it('keeps working when storage throws (private browsing, quota full)', () => {
    const hostile = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); }, removeItem: () => { throw new Error('denied'); } };
    const store = createProgressStore({ storage: hostile });
    const seen: boolean[] = [];
    store.subscribe((s) => seen.push(Boolean(s.chapters.prologue)));
    expect(() => store.markChapterRead('prologue')).not.toThrow();
    expect(seen).toEqual([true]);
    expect(() => store.reset()).not.toThrow();
  });

  it('notifies subscribers on change and reset, and stops after unsubscribe', () => {
    const store = createProgressStore({ storage: memoryStorage(), now: fixedNow });
    const reads: number[] = [];
    const stop = store.subscribe((s) => reads.push(Object.keys(s.chapters).length));
    store.markChapterRead('prologue');
    store.markChapterRead('prologue');
    store.reset();
    stop();
    store.markChapterRead('fundamentals');
    expect(reads).toEqual([1, 0]);
  });
});
