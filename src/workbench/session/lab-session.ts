// One learner's lab, off the main thread: the workspace filesystem, the sandbox cloud (or an endpoint),
// the lab shell with eb/aws, and the checks. The worker exposes it as messages; tests drive it directly.
import { InMemoryFs } from 'just-bash';
import { createCloud, ScaledClock, type Cloud } from '../../cloud/index.ts';
import type { AwsClients } from '../../aws/index.ts';
import { createLabShell, type LabShell } from '../../shell/index.ts';
import type { CheckRun, CustomChecks } from '../../checks/index.ts';
import { assembleLab, readLabManifests, LabFormatError, type Lab } from '../../course/lab-assembly.ts';
import type { WorkspaceFs } from '../../workspace/fs.ts';
import type { BootInfo, CloudStatus, EndpointReport, LabBoot, WorkerEvent } from '../protocol.ts';
import type { Completion } from '../terminal/line-editor.ts';
import type { CloudSetting, StoredCheckRun, WorkspaceFiles } from '../persistence/lab-store.ts';
import { normaliseTimeline, type TimelineData } from '../timeline/timeline-data.ts';
import type { TrafficData } from '../traffic/traffic-data.ts';
import { WorkspaceMirror, safeRelativePath, writeWorkspaceFile } from './workspace-sync.ts';
import { describeEndpointHealth } from './endpoint-health.ts';
import { buildPresetCloud, type PresetCloud } from './preset-cloud.ts';
import { loadOnce } from '../../aws/load-once.ts';

// Loaded on first use, after the prompt is up: the AWS SDK clients (with the sandbox cloud's request handler),
// the checks runner with every check kind, and the traffic chart's reader.
const loadAws = () => import('../../aws/index.ts');
const loadRunner = () => import('../../checks/runner.ts');
const loadSdkEb = () => import('@aws-sdk/client-elastic-beanstalk');

export const HOME_DIR = '/home/learner';
/** How often the cloud is snapshotted for IndexedDB while it may be changing on its own (launches, deploys). */
const SNAPSHOT_INTERVAL_MS = 2000;

export interface LabSessionOptions {
  /** Loads a lab's checks.ts exports for `custom` checks (Vite glob in the worker). */
  loadCustomChecks?: (labId: string) => Promise<CustomChecks | undefined>;
  /** fetch for endpoint health tests (defaults to the global). */
  fetch?: typeof fetch;
  /** Timers for periodic snapshots; tests pass fakes. */
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

/** Maps the checks engine's run to what the page shows and stores. */
export function toStoredRun(run: CheckRun): StoredCheckRun {
  return {
    at: run.checkedAt,
    score: run.score,
    maxScore: run.maxScore,
    completed: run.completed,
    hintsShown: {},
    results: run.results.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      points: r.points,
      maxPoints: r.maxPoints,
      expected: r.expected,
      found: r.found,
      evidence: r.evidence.map((e) => ({ kind: e.kind, text: e.text, ...(e.source ? { source: e.source } : {}) })),
      hints: r.hints,
      hintLevel: r.hintLevel,
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

export class LabSession {
  private lab!: Lab;
  private readonly fs = new InMemoryFs();
  private mirror!: WorkspaceMirror;
  private cloud: Cloud | null = null;
  /** The clients of the current cloud, made when first needed (a command, the checks, the timeline); set by connect. */
  private clients!: () => Promise<AwsClients>;
  private shell!: LabShell;
  private setting!: CloudSetting;
  private readonly running = new Map<number, AbortController>();
  private snapshotTimer: unknown = null;
  private lastSnapshotJson = '';
  /** The lab's checks.ts, loaded with the checks runner on the first "Check my work" (it imports the SDK). */
  private readonly loadCustomChecks = loadOnce(async (): Promise<CustomChecks | undefined> => {
    try {
      return await this.options.loadCustomChecks?.(this.lab.id);
    } catch (error) {
      throw new Error(`This lab's custom checks could not be loaded (${error instanceof Error ? error.message : String(error)}); check the page's connection and press "Check my work" again.`);
    }
  });
  private unsubscribeCloud: (() => void) | null = null;
  private readonly questions = new Map<number, { execId: number; resolve: (answer: string) => void }>();
  private nextQuestionId = 1;
  /** The starting cloud the page was built with (null: built here from the preset when needed). */
  private presetCloud: PresetCloud | null = null;
  /** When the lab preset finished (virtual ms): known when this session built it, else inferred from events. */
  private presetFinishedAt: number | undefined;

  constructor(
    private readonly emit: (event: WorkerEvent) => void,
    private readonly options: LabSessionOptions = {},
  ) {}

  get workspaceFs(): WorkspaceFs {
    return this.fs as unknown as WorkspaceFs;
  }

  get workspaceDir(): string {
    return this.lab.workspaceDir;
  }

  async boot(boot: LabBoot): Promise<BootInfo> {
    const timings: Record<string, number> = { bootStarted: Date.now() };
    try {
      // The manifests were validated by parseLab when the page was built; only their shape is checked here.
      this.lab = assembleLab(boot.labFiles, readLabManifests(boot.manifests, boot.labId));
      this.presetCloud = boot.presetCloud ?? null;
      timings.labParsed = Date.now();
    } catch (error) {
      if (error instanceof LabFormatError) throw new Error(`This lab's files have problems (a course defect, not yours): ${error.message}`);
      throw error;
    }
    const notices: string[] = [];
    this.mirror = new WorkspaceMirror(this.workspaceFs, this.lab.workspaceDir);
    await this.fs.mkdir(HOME_DIR, { recursive: true });
    await this.fs.mkdir(this.lab.workspaceDir, { recursive: true });
    await this.writeAll(boot.files ?? this.lab.starter);
    timings.filesWritten = Date.now();
    this.setting = boot.cloud;
    notices.push(...(await this.connect(boot.cloud, boot.cloudSnapshot)));
    timings.cloudReady = Date.now();
    const files = await this.mirror.snapshot();
    timings.bootFinished = Date.now();
    return { workspaceDir: this.lab.workspaceDir, cwd: this.lab.workspaceDir, files, cloud: this.status(), notices, timings };
  }

  /**
   * Loads what the first commands need (the AWS SDK clients and the EB CLI) while the learner reads the steps,
   * so `eb init` answers at once; everything else loads on first use.
   */
  async warmUp(): Promise<void> {
    await this.shell.preload(['eb']);
  }

  private async writeAll(files: WorkspaceFiles): Promise<void> {
    for (const [path, content] of Object.entries(files)) {
      await writeWorkspaceFile(this.workspaceFs, this.lab.workspaceDir, safeRelativePath(path), content);
    }
  }

  /**
   * The lab's starting cloud: the one the page was built with, else built here on a stepped clock (instant).
   * A copy each time, so the restored cloud never changes the kept preset (Reset lab restores it again).
   */
  private async presetSnapshot(): Promise<unknown> {
    const preset = this.presetCloud ?? (await buildPresetCloud(this.lab));
    this.presetFinishedAt = preset.finishedAt;
    return structuredClone(preset.snapshot);
  }

  /** Connects to the sandbox (restoring `snapshot` or the preset) or to an endpoint; returns notices. */
  private async connect(setting: CloudSetting, snapshot: unknown): Promise<string[]> {
    const notices: string[] = [];
    this.disconnect();
    const region = this.lab.manifest.region;
    if (setting.kind === 'endpoint' && setting.endpoint) {
      const endpoint = setting.endpoint;
      this.clients = loadOnce(async () => (await loadAws()).clientsForEndpoint({ endpoint, region }));
    } else {
      let state = snapshot;
      this.presetFinishedAt = undefined;
      if (state) {
        try {
          this.startCloud(setting.speed, state);
        } catch (error) {
          notices.push(`The saved sandbox cloud could not be restored (${error instanceof Error ? error.message : String(error)}), so it was rebuilt from the lab's starting point. Your files are unchanged.`);
          state = null;
        }
      }
      if (!state) this.startCloud(setting.speed, await this.presetSnapshot());
      const cloud = this.cloud!;
      this.clients = loadOnce(async () => (await loadAws()).clientsForCloud(cloud, { region }));
    }
    this.shell = this.createShell();
    return notices;
  }

  private startCloud(speed: number, snapshot: unknown): void {
    const time = typeof snapshot === 'object' && snapshot !== null && typeof (snapshot as { time?: unknown }).time === 'number' ? (snapshot as { time: number }).time : Date.now();
    const cloud = createCloud({ clock: new ScaledClock(speed, time), log: (message) => console.warn(`[sandbox cloud] ${message}`) });
    try {
      cloud.restore(snapshot);
    } catch (error) {
      cloud.dispose();
      throw error;
    }
    this.cloud = cloud;
    this.lastSnapshotJson = '';
    this.unsubscribeCloud = cloud.onChange(() => this.snapshotSoon());
    const every = this.options.setInterval ?? ((fn: () => void, ms: number) => setInterval(fn, ms));
    this.snapshotTimer = every(() => this.publishSnapshot(), SNAPSHOT_INTERVAL_MS);
  }

  private disconnect(): void {
    for (const controller of this.running.values()) controller.abort();
    this.running.clear();
    this.unsubscribeCloud?.();
    this.unsubscribeCloud = null;
    if (this.snapshotTimer !== null) (this.options.clearInterval ?? ((h: unknown) => clearInterval(h as ReturnType<typeof setInterval>)))(this.snapshotTimer);
    this.snapshotTimer = null;
    this.cloud?.dispose();
    this.cloud = null;
  }

  private createShell(): LabShell {
    const cloud = this.cloud;
    return createLabShell({
      fs: this.fs,
      clients: {
        region: this.lab.manifest.region,
        // `sleep` waits on the sandbox's clock (real time against an endpoint), with or without the SDK loaded.
        sleep: cloud ? (ms) => cloud.clock.sleep(ms) : (ms) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
        load: () => this.clients(),
      },
      cwd: this.lab.workspaceDir,
      env: {
        HOME: HOME_DIR,
        USER: 'learner',
        AWS_REGION: this.lab.manifest.region,
        AWS_DEFAULT_REGION: this.lab.manifest.region,
      },
    });
  }

  private snapshotQueued = false;
  private snapshotSoon(): void {
    if (this.snapshotQueued) return;
    this.snapshotQueued = true;
    setTimeout(() => {
      this.snapshotQueued = false;
      this.publishSnapshot();
    }, 250);
  }

  /** Emits the cloud state when it changed (or always, when forced), for IndexedDB. */
  publishSnapshot(force = false): void {
    if (!this.cloud) return;
    if (force) this.lastSnapshotJson = '';
    let snapshot: unknown;
    try {
      snapshot = this.cloud.snapshot();
    } catch (error) {
      console.warn('[sandbox cloud] snapshot failed', error);
      return;
    }
    // The snapshot's own timestamp changes every time; compare the state without it.
    const { time: _time, ...state } = snapshot as { time: number };
    const json = JSON.stringify(state);
    if (json === this.lastSnapshotJson) return;
    this.lastSnapshotJson = json;
    this.emit({ kind: 'cloud-snapshot', snapshot });
  }

  status(): CloudStatus {
    if (this.setting.kind === 'endpoint' && this.setting.endpoint) {
      // Endpoint clients always carry the `/_sandbox/*` control (clientsForEndpoint with an endpoint URL).
      return { kind: 'endpoint', label: `Endpoint ${this.setting.endpoint}`, endpoint: this.setting.endpoint, speed: 1, evidence: true };
    }
    return { kind: 'sandbox', label: `Sandbox cloud in this tab, time ×${this.setting.speed}`, speed: this.setting.speed, evidence: true };
  }

  async exec(execId: number, line: string): Promise<{ exitCode: number; cwd: string }> {
    const controller = new AbortController();
    this.running.set(execId, controller);
    let exitCode = 1;
    try {
      const result = await this.shell.exec(line, {
        onStdout: (text: string) => this.emit({ kind: 'output', execId, stream: 'stdout', text }),
        onStderr: (text: string) => this.emit({ kind: 'output', execId, stream: 'stderr', text }),
        signal: controller.signal,
        prompt: (text: string) =>
          new Promise<string>((resolve) => {
            const questionId = this.nextQuestionId++;
            this.questions.set(questionId, { execId, resolve });
            this.emit({ kind: 'question', execId, questionId, text });
          }),
      });
      exitCode = result.exitCode;
    } catch (error) {
      this.emit({ kind: 'output', execId, stream: 'stderr', text: `${error instanceof Error ? error.message : String(error)}\n` });
    } finally {
      this.running.delete(execId);
    }
    await this.publishFileChanges();
    this.publishSnapshot();
    return { exitCode, cwd: this.shell.cwd };
  }

  interrupt(execId: number): void {
    this.running.get(execId)?.abort();
    for (const [id, question] of this.questions) {
      if (question.execId !== execId) continue;
      this.questions.delete(id);
      question.resolve('');
    }
  }

  answer(questionId: number, text: string): void {
    const question = this.questions.get(questionId);
    this.questions.delete(questionId);
    question?.resolve(text);
  }

  inputState(text: string): 'complete' | 'incomplete' | 'error' {
    return this.shell.inputState(text).kind;
  }

  async complete(line: string, cursor: number): Promise<Completion> {
    const result = await this.shell.complete(line, cursor);
    return { from: result.from, candidates: result.candidates };
  }

  private async publishFileChanges(): Promise<void> {
    const { changed, removed } = await this.mirror.diff();
    if (Object.keys(changed).length > 0 || removed.length > 0) this.emit({ kind: 'files', changed, removed });
  }

  async writeFile(path: string, content: string | Uint8Array): Promise<void> {
    const rel = safeRelativePath(path);
    await writeWorkspaceFile(this.workspaceFs, this.lab.workspaceDir, rel, content);
    this.mirror.noteWrite(rel, content);
  }

  async createFolder(path: string): Promise<void> {
    await this.fs.mkdir(`${this.lab.workspaceDir}/${safeRelativePath(path)}`, { recursive: true });
  }

  async removePath(path: string): Promise<void> {
    const rel = safeRelativePath(path);
    await this.fs.rm(`${this.lab.workspaceDir}/${rel}`, { recursive: true, force: true });
    this.mirror.noteRemoved(rel);
  }

  async renamePath(from: string, to: string): Promise<void> {
    const source = `${this.lab.workspaceDir}/${safeRelativePath(from)}`;
    const target = `${this.lab.workspaceDir}/${safeRelativePath(to)}`;
    if (!(await this.fs.exists(source))) throw new Error(`"${from}" does not exist`);
    if (await this.fs.exists(target)) throw new Error(`"${to}" already exists; pick another name`);
    const parent = target.slice(0, target.lastIndexOf('/'));
    await this.fs.mkdir(parent, { recursive: true });
    await this.fs.mv(source, target);
    await this.publishFileChanges();
  }

  async runChecks(): Promise<StoredCheckRun> {
    const [{ runChecks }, customChecks, clients] = await Promise.all([loadRunner(), this.loadCustomChecks(), this.clients()]);
    const run = await runChecks(this.lab, {
      fs: this.workspaceFs,
      workspaceDir: this.lab.workspaceDir,
      clients,
      customChecks,
      presetFinishedAt: await this.presetTime(),
    });
    this.publishSnapshot();
    return toStoredRun(run);
  }

  /** Lays the starter (or starter + solution) files down; `resetCloud` also rebuilds the cloud from the preset. */
  async resetLab(to: 'starter' | 'solution', resetCloud: boolean): Promise<{ files: WorkspaceFiles }> {
    if (to === 'starter') {
      await this.fs.rm(this.lab.workspaceDir, { recursive: true, force: true });
      await this.fs.mkdir(this.lab.workspaceDir, { recursive: true });
      await this.writeAll(this.lab.starter);
    } else {
      await this.writeAll(this.lab.solution);
    }
    if (resetCloud) await this.connect(this.setting, null);
    else this.shell = this.createShell();
    const files = await this.mirror.snapshot();
    this.publishSnapshot();
    return { files };
  }

  async loadAttempt(files: WorkspaceFiles, cloudSnapshot: unknown): Promise<{ files: WorkspaceFiles; notices: string[] }> {
    await this.fs.rm(this.lab.workspaceDir, { recursive: true, force: true });
    await this.fs.mkdir(this.lab.workspaceDir, { recursive: true });
    await this.writeAll(files);
    const notices = this.setting.kind === 'sandbox' ? await this.connect(this.setting, cloudSnapshot) : ['The attempt’s sandbox cloud was not loaded because this lab talks to an endpoint; switch the cloud to the sandbox and import again to see it.'];
    const snapshot = await this.mirror.snapshot();
    this.publishSnapshot();
    return { files: snapshot, notices };
  }

  private async presetTime(): Promise<number | undefined> {
    if (this.presetFinishedAt === undefined && this.lab.manifest.preset.environments.length > 0) {
      this.presetFinishedAt = await Promise.all([loadRunner(), this.clients()])
        .then(([{ inferPresetFinishedAt }, clients]) => inferPresetFinishedAt(this.lab, clients))
        .catch(() => undefined);
    }
    return this.presetFinishedAt;
  }

  async cloudSnapshot(): Promise<{ snapshot: unknown; presetFinishedAt?: number }> {
    if (!this.cloud) throw new Error('This lab talks to an endpoint, which has no snapshot to export; switch the cloud setting to the sandbox to export an attempt.');
    const presetFinishedAt = await this.presetTime();
    return { snapshot: this.cloud.snapshot(), ...(presetFinishedAt !== undefined ? { presetFinishedAt } : {}) };
  }

  async timeline(environment?: string): Promise<TimelineData | null | 'unchanged'> {
    const clients = await this.clients();
    const sandbox = clients.sandbox;
    if (!sandbox) return null;
    let name = environment;
    if (!name) {
      const { DescribeEnvironmentsCommand } = await loadSdkEb();
      const out = await clients.eb.send(new DescribeEnvironmentsCommand({ IncludeDeleted: false }));
      const envs = (out.Environments ?? []).filter((e) => e.Status !== 'Terminated');
      envs.sort((a, b) => (b.DateUpdated?.getTime() ?? 0) - (a.DateUpdated?.getTime() ?? 0));
      name = envs[0]?.EnvironmentName;
    }
    if (!name) return null;
    const raw = await sandbox.timeline(name, { region: this.lab.manifest.region });
    const data = normaliseTimeline(raw, name, clients.now());
    // "now" moves every poll; an unchanged deployment is one whose lanes and events are the same.
    const key = JSON.stringify(data && { ...data, end: 0, lanes: data.lanes.map((l) => ({ ...l, segments: l.segments.map((seg, i) => (i === l.segments.length - 1 ? { ...seg, to: 0 } : seg)) })) });
    if (key === this.lastTimelineKey) return 'unchanged';
    this.lastTimelineKey = key;
    return data;
  }

  private lastTimelineKey = '';
  private readonly trafficSource = loadOnce(async () => new (await import('../traffic/traffic-source.ts')).TrafficSource());

  /** Requests to the environment that receives traffic, bucketed for the traffic chart. */
  async traffic(environment?: string): Promise<TrafficData | null | 'unchanged'> {
    const [source, clients] = await Promise.all([this.trafficSource(), this.clients()]);
    return source.read(clients, this.lab.manifest.region, environment);
  }

  async setCloud(setting: CloudSetting): Promise<CloudStatus> {
    const previousSnapshot = this.cloud ? this.cloud.snapshot() : null;
    this.setting = setting;
    // Changing speed keeps the sandbox's state; switching back from an endpoint rebuilds it.
    await this.connect(setting, setting.kind === 'sandbox' ? previousSnapshot : null);
    return this.status();
  }

  async testEndpoint(endpoint: string): Promise<EndpointReport> {
    return describeEndpointHealth(endpoint, this.options.fetch ?? fetch);
  }

  dispose(): void {
    this.disconnect();
  }
}
