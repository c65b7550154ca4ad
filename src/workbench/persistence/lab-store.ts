// Keeps a learner's lab in IndexedDB (files, shell history, cloud snapshot, check results, settings),
// one record per part so a damaged part never takes the others down, and damaged data is set aside, not lost.

export const DATABASE_NAME = 'beanstalk-academy';
const DATABASE_VERSION = 1;
const PARTS_STORE = 'lab-parts';
const RECORD_SCHEMA = 1;

/** File contents by path relative to the lab workspace; binary files (bundles) stay bytes. */
export type WorkspaceFiles = Record<string, string | Uint8Array>;

export interface CloudSetting {
  kind: 'sandbox' | 'endpoint';
  /** Only for `endpoint`: e.g. http://localhost:4566 */
  endpoint?: string;
  /** Simulated seconds per real second for the sandbox. */
  speed: number;
}

/** The sandbox's time speed until the learner picks another (a real 5-minute launch in about 7.5 s). */
export const DEFAULT_SPEED = 40;

export interface StoredCheckResult {
  id: string;
  title: string;
  status: 'pass' | 'fail' | 'error';
  points: number;
  maxPoints: number;
  expected: string;
  found: string;
  evidence: Array<{ kind: string; text: string; source?: string }>;
  /** Maya's ladder for this check: nudge, concept (with a chapter link), exact fix. */
  hints: { nudge: string; concept: { text: string; href: string }; fix: string };
  /** The rung this failure points to; null when passed or on error. */
  hintLevel: 'nudge' | 'concept' | 'fix' | null;
  /** For status `error`: what went wrong inside the check. */
  error?: string;
}

export interface StoredCheckRun {
  at: string;
  score: number;
  maxScore: number;
  completed: boolean;
  results: StoredCheckResult[];
  /** How many hints the learner opened, per check id (hint use is part of the record). */
  hintsShown: Record<string, number>;
}

export interface LabState {
  files: WorkspaceFiles | null;
  history: string[];
  cloudSnapshot: unknown;
  results: StoredCheckRun | null;
  settings: CloudSetting | null;
}

/**
 * What a saved part must look like to be used. Hand-written rather than zod, so the page's first script
 * does not carry a schema library; each reader returns the cleaned value (unknown keys dropped) or INVALID.
 */
const INVALID = Symbol('invalid');
type Reader<T> = (value: unknown) => T | typeof INVALID;

const string: Reader<string> = (v) => (typeof v === 'string' ? v : INVALID);
const number: Reader<number> = (v) => (typeof v === 'number' && !Number.isNaN(v) ? v : INVALID);
const boolean: Reader<boolean> = (v) => (typeof v === 'boolean' ? v : INVALID);
const oneOf = <T extends string>(...values: T[]): Reader<T> => (v) => (values.includes(v as T) ? (v as T) : INVALID);
const nullable = <T>(read: Reader<T>): Reader<T | null> => (v) => (v === null ? null : read(v));
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function arrayOf<T>(read: Reader<T>): Reader<T[]> {
  return (v) => {
    if (!Array.isArray(v)) return INVALID;
    const out: T[] = [];
    for (const item of v) {
      const parsed = read(item);
      if (parsed === INVALID) return INVALID;
      out.push(parsed);
    }
    return out;
  };
}

function recordOf<T>(read: Reader<T>, minKeyLength = 0): Reader<Record<string, T>> {
  return (v) => {
    if (!isPlainObject(v)) return INVALID;
    const out: Record<string, T> = {};
    for (const [key, item] of Object.entries(v)) {
      const parsed = read(item);
      if (key.length < minKeyLength || parsed === INVALID) return INVALID;
      out[key] = parsed;
    }
    return out;
  };
}

/** An object with these fields (optional ones may be missing or undefined); other keys are dropped. */
function objectOf<T>(fields: { [K in keyof T]-?: Reader<T[K]> }, optional: ReadonlyArray<keyof T> = []): Reader<T> {
  return (v) => {
    if (!isPlainObject(v)) return INVALID;
    const out: Partial<T> = {};
    for (const key of Object.keys(fields) as Array<keyof T>) {
      const raw = v[key as string];
      if (raw === undefined && optional.includes(key)) continue;
      const parsed = fields[key](raw);
      if (parsed === INVALID) return INVALID;
      out[key] = parsed as T[keyof T];
    }
    return out as T;
  };
}

const fileContent: Reader<string | Uint8Array> = (v) => (typeof v === 'string' || v instanceof Uint8Array ? v : INVALID);
const url: Reader<string> = (v) => {
  if (typeof v !== 'string') return INVALID;
  try {
    new URL(v);
    return v;
  } catch {
    return INVALID;
  }
};

const checkResult = objectOf<StoredCheckResult>(
  {
    id: string,
    title: string,
    status: oneOf('pass', 'fail', 'error'),
    points: number,
    maxPoints: number,
    expected: string,
    found: string,
    evidence: arrayOf(objectOf<{ kind: string; text: string; source?: string }>({ kind: string, text: string, source: string }, ['source'])),
    hints: objectOf<StoredCheckResult['hints']>({ nudge: string, concept: objectOf<{ text: string; href: string }>({ text: string, href: string }), fix: string }),
    hintLevel: nullable(oneOf('nudge', 'concept', 'fix')),
    error: string,
  },
  ['error'],
);

const readers: { [P in keyof LabState]-?: Reader<unknown> } = {
  files: recordOf(fileContent, 1),
  history: arrayOf(string),
  cloudSnapshot: (v) => v,
  results: objectOf<StoredCheckRun>({ at: string, score: number, maxScore: number, completed: boolean, results: arrayOf(checkResult), hintsShown: recordOf(number) }),
  settings: objectOf<CloudSetting>({ kind: oneOf('sandbox', 'endpoint'), endpoint: url, speed: (v) => (typeof v === 'number' && v > 0 ? v : INVALID) }, ['endpoint']),
};

/** The value each part is saved as. */
type PartValue = { [P in keyof LabState]: Exclude<LabState[P], null> };

export type LabPart = keyof typeof readers;
const PARTS = Object.keys(readers) as LabPart[];

const PART_LABELS: Record<LabPart, string> = {
  files: 'your files',
  history: 'your terminal history',
  cloudSnapshot: 'the sandbox cloud',
  results: 'your last check results',
  settings: 'your cloud setting',
};

export type StorageProblemKind = 'unavailable' | 'full' | 'damaged' | 'write-failed';

export interface StorageProblem {
  kind: StorageProblemKind;
  part?: LabPart;
  /** A sentence for the learner saying what happened and what to do. */
  message: string;
}

interface PartRecord {
  schema: number;
  savedAt: string;
  value: unknown;
}

function partKey(labId: string, part: LabPart): string {
  return `${labId}/${part}`;
}

function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
  });
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Opens the course database; rejects with a learner-facing StorageProblem when storage is unavailable. */
export async function openDatabase(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<IDBDatabase> {
  if (!factory) {
    throw problem('unavailable', 'This browser offers no storage here (private mode or storage disabled), so work is not kept after this tab closes. Use "Export attempt" to save it.');
  }
  try {
    const request = factory.open(DATABASE_NAME, DATABASE_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(PARTS_STORE)) db.createObjectStore(PARTS_STORE);
    };
    return await requestResult(request);
  } catch (error) {
    throw problem('unavailable', `Saving is unavailable in this browser (${describe(error)}), so work is not kept after this tab closes. Use "Export attempt" to save it.`);
  }
}

function problem(kind: StorageProblemKind, message: string, part?: LabPart): StorageProblem {
  return { kind, message, ...(part ? { part } : {}) };
}

export function isStorageProblem(value: unknown): value is StorageProblem {
  return typeof value === 'object' && value !== null && 'kind' in value && 'message' in value;
}

export interface LoadedLab {
  state: LabState;
  /** Parts that could not be read; each damaged part was set aside under a `damaged` key, not deleted. */
  problems: StorageProblem[];
}

/** One lab's saved state. Writes are per part and report failures instead of throwing at the caller. */
export class LabStore {
  constructor(
    private readonly db: IDBDatabase,
    readonly labId: string,
  ) {}

  async load(): Promise<LoadedLab> {
    const state: LabState = { files: null, history: [], cloudSnapshot: null, results: null, settings: null };
    const problems: StorageProblem[] = [];
    const tx = this.db.transaction(PARTS_STORE, 'readonly');
    const store = tx.objectStore(PARTS_STORE);
    const raw = await Promise.all(PARTS.map((part) => requestResult(store.get(partKey(this.labId, part)))));
    const damaged: Array<{ part: LabPart; record: unknown }> = [];
    PARTS.forEach((part, i) => {
      const record = raw[i] as PartRecord | undefined;
      if (record === undefined) return;
      const parsed = typeof record === 'object' && record !== null && record.schema === RECORD_SCHEMA ? readers[part](record.value) : INVALID;
      if (parsed !== INVALID) {
        (state as unknown as Record<LabPart, unknown>)[part] = parsed;
      } else {
        damaged.push({ part, record });
        problems.push(
          problem(
            'damaged',
            `The saved copy of ${PART_LABELS[part]} could not be read, so the lab started without it. The damaged copy is kept in this browser's storage (key "${partKey(this.labId, part)}/damaged").`,
            part,
          ),
        );
      }
    });
    if (damaged.length > 0) await this.setAside(damaged);
    return { state, problems };
  }

  /** Saves one part; resolves to a problem (quota, write failure) instead of rejecting. */
  async save<P extends LabPart>(part: P, value: PartValue[P]): Promise<StorageProblem | null> {
    const record: PartRecord = { schema: RECORD_SCHEMA, savedAt: new Date().toISOString(), value };
    try {
      const tx = this.db.transaction(PARTS_STORE, 'readwrite');
      tx.objectStore(PARTS_STORE).put(record, partKey(this.labId, part));
      await transactionDone(tx);
      return null;
    } catch (error) {
      if (isQuotaError(error)) {
        return problem('full', `Browser storage is full, so ${PART_LABELS[part]} could not be saved. Free some space (or use "Export attempt") before closing this tab.`, part);
      }
      return problem('write-failed', `Could not save ${PART_LABELS[part]}: ${describe(error)}. Use "Export attempt" before closing this tab.`, part);
    }
  }

  /** Forgets every part of this lab (Reset lab, after the learner confirmed). Damaged copies stay. */
  async clear(): Promise<void> {
    const tx = this.db.transaction(PARTS_STORE, 'readwrite');
    const store = tx.objectStore(PARTS_STORE);
    for (const part of PARTS) store.delete(partKey(this.labId, part));
    await transactionDone(tx);
  }

  /** The damaged copy of a part, if one was set aside (so it can be offered for download). */
  async damagedCopy(part: LabPart): Promise<unknown> {
    const tx = this.db.transaction(PARTS_STORE, 'readonly');
    return requestResult(tx.objectStore(PARTS_STORE).get(`${partKey(this.labId, part)}/damaged`));
  }

  private async setAside(damaged: Array<{ part: LabPart; record: unknown }>): Promise<void> {
    try {
      const tx = this.db.transaction(PARTS_STORE, 'readwrite');
      const store = tx.objectStore(PARTS_STORE);
      for (const { part, record } of damaged) {
        store.put(record, `${partKey(this.labId, part)}/damaged`);
        store.delete(partKey(this.labId, part));
      }
      await transactionDone(tx);
    } catch {
      // Leaving the damaged record where it is loses nothing; the next load reports it again.
    }
  }
}

export async function openLabStore(labId: string, factory?: IDBFactory): Promise<LabStore> {
  return new LabStore(await openDatabase(factory), labId);
}
