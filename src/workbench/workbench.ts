// The lab page's workbench: wires the terminal, editor, file tree, checks panel and timeline to the lab
// worker, and keeps the learner's work in IndexedDB (one tab saves at a time; problems are shown, not hidden).
import { WorkerClient } from './worker-client.ts';
import type { BootInfo, CloudStatus, LabManifests, PresetCloud, WorkerEvent } from './protocol.ts';
import { TerminalView } from './terminal/terminal-view.ts';
import { CodeEditor } from './editor/code-editor.ts';
import { FileTree } from './editor/file-tree.ts';
import { ChecksPanel } from './checks/checks-panel.ts';
import { TimelineView } from './timeline/timeline-view.ts';
import type { TrafficView } from './traffic/traffic-view.ts';
import { confirmAction } from './dialogs.ts';
import { openLabStore, isStorageProblem, DEFAULT_SPEED, type CloudSetting, type LabStore, type StorageProblem, type StoredCheckRun, type WorkspaceFiles, type LabState } from './persistence/lab-store.ts';
import { TabGuard } from './persistence/tab-guard.ts';
import { recordLabResult } from '../course/progress.ts';

/** Attempt files are read and written only on Export/Import; their code loads then. */
const loadAttemptFormat = () => import('../course/attempt.ts');

export interface LabPageData {
  id: string;
  title: string;
  /** Files of labs/<id>/ keyed relative to the lab folder; bytes as base64. */
  files: Record<string, { encoding: 'utf8' | 'base64'; content: string }>;
  /** The lab's manifests as validated at build time; the worker checks their shape and assembles the Lab. */
  manifests: LabManifests;
  /** The cloud the lab starts from, built with the page (null when the preset is empty). */
  presetCloud: PresetCloud | null;
}

function decodeLabFiles(files: LabPageData['files']): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {};
  for (const [path, entry] of Object.entries(files)) {
    if (entry.encoding === 'utf8') out[path] = entry.content;
    else out[path] = Uint8Array.from(atob(entry.content), (c) => c.charCodeAt(0));
  }
  return out;
}

function $(root: ParentNode, name: string): HTMLElement {
  const found = root.querySelector<HTMLElement>(`[data-wb="${name}"]`);
  if (!found) throw new Error(`The lab page is missing its [data-wb="${name}"] element`);
  return found;
}

/** Which file to show first: a README, then the app's entry, then the first file. */
export function firstFile(paths: readonly string[]): string | null {
  const preferred = ['README.md', 'Procfile', 'application.py', 'app.py', 'server.js', 'index.js', 'package.json', 'requirements.txt'];
  for (const p of preferred) if (paths.includes(p)) return p;
  return [...paths].sort()[0] ?? null;
}

export class Workbench {
  private readonly client: WorkerClient;
  private store: LabStore | null = null;
  private guard: TabGuard;
  private canSave = false;
  private files = new Map<string, string | Uint8Array>();
  private emptyFolders: string[] = [];
  private terminal!: TerminalView;
  private editor!: CodeEditor;
  private tree!: FileTree;
  private checks!: ChecksPanel;
  private timeline!: TimelineView;
  /** Only on labs whose environments receive traffic (the page renders the panel). */
  private traffic: TrafficView | null = null;
  private trafficBusy = false;
  private cwd = '';
  private workspaceDir = '';
  private nextExecId = 1;
  private commandsRun = 0;
  private savesDone = 0;
  private runningExec: number | null = null;
  private setting: CloudSetting = { kind: 'sandbox', speed: DEFAULT_SPEED };
  private cloudStatus: CloudStatus | null = null;
  private history: string[] = [];
  private saveFilesTimer: ReturnType<typeof setTimeout> | undefined;
  private timelineTimer: ReturnType<typeof setInterval> | undefined;
  private timelineBusy = false;
  private problems = new Map<string, string>();
  private readonly labFiles: Record<string, string | Uint8Array>;

  constructor(
    private readonly root: HTMLElement,
    private readonly lab: LabPageData,
    worker: Worker,
  ) {
    this.client = new WorkerClient(worker);
    this.client.onEvent((event) => this.onWorkerEvent(event));
    this.labFiles = decodeLabFiles(lab.files);
    this.guard = new TabGuard(lab.id, {
      owned: (takenOver) => {
        if (takenOver) location.reload();
      },
      lost: (reason) => this.showTabNotice(reason),
    });
  }

  async start(): Promise<void> {
    performance.mark('workbench-start');
    this.setStatus('Starting the lab…');
    const [loaded, owner] = await Promise.all([this.loadSaved(), this.guard.claim()]);
    this.canSave = owner && this.store !== null;
    const state = loaded;
    this.history = state.history;
    if (state.settings) this.setting = state.settings;

    // The worker boots (cloud, shell) while the page builds the terminal and editor.
    this.updateWorkerSaving();
    performance.mark('workbench-boot-sent');
    const booting = this.client.call('boot', {
      labId: this.lab.id,
      labFiles: this.labFiles,
      manifests: this.lab.manifests,
      files: state.files,
      cloudSnapshot: this.setting.kind === 'sandbox' ? state.cloudSnapshot : null,
      presetCloud: this.lab.presetCloud,
      cloud: this.setting,
    });
    booting.catch(() => undefined);

    this.terminal = new TerminalView($(this.root, 'terminal'), {
      prompt: () => this.prompt(),
      run: (line) => this.run(line),
      interrupt: () => {
        if (this.runningExec !== null) void this.client.call('interrupt', { execId: this.runningExec });
      },
      complete: (line, cursor) => this.client.call('complete', { line, cursor, cwd: this.cwd }),
      inputState: (text) => this.client.call('inputState', { text }),
      historyChanged: (history) => {
        this.history = [...history];
        void this.save('history', this.history);
      },
    }, this.history);
    this.editor = new CodeEditor($(this.root, 'editor'), { save: (path, text) => void this.saveFromEditor(path, text) });
    this.tree = new FileTree($(this.root, 'tree'), {
      open: (path) => void this.openFile(path),
      createFile: async (path) => {
        await this.client.call('writeFile', { path, content: '' });
        this.files.set(path, '');
        this.refreshTree();
        this.persistFilesSoon();
        await this.openFile(path);
      },
      createFolder: async (path) => {
        await this.client.call('createFolder', { path });
        this.emptyFolders.push(path);
        this.refreshTree();
      },
      rename: async (from, to) => {
        this.editor.flush();
        await this.client.call('renamePath', { from, to });
        this.editor.renamed(from, to);
        this.emptyFolders = this.emptyFolders.map((f) => (f === from ? to : f));
        this.tree.markOpen(this.editor.path);
      },
      remove: async (path) => {
        await this.client.call('removePath', { path });
        for (const key of [...this.files.keys()]) {
          if (key === path || key.startsWith(`${path}/`)) {
            this.files.delete(key);
            this.editor.externalChange(key, null);
          }
        }
        this.emptyFolders = this.emptyFolders.filter((f) => f !== path && !f.startsWith(`${path}/`));
        this.refreshTree();
        this.persistFilesSoon();
      },
    });
    this.checks = new ChecksPanel($(this.root, 'checks'), {
      run: async () => {
        this.editor.flush();
        await this.flushFileWrites();
        return this.client.call('runChecks', {});
      },
      changed: (run) => this.recordRun(run),
    });
    this.checks.setEnabled(false);
    this.checks.show(state.results);
    this.timeline = new TimelineView($(this.root, 'timeline'));
    const trafficRoot = this.root.querySelector<HTMLElement>('[data-wb="traffic"]');
    // The traffic chart's code loads only on labs whose page has the panel.
    if (trafficRoot) this.traffic = new (await import('./traffic/traffic-view.ts')).TrafficView(trafficRoot);
    this.wireControls();
    this.terminal.notice(`Starting the sandbox cloud for "${this.lab.title}"…`);

    let boot: BootInfo;
    try {
      boot = await booting;
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
      this.setStatus('The lab could not start.');
      this.terminal.notice(`The lab could not start: ${reason}.`);
      this.showProblem('boot', `The lab could not start: ${reason}. Reloading the page usually helps; your saved work is untouched.`);
      return;
    }
    this.workspaceDir = boot.workspaceDir;
    this.cwd = boot.cwd;
    this.files = new Map(Object.entries(boot.files));
    this.refreshTree();
    const first = firstFile([...this.files.keys()]);
    if (first) void this.openFile(first);
    for (const notice of boot.notices) this.showProblem(`notice-${notice.slice(0, 20)}`, notice);
    this.applyCloudStatus(boot.cloud);
    if (state.files === null) this.persistFilesSoon();
    this.checks.setEnabled(true);
    this.setControlsEnabled(true);
    if (this.canSave) this.setStatus('Your work is saved in this browser as you go.');
    else if (!this.guard.isOwner) this.setStatus('Not saving (open in another tab)');
    else this.setStatus('Not saving: storage is unavailable (use Export attempt).');
    this.terminal.notice('Ready. Type `help` for the commands, or follow the steps on the left.');
    this.terminal.editor.start();
    this.root.dataset.ready = 'true';
    performance.mark('workbench-ready');
    // Only now, with the prompt drawn, does the worker load the EB CLI and the SDK for the first command.
    void this.client.call('warmUp', {}).catch(() => undefined);
    for (const [phase, at] of Object.entries(boot.timings)) performance.mark(`lab-worker-${phase}`, { startTime: at - performance.timeOrigin });
    this.startTimelinePolling();
    addEventListener('pagehide', () => this.editor.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.editor.flush();
    });
  }

  private async loadSaved(): Promise<LabState> {
    const empty: LabState = { files: null, history: [], cloudSnapshot: null, results: null, settings: null };
    try {
      this.store = await openLabStore(this.lab.id);
    } catch (error) {
      this.showProblem('storage', isStorageProblem(error) ? error.message : `Saving is unavailable: ${String(error)}`);
      return empty;
    }
    try {
      const { state, problems } = await this.store.load();
      for (const p of problems) this.showProblem(`damaged-${p.part}`, p.message);
      return state;
    } catch (error) {
      this.showProblem('storage', `Your saved work could not be read (${error instanceof Error ? error.message : String(error)}); the lab started fresh and saving is off so nothing saved is overwritten. Reload to try again.`);
      this.store = null;
      return empty;
    }
  }

  private prompt(): string {
    const home = '/home/learner';
    const where = this.cwd === home ? '~' : this.cwd.startsWith(`${home}/`) ? `~${this.cwd.slice(home.length)}` : this.cwd;
    return `\x1b[1;32mlearner@academy\x1b[0m:\x1b[1;34m${where}\x1b[0m$ `;
  }

  private async run(line: string): Promise<void> {
    this.editor.flush();
    await this.flushFileWrites();
    const execId = this.nextExecId++;
    this.runningExec = execId;
    this.root.dataset.busy = 'true';
    try {
      const result = await this.client.call('exec', { execId, line, cwd: this.cwd });
      this.cwd = result.cwd;
      // Exposed on the page for scripts and tests that drive the terminal (like the e2e specs).
      this.root.dataset.lastExit = String(result.exitCode);
    } finally {
      this.runningExec = null;
      this.commandsRun++;
      this.root.dataset.commands = String(this.commandsRun);
      delete this.root.dataset.busy;
      void this.refreshTimeline();
    }
  }

  private onWorkerEvent(event: WorkerEvent): void {
    switch (event.kind) {
      case 'output':
        if (event.execId === this.runningExec) {
          this.terminal.editor.output(event.stream === 'stderr' ? `\x1b[31m${event.text}\x1b[0m` : event.text);
        }
        return;
      case 'question':
        if (event.execId === this.runningExec) {
          void this.terminal.editor.ask(event.text).then((text) => this.client.call('answer', { questionId: event.questionId, text }));
        } else {
          void this.client.call('answer', { questionId: event.questionId, text: '' });
        }
        return;
      case 'files':
        for (const [path, content] of Object.entries(event.changed)) {
          this.files.set(path, content);
          this.editor.externalChange(path, content);
        }
        for (const path of event.removed) {
          this.files.delete(path);
          this.editor.externalChange(path, null);
        }
        this.refreshTree();
        this.persistFilesSoon();
        return;
      case 'cloud-snapshot':
        // Only a worker that does not save by itself would send snapshots; keep them in that case.
        if (this.setting.kind === 'sandbox') void this.save('cloudSnapshot', event.snapshot);
        return;
      case 'cloud-saved':
        if (event.problem) this.showProblem(`save-${event.problem.kind}`, event.problem.message);
        else this.noteSaved();
        return;
      case 'activity':
        void this.refreshTimeline();
        return;
      case 'fatal':
        this.showProblem('worker', `The lab stopped: ${event.message}. Reload the page; your saved work is kept.`);
        return;
    }
  }

  private pendingWrites = new Set<Promise<unknown>>();

  private async saveFromEditor(path: string, text: string): Promise<void> {
    this.files.set(path, text);
    const write = this.client.call('writeFile', { path, content: text });
    this.pendingWrites.add(write);
    try {
      await write;
    } catch (error) {
      this.showProblem('write', `Could not save ${path} to the lab: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.pendingWrites.delete(write);
    }
    this.persistFilesSoon();
    this.setStatusSaved();
  }

  private async flushFileWrites(): Promise<void> {
    await Promise.allSettled([...this.pendingWrites]);
  }

  private async openFile(path: string): Promise<void> {
    const content = this.files.get(path);
    if (content === undefined) return;
    await this.editor.open(path, content);
    $(this.root, 'editor-path').textContent = path;
    this.tree.markOpen(path);
  }

  private refreshTree(): void {
    const folders = this.emptyFolders.filter((f) => ![...this.files.keys()].some((p) => p.startsWith(`${f}/`)));
    // git's own files are kept and saved, but not shown, as editors do.
    this.tree.setFiles([...this.files.keys()].filter((p) => !p.startsWith('.git/')), folders);
    if (this.editor.path && !this.files.has(this.editor.path)) $(this.root, 'editor-path').textContent = '';
  }

  private persistFilesSoon(): void {
    if (this.saveFilesTimer !== undefined) clearTimeout(this.saveFilesTimer);
    this.saveFilesTimer = setTimeout(() => {
      this.saveFilesTimer = undefined;
      void this.save('files', Object.fromEntries(this.files) as WorkspaceFiles);
    }, 200);
  }

  private async save(part: Parameters<LabStore['save']>[0], value: unknown): Promise<void> {
    if (!this.canSave || !this.store || !this.guard.isOwner) return;
    const problem = await this.store.save(part, value as never);
    if (problem) this.showProblem(`save-${problem.kind}`, problem.message);
    else this.noteSaved();
  }

  private noteSaved(): void {
    this.savesDone++;
    this.root.dataset.saves = String(this.savesDone);
    this.clearProblem('save-full');
    this.clearProblem('save-write-failed');
  }

  /** Lets the worker save the sandbox cloud itself while this tab owns the lab. */
  private updateWorkerSaving(): void {
    void this.client.call('setSaving', { labId: this.lab.id, enabled: this.canSave && this.guard.isOwner && this.setting.kind === 'sandbox' });
  }

  private recordRun(run: StoredCheckRun): void {
    void this.save('results', run);
    try {
      recordLabResult(this.lab.id, { score: run.score, maxScore: Math.max(run.maxScore, 1), completed: run.completed });
    } catch (error) {
      console.warn('Progress could not be recorded', error);
    }
  }

  private applyCloudStatus(status: CloudStatus): void {
    this.cloudStatus = status;
    $(this.root, 'cloud-status').textContent = `Cloud: ${status.label}`;
    if (!status.evidence) this.timeline.render(null, 'The deployment timeline needs the built-in sandbox: this endpoint does not report instance states.');
    if (!status.evidence) this.traffic?.render(null, 'The traffic chart needs the built-in sandbox or `academy cloud`: this endpoint does not record requests.');
  }

  private startTimelinePolling(): void {
    this.timelineTimer = setInterval(() => {
      if (document.visibilityState === 'visible') void this.refreshTimeline();
    }, 1000);
  }

  private async refreshTraffic(): Promise<void> {
    if (!this.traffic || this.trafficBusy || !this.cloudStatus?.evidence) return;
    this.trafficBusy = true;
    try {
      const data = await this.client.call('traffic', {});
      if (data !== 'unchanged') this.traffic.render(data);
    } catch {
      // A view like the timeline: a failed refresh is retried on the next tick.
    } finally {
      this.trafficBusy = false;
    }
  }

  private async refreshTimeline(): Promise<void> {
    void this.refreshTraffic();
    if (this.timelineBusy || !this.cloudStatus?.evidence) return;
    this.timelineBusy = true;
    try {
      const data = await this.client.call('timeline', {});
      if (data && data !== 'unchanged') this.timeline.render(data);
    } catch {
      // The timeline is a view; a failed refresh is retried on the next tick.
    } finally {
      this.timelineBusy = false;
    }
  }

  private setStatus(text: string): void {
    const el = this.root.querySelector<HTMLElement>('[data-wb="save-status"]');
    if (el) el.textContent = text;
  }

  private setStatusSaved(): void {
    if (!this.canSave) return;
    this.setStatus(`Saved in this browser at ${new Date().toLocaleTimeString()}`);
  }

  private showProblem(key: string, message: string): void {
    this.problems.set(key, message);
    this.renderProblems();
  }

  private clearProblem(key: string): void {
    if (this.problems.delete(key)) this.renderProblems();
  }

  private renderProblems(): void {
    const box = $(this.root, 'problems');
    box.replaceChildren();
    for (const [key, message] of this.problems) {
      const p = document.createElement('p');
      p.className = 'wb-problem';
      p.textContent = message;
      if (key === 'tab') {
        const take = document.createElement('button');
        take.type = 'button';
        take.className = 'secondary';
        take.textContent = 'Use this tab instead';
        take.addEventListener('click', () => void this.guard.takeOver());
        p.append(' ', take);
      }
      const dismiss = document.createElement('button');
      dismiss.type = 'button';
      dismiss.className = 'icon-button';
      dismiss.textContent = '×';
      dismiss.setAttribute('aria-label', 'Dismiss this message');
      dismiss.addEventListener('click', () => this.clearProblem(key));
      if (key !== 'tab') p.append(' ', dismiss);
      box.append(p);
    }
    box.hidden = this.problems.size === 0;
  }

  private showTabNotice(reason: 'open-elsewhere' | 'taken-over'): void {
    this.canSave = false;
    this.updateWorkerSaving();
    this.showProblem(
      'tab',
      reason === 'open-elsewhere'
        ? 'This lab is open in another tab, which is saving your work. Changes made here are not saved, so nothing there is overwritten.'
        : 'You opened this lab in another tab, which saves your work from now on. Changes made here are no longer saved.',
    );
    this.setStatus('Not saving (open in another tab)');
  }

  private controls(): HTMLButtonElement[] {
    return [...this.root.querySelectorAll<HTMLButtonElement>('[data-wb-action]')];
  }

  private setControlsEnabled(enabled: boolean): void {
    for (const b of this.controls()) b.disabled = !enabled;
  }

  private wireControls(): void {
    this.setControlsEnabled(false);
    for (const button of this.controls()) {
      button.addEventListener('click', () => void this.action(button.dataset.wbAction ?? '', button));
    }
    const input = this.root.querySelector<HTMLInputElement>('[data-wb="import-file"]');
    input?.addEventListener('change', () => {
      const file = input.files?.[0];
      input.value = '';
      if (file) void this.importAttempt(file);
    });
  }

  private async action(name: string, button: HTMLButtonElement): Promise<void> {
    switch (name) {
      case 'reset':
        if (await confirmAction('Reset lab?', 'This puts back the starter files and rebuilds the sandbox cloud from the lab’s starting point. Your files, environments and check results in this lab are lost (export your attempt first to keep them). Your terminal history stays.', 'Reset lab')) {
          await this.busy(button, async () => {
            const { files } = await this.client.call('resetLab', { to: 'starter', resetCloud: this.setting.kind === 'sandbox' });
            this.replaceFiles(files);
            this.checks.show(null);
            if (this.store && this.canSave) await this.store.clear();
            await this.client.call('saveCloudNow', {});
            await this.save('history', this.history);
            await this.save('settings', this.setting);
            this.persistFilesSoon();
            this.timeline.render(null);
            this.terminal.notice('The lab was reset to its starting point.');
          });
        }
        button.focus();
        return;
      case 'solution':
        if (await confirmAction('Show the solution?', 'This replaces your files with the solution’s files (your other files stay) and prints the commands that finish the lab. Your cloud is unchanged: run the commands to deploy.', 'Show solution')) {
          await this.busy(button, async () => {
            const { files } = await this.client.call('resetLab', { to: 'solution', resetCloud: false });
            this.replaceFiles(files);
            this.persistFilesSoon();
            const solve = typeof this.labFiles['solution/solve.sh'] === 'string' ? (this.labFiles['solution/solve.sh'] as string) : '';
            this.terminal.notice(`The solution's files are in place. The commands that finish the lab (solution/solve.sh):\n${solve.trim()}`);
          });
        }
        button.focus();
        return;
      case 'export':
        await this.busy(button, () => this.exportAttempt());
        return;
      case 'import':
        this.root.querySelector<HTMLInputElement>('[data-wb="import-file"]')?.click();
        return;
      case 'cloud': {
        const { editCloudSetting } = await import('./cloud-settings.ts');
        const next = await editCloudSetting(this.setting, (endpoint) => this.client.call('testEndpoint', { endpoint }));
        button.focus();
        if (!next) return;
        await this.busy(button, async () => {
          const status = await this.client.call('setCloud', { setting: next });
          this.setting = next;
          this.updateWorkerSaving();
          if (next.kind === 'sandbox') await this.client.call('saveCloudNow', {});
          await this.save('settings', next);
          this.applyCloudStatus(status);
          this.terminal.notice(`Now talking to: ${status.label}`);
        });
        return;
      }
    }
  }

  private async busy(button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
    this.setControlsEnabled(false);
    button.setAttribute('aria-busy', 'true');
    try {
      await work();
    } catch (error) {
      this.showProblem(`action-${button.dataset.wbAction}`, `${button.textContent?.trim()} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      button.removeAttribute('aria-busy');
      this.setControlsEnabled(true);
    }
  }

  private replaceFiles(files: WorkspaceFiles): void {
    const previous = new Set(this.files.keys());
    this.files = new Map(Object.entries(files));
    for (const path of previous) if (!this.files.has(path)) this.editor.externalChange(path, null);
    for (const [path, content] of this.files) this.editor.externalChange(path, content);
    this.emptyFolders = [];
    this.refreshTree();
    if (!this.editor.path) {
      const first = firstFile([...this.files.keys()]);
      if (first) void this.openFile(first);
    }
  }

  private async exportAttempt(): Promise<void> {
    const { createAttempt, serializeAttempt } = await loadAttemptFormat();
    this.editor.flush();
    await this.flushFileWrites();
    const { snapshot, presetFinishedAt } = await this.client.call('cloudSnapshot', {});
    const cloud = snapshot as { format: string; version: number };
    const run = this.checks.lastRun;
    const attempt = createAttempt({
      labId: this.lab.id,
      files: Object.fromEntries(this.files),
      history: this.history,
      cloud,
      presetFinishedAt,
      results: run
        ? { checkedAt: run.at, score: run.score, maxScore: run.maxScore, checks: run.results.map((r) => ({ id: r.id, status: r.status, hintsRevealed: Math.min(3, run.hintsShown[r.id] ?? 0) })) }
        : undefined,
    });
    const blob = new Blob([serializeAttempt(attempt)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `${this.lab.id}-attempt.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    this.terminal.notice(`Exported ${link.download}. Grade it with: npx academy grade ${link.download}`);
  }

  private async importAttempt(file: File): Promise<void> {
    const button = this.root.querySelector<HTMLButtonElement>('[data-wb-action="import"]')!;
    let attempt;
    let attemptFiles;
    try {
      const format = await loadAttemptFormat();
      const { AttemptFormatError } = format;
      attemptFiles = format.attemptFiles;
      attempt = format.parseAttempt(await file.text(), file.name);
      if (attempt.labId !== this.lab.id) throw new AttemptFormatError(`${file.name} is an attempt at the lab "${attempt.labId}", not "${this.lab.id}"; open /labs/${attempt.labId}/ to import it.`);
    } catch (error) {
      this.showProblem('import', error instanceof Error ? error.message : String(error));
      button.focus();
      return;
    }
    this.clearProblem('import');
    const ok = await confirmAction('Import this attempt?', `This replaces your files, terminal history and sandbox cloud in this lab with those of ${file.name} (exported ${new Date(attempt.exportedAt).toLocaleString()}). Export your current attempt first if you want to keep it.`, 'Import attempt');
    button.focus();
    if (!ok) return;
    await this.busy(button, async () => {
      const { files, notices } = await this.client.call('loadAttempt', { files: attemptFiles(attempt), cloudSnapshot: attempt.cloud });
      this.replaceFiles(files);
      this.history = [...attempt.history];
      this.terminal.editor.setHistory(this.history);
      await this.save('history', this.history);
      this.persistFilesSoon();
      for (const n of notices) this.showProblem(`notice-import`, n);
      this.checks.show(null);
      this.terminal.notice(`Imported ${file.name}. Run "Check my work" to grade it here.`);
    });
  }
}

export type { StorageProblem };
