// The lab worker's entry: hosts a LabSession (cloud, shell, eb, checks) off the main thread so typing and
// drawing never wait for a simulated deploy, and answers the page's calls by message.
/// <reference lib="webworker" />
/// <reference types="vite/client" />
// First, so that just-bash finds a Buffer when it loads.
import './shims/buffer-global.ts';
import type { LabSession } from './session/lab-session.ts';
import type { FromWorker, ToWorker, WorkerEvent, WorkerMethods, MethodName } from './protocol.ts';
import type { CustomChecks } from '../checks/index.ts';
import type { LabStore } from './persistence/lab-store.ts';

declare const self: DedicatedWorkerGlobalScope;

// Labs with a checks.ts get their custom checks bundled here, loaded only for the lab being opened.
const customCheckModules = import.meta.glob<{ default?: CustomChecks }>('../../labs/*/checks.ts');

/** When this entry module started; the session's code (just-bash, the SDK, the cloud) loads as its own chunk. */
const workerStartedAt = Date.now();
let workerLoadedAt = 0;

function post(message: FromWorker): void {
  self.postMessage(message);
}

// Cloud snapshots are saved here, off the page's thread; the page only hears that a save happened.
let saving: { labId: string; enabled: boolean } = { labId: '', enabled: false };
let store: Promise<LabStore> | null = null;
let storeLabId = '';

async function saveSnapshot(snapshot: unknown): Promise<void> {
  if (!saving.enabled) return;
  if (!store || storeLabId !== saving.labId) {
    storeLabId = saving.labId;
    store = import('./persistence/lab-store.ts').then(({ openLabStore }) => openLabStore(saving.labId));
  }
  let problem;
  try {
    problem = await (await store).save('cloudSnapshot', snapshot);
  } catch (error) {
    store = null;
    const { isStorageProblem } = await import('./persistence/lab-store.ts');
    problem = isStorageProblem(error) ? error : { kind: 'write-failed' as const, message: `Could not save the sandbox cloud: ${String(error)}` };
  }
  post({ kind: 'cloud-saved', problem });
}

function emit(event: WorkerEvent): void {
  if (event.kind === 'cloud-snapshot') void saveSnapshot(event.snapshot);
  else post(event);
}

// Started at once: the page's first call (boot) waits for it, while its chunks are fetched and compiled.
const loadingSession: Promise<LabSession> = import('./session/lab-session.ts').then(({ LabSession }) => {
  workerLoadedAt = Date.now();
  return new LabSession(emit, {
    loadCustomChecks: async (labId) => {
      const load = customCheckModules[`../../labs/${labId}/checks.ts`];
      return load ? (await load()).default : undefined;
    },
  });
});
let session!: LabSession;

type Handler = (params: never) => unknown;
const methods: { [M in MethodName]: (params: Parameters<WorkerMethods[M]>[0]) => unknown } = {
  boot: async (p) => {
    const info = await session.boot(p);
    return { ...info, timings: { workerStarted: workerStartedAt, workerLoaded: workerLoadedAt, ...info.timings } };
  },
  exec: (p) => session.exec(p.execId, p.line),
  interrupt: (p) => session.interrupt(p.execId),
  answer: (p) => session.answer(p.questionId, p.text),
  inputState: (p) => session.inputState(p.text),
  complete: (p) => session.complete(p.line, p.cursor),
  writeFile: (p) => session.writeFile(p.path, p.content),
  createFolder: (p) => session.createFolder(p.path),
  removePath: (p) => session.removePath(p.path),
  renamePath: (p) => session.renamePath(p.from, p.to),
  runChecks: () => session.runChecks(),
  resetLab: (p) => session.resetLab(p.to, p.resetCloud),
  loadAttempt: (p) => session.loadAttempt(p.files, p.cloudSnapshot),
  cloudSnapshot: () => session.cloudSnapshot(),
  setSaving: (p) => {
    saving = { labId: p.labId, enabled: p.enabled };
  },
  saveCloudNow: () => session.publishSnapshot(true),
  timeline: (p) => session.timeline(p.environment),
  traffic: (p) => session.traffic(p.environment),
  setCloud: (p) => session.setCloud(p.setting),
  testEndpoint: (p) => session.testEndpoint(p.endpoint),
  warmUp: () => session.warmUp().catch((error: unknown) => console.warn('[lab worker] preloading eb failed; it loads on first use', error)),
};

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message?.kind !== 'call') return;
  const handler = methods[message.method] as Handler | undefined;
  if (!handler) {
    post({ kind: 'reply', callId: message.callId, ok: false, error: `unknown method ${String(message.method)}` });
    return;
  }
  loadingSession
    .then((loaded) => {
      session = loaded;
      return handler(message.params as never);
    })
    .then(
      (value) => post({ kind: 'reply', callId: message.callId, ok: true, value }),
      (error: unknown) => post({ kind: 'reply', callId: message.callId, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
});

self.addEventListener('unhandledrejection', (event) => {
  console.error('[lab worker] unhandled rejection', event.reason);
});
