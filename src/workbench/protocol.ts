// The messages between the lab page (UI on the main thread) and the lab worker (cloud, shell, eb, checks).
// Requests are typed method calls answered once; events stream (command output, file changes, cloud state).
import type { Completion } from './terminal/line-editor.ts';
import type { CloudSetting, WorkspaceFiles, StoredCheckRun, StorageProblem } from './persistence/lab-store.ts';
import type { TimelineData } from './timeline/timeline-data.ts';
import type { TrafficData } from './traffic/traffic-data.ts';
import type { LabManifests } from '../course/lab-assembly.ts';
import type { PresetCloud } from './session/preset-cloud.ts';

export type { Completion, CloudSetting, WorkspaceFiles, StoredCheckRun, TimelineData, TrafficData, LabManifests, PresetCloud };

export interface LabBoot {
  labId: string;
  /**
   * The files of labs/<lab-id>/, keyed relative to the lab folder (starter/..., solution/..., preset/...), without
   * lab.yaml and wrong/<name>/wrong.yaml, whose validated content is in `manifests`.
   */
  labFiles: Record<string, string | Uint8Array>;
  /**
   * lab.yaml's and each wrong answer's manifest, validated (defaults applied) when the page was built: the
   * worker assembles the Lab from them and the files instead of validating again (no zod in the browser).
   */
  manifests: LabManifests;
  /** The learner's saved workspace, or null to start from the starter files. */
  files: WorkspaceFiles | null;
  /** The saved sandbox cloud, or null to start from the lab's preset. */
  cloudSnapshot: unknown;
  /** The lab's preset cloud as the site built it; null (or absent) makes the worker build it from the preset. */
  presetCloud?: PresetCloud | null;
  cloud: CloudSetting;
}

export interface BootInfo {
  workspaceDir: string;
  cwd: string;
  files: WorkspaceFiles;
  cloud: CloudStatus;
  /** Problems met while restoring (e.g. a saved cloud that could not be restored), for the learner. */
  notices: string[];
  /** When each boot phase ended (epoch ms), for the budget measurements. */
  timings: Record<string, number>;
}

export interface CloudStatus {
  kind: 'sandbox' | 'endpoint';
  /** Human description for the status line, e.g. "Sandbox cloud in this tab (x40)". */
  label: string;
  endpoint?: string;
  speed: number;
  /** Whether sandbox-only evidence (timeline, traffic) is available. */
  evidence: boolean;
}

export interface EndpointReport {
  ok: boolean;
  /** What the health endpoint said, in a sentence. */
  summary: string;
  services: Record<string, string>;
  /** What the learner loses or needs with this endpoint. */
  differences: string[];
}

/** The calls the page makes on the worker, with their results. */
export interface WorkerMethods {
  boot(params: LabBoot): BootInfo;
  exec(params: { execId: number; line: string; cwd: string }): { exitCode: number; cwd: string };
  interrupt(params: { execId: number }): void;
  /** Answers a running command's question (see the `question` event). */
  answer(params: { questionId: number; text: string }): void;
  /** Whether typed text is a whole command or needs more lines. */
  inputState(params: { text: string }): 'complete' | 'incomplete' | 'error';
  complete(params: { line: string; cursor: number; cwd: string }): Completion;
  writeFile(params: { path: string; content: string | Uint8Array }): void;
  createFolder(params: { path: string }): void;
  removePath(params: { path: string }): void;
  renamePath(params: { from: string; to: string }): void;
  runChecks(params: Record<string, never>): StoredCheckRun;
  /** Replaces the workspace (and, for `reset`, the cloud) with starter or solution files. */
  resetLab(params: { to: 'starter' | 'solution'; resetCloud: boolean }): { files: WorkspaceFiles };
  loadAttempt(params: { files: WorkspaceFiles; cloudSnapshot: unknown }): { files: WorkspaceFiles; notices: string[] };
  cloudSnapshot(params: Record<string, never>): { snapshot: unknown; presetFinishedAt?: number };
  /**
   * Whether the worker saves the sandbox cloud to IndexedDB itself (only the tab that owns the lab does):
   * snapshots can be large, so they never cross to the page's thread.
   */
  setSaving(params: { labId: string; enabled: boolean }): void;
  /** Saves the cloud now (after the page cleared the lab's storage on reset). */
  saveCloudNow(params: Record<string, never>): void;
  /** The newest environment's timeline; 'unchanged' when it is the same as the last answer (polling is cheap). */
  timeline(params: { environment?: string }): TimelineData | null | 'unchanged';
  /** Requests to the environment that receives traffic, bucketed; 'unchanged' as for the timeline. */
  traffic(params: { environment?: string }): TrafficData | null | 'unchanged';
  setCloud(params: { setting: CloudSetting }): CloudStatus;
  testEndpoint(params: { endpoint: string }): EndpointReport;
  /** Loads what the first commands need (the EB CLI, the SDK clients); the page asks once its prompt is up. */
  warmUp(params: Record<string, never>): void;
}

export type MethodName = keyof WorkerMethods;
export type MethodParams<M extends MethodName> = Parameters<WorkerMethods[M]>[0];
export type MethodResult<M extends MethodName> = ReturnType<WorkerMethods[M]>;

export type ToWorker = { kind: 'call'; callId: number; method: MethodName; params: unknown };

export type WorkerEvent =
  | { kind: 'output'; execId: number; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'question'; execId: number; questionId: number; text: string }
  | { kind: 'files'; changed: WorkspaceFiles; removed: string[] }
  | { kind: 'cloud-snapshot'; snapshot: unknown }
  /** The worker saved the cloud (problem null) or could not (quota, storage unavailable). */
  | { kind: 'cloud-saved'; problem: StorageProblem | null }
  | { kind: 'activity'; environments: string[] }
  | { kind: 'fatal'; message: string };

export type FromWorker =
  | { kind: 'reply'; callId: number; ok: true; value: unknown }
  | { kind: 'reply'; callId: number; ok: false; error: string }
  | WorkerEvent;
