import { describe, it, expect } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { openDatabase, openLabStore, isStorageProblem } from './lab-store.ts';

/** Writes a raw record the way an older or broken build might have left it. */
async function putRaw(factory: IDBFactory, key: string, value: unknown): Promise<void> {
  const db = await openDatabase(factory);
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('lab-parts', 'readwrite');
    tx.objectStore('lab-parts').put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

describe('LabStore', () => {
  it('starts empty for a lab never opened before', async () => {
    const store = await openLabStore('first-deploy', new IDBFactory());
    const { state, problems } = await store.load();
    expect(problems).toEqual([]);
    expect(state).toEqual({ files: null, history: [], cloudSnapshot: null, results: null, settings: null });
  });

  it('keeps files (text and binary), history, snapshot, results and settings across a reopen', async () => {
    const factory = new IDBFactory();
    const store = await openLabStore('first-deploy', factory);
    const bundle = new Uint8Array([0x50, 0x4b, 3, 4, 0, 255]);
    expect(await store.save('files', { 'application.py': 'app = 1\n', 'bundle.zip': bundle })).toBeNull();
    expect(await store.save('history', ['eb init', 'eb create'])).toBeNull();
    expect(await store.save('cloudSnapshot', { accounts: { '000000000000': {} }, now: 1 })).toBeNull();
    expect(await store.save('settings', { kind: 'endpoint', endpoint: 'http://localhost:4566', speed: 40 })).toBeNull();
    expect(
      await store.save('results', {
        at: '2026-11-23T09:00:00.000Z',
        score: 3,
        maxScore: 5,
        completed: false,
        results: [
          {
            id: 'procfile',
            title: 'Procfile names the web process',
            status: 'fail',
            points: 0,
            maxPoints: 2,
            expected: 'web: gunicorn',
            found: 'no Procfile',
            evidence: [{ kind: 'file', text: 'Procfile is missing', source: 'Procfile' }],
            hints: { nudge: 'How does EB know what to start?', concept: { text: 'The Procfile', href: '/chapters/procfile/' }, fix: 'echo "web: gunicorn application:application" > Procfile' },
            hintLevel: 'nudge',
          },
        ],
        hintsShown: { procfile: 1 },
      }),
    ).toBeNull();

    const reopened = await openLabStore('first-deploy', factory);
    const { state, problems } = await reopened.load();
    expect(problems).toEqual([]);
    expect(state.files?.['application.py']).toBe('app = 1\n');
    expect(Array.from(state.files?.['bundle.zip'] as Uint8Array)).toEqual(Array.from(bundle));
    expect(state.history).toEqual(['eb init', 'eb create']);
    expect(state.cloudSnapshot).toEqual({ accounts: { '000000000000': {} }, now: 1 });
    expect(state.settings).toEqual({ kind: 'endpoint', endpoint: 'http://localhost:4566', speed: 40 });
    expect(state.results?.hintsShown).toEqual({ procfile: 1 });
  });

  it('keeps labs apart', async () => {
    const factory = new IDBFactory();
    await (await openLabStore('lab-a', factory)).save('history', ['ls']);
    const { state } = await (await openLabStore('lab-b', factory)).load();
    expect(state.history).toEqual([]);
  });

  it('reports a damaged part, loads the others, and sets the damaged copy aside instead of deleting it', async () => {
    const factory = new IDBFactory();
    const store = await openLabStore('first-deploy', factory);
    await store.save('history', ['eb status']);
    const broken = { schema: 1, savedAt: 'x', value: { 'application.py': 42 } };
    await putRaw(factory, 'first-deploy/files', broken);

    const { state, problems } = await (await openLabStore('first-deploy', factory)).load();
    expect(state.history).toEqual(['eb status']);
    expect(state.files).toBeNull();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'damaged', part: 'files' });
    expect(problems[0].message).toContain('your files could not be read');
    expect(await store.damagedCopy('files')).toEqual(broken);

    // Once set aside, the next load is clean (the learner is not told twice) and the copy survives.
    const again = await (await openLabStore('first-deploy', factory)).load();
    expect(again.problems).toEqual([]);
    expect(await store.damagedCopy('files')).toEqual(broken);
  });

  it('treats records from an unknown format and non-object junk as damaged', async () => {
    const factory = new IDBFactory();
    await putRaw(factory, 'first-deploy/history', 'eb status');
    await putRaw(factory, 'first-deploy/settings', { schema: 99, savedAt: 'x', value: { kind: 'sandbox', speed: 40 } });
    const { problems } = await (await openLabStore('first-deploy', factory)).load();
    expect(problems.map((p) => p.part).sort()).toEqual(['history', 'settings']);
  });

  it('checks every field of saved results and settings: wrong shapes are damaged, unknown keys are dropped', async () => {
    const factory = new IDBFactory();
    const result = {
      id: 'procfile', title: 'Procfile', status: 'fail', points: 0, maxPoints: 2, expected: 'web: …', found: 'none',
      evidence: [{ kind: 'file', text: 'missing' }], hints: { nudge: 'n', concept: { text: 'c', href: '/chapters/x/' }, fix: 'f' }, hintLevel: 'nudge',
    };
    const run = { at: '2026-01-01T00:00:00Z', score: 0, maxScore: 2, completed: false, results: [{ ...result, extra: 1 }], hintsShown: { procfile: 1 }, legacy: true };
    await putRaw(factory, 'good/results', { schema: 1, savedAt: 'x', value: run });
    await putRaw(factory, 'good/settings', { schema: 1, savedAt: 'x', value: { kind: 'endpoint', endpoint: 'http://localhost:4566', speed: 1 } });
    const good = await (await openLabStore('good', factory)).load();
    expect(good.problems).toEqual([]);
    expect(good.state.results).toEqual({ ...run, results: [result], legacy: undefined });
    expect(good.state.results).not.toHaveProperty('legacy');
    expect(good.state.settings).toEqual({ kind: 'endpoint', endpoint: 'http://localhost:4566', speed: 1 });

    const broken: Array<[string, unknown]> = [
      ['results', { ...run, results: [{ ...result, status: 'passed' }] }],
      ['results', { ...run, results: [{ ...result, hints: { nudge: 'n', fix: 'f' } }] }],
      ['results', { ...run, hintsShown: { procfile: 'one' } }],
      ['settings', { kind: 'endpoint', endpoint: 'not a url', speed: 1 }],
      ['settings', { kind: 'sandbox', speed: 0 }],
      ['history', ['eb init', 7]],
      ['files', { '': 'no name' }],
    ];
    for (const [i, [part, value]] of broken.entries()) {
      await putRaw(factory, `bad-${i}/${part}`, { schema: 1, savedAt: 'x', value });
      const { state, problems } = await (await openLabStore(`bad-${i}`, factory)).load();
      expect(problems.map((p) => p.part), `${part}: ${JSON.stringify(value)}`).toEqual([part]);
      expect((state as unknown as Record<string, unknown>)[part], part).toEqual(part === 'history' ? [] : null);
    }
  });

  it('clear() forgets the lab (Reset lab) but keeps damaged copies', async () => {
    const factory = new IDBFactory();
    const store = await openLabStore('first-deploy', factory);
    await store.save('files', { 'a.txt': 'a' });
    await putRaw(factory, 'first-deploy/history', 12);
    await store.load();
    await store.clear();
    const { state } = await store.load();
    expect(state.files).toBeNull();
    expect(await store.damagedCopy('history')).toBe(12);
  });

  it('says what to do when the browser offers no storage', async () => {
    const error = await openDatabase(undefined as unknown as IDBFactory).catch((e: unknown) => e);
    expect(isStorageProblem(error)).toBe(true);
    expect((error as { message: string }).message).toMatch(/Export attempt/);
  });

  it('turns a failing open (e.g. storage blocked) into an "unavailable" problem', async () => {
    const failing = {
      open() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    } as unknown as IDBFactory;
    const error = await openDatabase(failing).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect((error as { message: string }).message).toContain('The operation is insecure.');
  });

  it('reports a full disk as a "full" problem instead of throwing', async () => {
    const factory = new IDBFactory();
    const store = await openLabStore('first-deploy', factory);
    const db = (store as unknown as { db: IDBDatabase }).db;
    const original = db.transaction.bind(db);
    db.transaction = ((...args: Parameters<IDBDatabase['transaction']>) => {
      const tx = original(...args);
      queueMicrotask(() => {
        Object.defineProperty(tx, 'error', { value: new DOMException('quota', 'QuotaExceededError') });
        tx.abort();
      });
      return tx;
    }) as IDBDatabase['transaction'];
    const result = await store.save('history', ['eb deploy']);
    expect(result).toMatchObject({ kind: 'full', part: 'history' });
    expect(result?.message).toMatch(/storage is full/);
  });
});
