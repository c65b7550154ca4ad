// The learner's progress, kept in the browser: chapters read, quiz answers and lab results. Framework-free
// and versioned; data that is corrupted or from an unknown version is discarded, never a crash.

/** The localStorage key; bump PROGRESS_VERSION (and migrate) when the shape changes. */
export const PROGRESS_STORAGE_KEY = 'beanstalk-academy:progress';
export const PROGRESS_VERSION = 1;

export interface ChapterReadRecord {
  /** ISO time the learner reached the end of the chapter. */
  readAt: string;
}

export interface QuizAnswerRecord {
  /** The chapter slug the quiz is in. */
  chapter: string;
  /** Indexes of the options the learner chose. */
  selected: number[];
  correct: boolean;
  answeredAt: string;
}

export interface LabResult {
  score: number;
  maxScore: number;
  completed: boolean;
}

export interface LabResultRecord extends LabResult {
  recordedAt: string;
  /** The best score so far; a later, worse attempt does not take progress away. */
  bestScore: number;
}

export interface ProgressState {
  version: typeof PROGRESS_VERSION;
  chapters: Record<string, ChapterReadRecord>;
  quizzes: Record<string, QuizAnswerRecord>;
  labs: Record<string, LabResultRecord>;
}

/** What the home page shows for one chapter. */
export interface ChapterProgressSummary {
  read: boolean;
  quizzesAnswered: number;
  quizzesCorrect: number;
  quizzesTotal: number;
  lab?: { id: string; result?: LabResultRecord };
  /** Read, every quiz answered correctly and the lab (if any) completed. */
  complete: boolean;
}

/** The part of the Web Storage API the store needs (localStorage satisfies it). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export type ProgressListener = (state: ProgressState) => void;

export function emptyProgress(): ProgressState {
  return { version: PROGRESS_VERSION, chapters: {}, quizzes: {}, labs: {} };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIsoTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Turns stored text into a valid state. Anything unreadable yields an empty state; entries that are
 * individually malformed are dropped so one bad entry does not cost the learner the rest.
 */
export function parseProgress(text: string | null): ProgressState {
  const state = emptyProgress();
  if (text === null) return state;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return state;
  }
  if (!isRecord(raw) || raw.version !== PROGRESS_VERSION) return state;
  if (isRecord(raw.chapters)) {
    for (const [slug, rec] of Object.entries(raw.chapters)) {
      if (isRecord(rec) && isIsoTime(rec.readAt)) state.chapters[slug] = { readAt: rec.readAt };
    }
  }
  if (isRecord(raw.quizzes)) {
    for (const [id, rec] of Object.entries(raw.quizzes)) {
      if (
        isRecord(rec) && typeof rec.chapter === 'string' && Array.isArray(rec.selected) &&
        rec.selected.every((i) => Number.isInteger(i) && (i as number) >= 0) &&
        typeof rec.correct === 'boolean' && isIsoTime(rec.answeredAt)
      ) {
        state.quizzes[id] = { chapter: rec.chapter, selected: [...(rec.selected as number[])], correct: rec.correct, answeredAt: rec.answeredAt };
      }
    }
  }
  if (isRecord(raw.labs)) {
    for (const [id, rec] of Object.entries(raw.labs)) {
      if (
        isRecord(rec) && isCount(rec.score) && isCount(rec.maxScore) && isCount(rec.bestScore) &&
        typeof rec.completed === 'boolean' && isIsoTime(rec.recordedAt)
      ) {
        state.labs[id] = { score: rec.score, maxScore: rec.maxScore, bestScore: rec.bestScore, completed: rec.completed, recordedAt: rec.recordedAt };
      }
    }
  }
  return state;
}

/** A storage that forgets on reload; used when localStorage is missing or refuses access (private modes). */
export function memoryStorage(): KeyValueStorage {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, String(v)),
    removeItem: (k) => void items.delete(k),
  };
}

function browserStorage(): KeyValueStorage {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return memoryStorage();
    const probe = `${PROGRESS_STORAGE_KEY}:probe`;
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return memoryStorage();
  }
}

export interface ProgressStore {
  read(): ProgressState;
  markChapterRead(slug: string): void;
  isChapterRead(slug: string): boolean;
  recordQuizAnswer(quizId: string, answer: { chapter: string; selected: readonly number[]; correct: boolean }): void;
  quizAnswer(quizId: string): QuizAnswerRecord | undefined;
  recordLabResult(labId: string, result: LabResult): void;
  labResult(labId: string): LabResultRecord | undefined;
  chapterProgress(chapter: { slug: string; quizIds: readonly string[]; lab?: string }): ChapterProgressSummary;
  /** Forgets everything (the "reset progress" button). */
  reset(): void;
  /** Calls the listener after every change, including changes made in another tab; returns an unsubscribe. */
  subscribe(listener: ProgressListener): () => void;
}

export interface ProgressStoreOptions {
  storage?: KeyValueStorage;
  now?: () => Date;
}

function validLabResult(labId: string, result: LabResult): void {
  if (typeof labId !== 'string' || labId.trim() === '') throw new TypeError('recordLabResult: labId must be a non-empty lab id such as "eb-fundamentals"');
  if (!isCount(result?.score)) throw new TypeError(`recordLabResult(${labId}): score must be a number >= 0, got ${String(result?.score)}`);
  if (!isCount(result.maxScore) || result.maxScore === 0) throw new TypeError(`recordLabResult(${labId}): maxScore must be a number > 0, got ${String(result.maxScore)}`);
  if (result.score > result.maxScore) throw new TypeError(`recordLabResult(${labId}): score ${result.score} is above maxScore ${result.maxScore}`);
  if (typeof result.completed !== 'boolean') throw new TypeError(`recordLabResult(${labId}): completed must be true or false`);
}

export function createProgressStore(options: ProgressStoreOptions = {}): ProgressStore {
  const storage = options.storage ?? browserStorage();
  const now = options.now ?? (() => new Date());
  const listeners = new Set<ProgressListener>();

  const read = (): ProgressState => {
    try {
      return parseProgress(storage.getItem(PROGRESS_STORAGE_KEY));
    } catch {
      return emptyProgress();
    }
  };
  const notify = (state: ProgressState) => {
    for (const listener of listeners) listener(state);
  };
  const update = (change: (state: ProgressState) => void) => {
    const state = read();
    change(state);
    try {
      storage.setItem(PROGRESS_STORAGE_KEY, JSON.stringify(state));
    } catch {
      // Storage full or denied: progress for this page view still shows, it just is not kept.
    }
    notify(state);
  };

  let storageEventHandler: ((event: StorageEvent) => void) | undefined;

  return {
    read,
    markChapterRead(slug) {
      if (read().chapters[slug]) return;
      update((s) => {
        s.chapters[slug] = { readAt: now().toISOString() };
      });
    },
    isChapterRead: (slug) => Boolean(read().chapters[slug]),
    recordQuizAnswer(quizId, answer) {
      update((s) => {
        s.quizzes[quizId] = {
          chapter: answer.chapter,
          selected: [...answer.selected].sort((a, b) => a - b),
          correct: answer.correct,
          answeredAt: now().toISOString(),
        };
      });
    },
    quizAnswer: (quizId) => read().quizzes[quizId],
    recordLabResult(labId, result) {
      validLabResult(labId, result);
      update((s) => {
        const previous = s.labs[labId];
        s.labs[labId] = {
          score: result.score,
          maxScore: result.maxScore,
          completed: result.completed || Boolean(previous?.completed),
          bestScore: Math.max(result.score, previous && previous.maxScore === result.maxScore ? previous.bestScore : 0),
          recordedAt: now().toISOString(),
        };
      });
    },
    labResult: (labId) => read().labs[labId],
    chapterProgress({ slug, quizIds, lab }) {
      const state = read();
      const answers = quizIds.map((id) => state.quizzes[id]).filter((a): a is QuizAnswerRecord => Boolean(a));
      const read_ = Boolean(state.chapters[slug]);
      const labResult = lab ? state.labs[lab] : undefined;
      const quizzesCorrect = answers.filter((a) => a.correct).length;
      return {
        read: read_,
        quizzesAnswered: answers.length,
        quizzesCorrect,
        quizzesTotal: quizIds.length,
        ...(lab ? { lab: { id: lab, ...(labResult ? { result: labResult } : {}) } } : {}),
        complete: read_ && quizzesCorrect === quizIds.length && (!lab || Boolean(labResult?.completed)),
      };
    },
    reset() {
      try {
        storage.removeItem(PROGRESS_STORAGE_KEY);
      } catch {
        // Nothing stored, nothing to forget.
      }
      notify(emptyProgress());
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!storageEventHandler && typeof globalThis.addEventListener === 'function') {
        storageEventHandler = (event) => {
          if (event.key === PROGRESS_STORAGE_KEY || event.key === null) notify(read());
        };
        globalThis.addEventListener('storage', storageEventHandler);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && storageEventHandler) {
          globalThis.removeEventListener('storage', storageEventHandler);
          storageEventHandler = undefined;
        }
      };
    },
  };
}

let defaultStore: ProgressStore | undefined;

/** The page's store over localStorage, created on first use. */
export function progressStore(): ProgressStore {
  defaultStore ??= createProgressStore();
  return defaultStore;
}

/** Called by the workbench after "Check my work": remembers the lab's latest and best score. */
export function recordLabResult(labId: string, result: LabResult): void {
  progressStore().recordLabResult(labId, result);
}
