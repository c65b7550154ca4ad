// Keeps a learner's lab in IndexedDB (files, shell history, cloud snapshot, check results, settings),
// one record per part so a damaged part never takes the others down, and damaged data is set aside, not lost.
import { z } from 'zod';

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

const fileContent = z.union([z.string(), z.instanceof(Uint8Array)]);
const schemas = {
  files: z.record(z.string().min(1), fileContent),
  history: z.array(z.string()),
  cloudSnapshot: z.unknown(),
  results: z.object({
    at: z.string(),
    score: z.number(),
    maxScore: z.number(),
    completed: z.boolean(),
    results: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        status: z.enum(['pass', 'fail', 'error']),
        points: z.number(),
        maxPoints: z.number(),
        expected: z.string(),
        found: z.string(),
        evidence: z.array(z.object({ kind: z.string(), text: z.string(), source: z.string().optional() })),
        hints: z.object({ nudge: z.string(), concept: z.object({ text: z.string(), href: z.string() }), fix: z.string() }),
        hintLevel: z.enum(['nudge', 'concept', 'fix']).nullable(),
        error: z.string().optional(),
      }),
    ),
    hintsShown: z.record(z.string(), z.number()),
  }),
  settings: z.object({
    kind: z.enum(['sandbox', 'endpoint']),
    endpoint: z.string().url().optional(),
    speed: z.number().positive(),
  }),
} as const;

export type LabPart = keyof typeof schemas;
const PARTS = Object.keys(schemas) as LabPart[];

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
      const parsed =
        typeof record === 'object' && record !== null && record.schema === RECORD_SCHEMA
          ? schemas[part].safeParse(record.value)
          : null;
      if (parsed?.success) {
        (state as unknown as Record<LabPart, unknown>)[part] = parsed.data;
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
  async save<P extends LabPart>(part: P, value: z.input<(typeof schemas)[P]>): Promise<StorageProblem | null> {
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
