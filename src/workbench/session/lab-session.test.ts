import { describe, it, expect, beforeAll } from 'vitest';
import { join } from 'node:path';
import { loadLabFromDir } from '../../course/lab-loader-node.ts';
import { labManifests, type Lab } from '../../course/lab-loader.ts';
import type { WorkerEvent } from '../protocol.ts';
import { LabSession } from './lab-session.ts';

const LABS = join(import.meta.dirname, '../../../labs');
let lab: Lab;

beforeAll(async () => {
  lab = await loadLabFromDir(join(LABS, 'eb-fundamentals'));
});

/** A session as the worker hosts it, with the events it would post to the page. */
async function boot(options: { files?: Record<string, string | Uint8Array> | null; snapshot?: unknown; speed?: number } = {}) {
  const events: WorkerEvent[] = [];
  const session = new LabSession((e) => events.push(e), {
    setInterval: () => 0,
    clearInterval: () => {},
    loadCustomChecks: async (id) => (await import(`../../../labs/${id}/checks.ts`)).default,
  });
  const info = await session.boot({
    labId: lab.id,
    labFiles: lab.files,
    // As the page hands them over: the build's validated manifests, through JSON.
    manifests: JSON.parse(JSON.stringify(labManifests(lab))),
    files: options.files ?? null,
    cloudSnapshot: options.snapshot ?? null,
    cloud: { kind: 'sandbox', speed: options.speed ?? 300 },
  });
  let nextId = 1;
  const run = async (line: string) => {
    const execId = nextId++;
    const before = events.length;
    const result = await session.exec(execId, line);
    const out = events.slice(before).filter((e): e is Extract<WorkerEvent, { kind: 'output' }> => e.kind === 'output' && e.execId === execId);
    return { ...result, stdout: out.filter((e) => e.stream === 'stdout').map((e) => e.text).join(''), stderr: out.filter((e) => e.stream === 'stderr').map((e) => e.text).join('') };
  };
  return { session, info, events, run };
}

describe('LabSession (the shell bridge the worker hosts)', () => {
  it('boots into the workspace with the starter files and a sandbox cloud', async () => {
    const { info, session } = await boot();
    expect(info.workspaceDir).toBe('/home/learner/eb-fundamentals');
    expect(info.cwd).toBe(info.workspaceDir);
    expect(Object.keys(info.files).sort()).toEqual(Object.keys(lab.starter).sort());
    expect(info.cloud).toMatchObject({ kind: 'sandbox', evidence: true });
    expect(info.notices).toEqual([]);
    session.dispose();
  });

  it('refuses page data without the build\'s manifests, naming what is missing', async () => {
    const session = new LabSession(() => {}, { setInterval: () => 0, clearInterval: () => {} });
    const boot = (manifests: unknown) =>
      session.boot({ labId: lab.id, labFiles: lab.files, manifests: manifests as never, files: null, cloudSnapshot: null, cloud: { kind: 'sandbox', speed: 300 } });
    await expect(boot(undefined)).rejects.toThrow(/course defect[\s\S]*manifests: is missing; .*rebuild the site/);
    const broken = JSON.parse(JSON.stringify(labManifests(lab)));
    broken.lab.checks[0].params = 'Procfile';
    delete broken.wrongAnswers[Object.keys(broken.wrongAnswers)[0]].expect;
    await expect(boot(broken)).rejects.toThrow(/manifests\.lab\.checks\[0\]\.params: must be an object, got string/);
    await expect(boot(broken)).rejects.toThrow(/manifests\.wrongAnswers\.[a-z0-9-]+\.expect: is missing \(expected an object\)/);
  });

  it('streams command output and carries the working directory between commands', async () => {
    const { run, session, info } = await boot();
    const ls = await run('ls');
    expect(ls.exitCode).toBe(0);
    expect(ls.stdout).toContain('server.js');
    const cd = await run('mkdir -p docs && cd docs');
    expect(cd.cwd).toBe(`${info.workspaceDir}/docs`);
    expect((await run('pwd')).stdout.trim()).toBe(`${info.workspaceDir}/docs`);
    session.dispose();
  });

  it('reports files that shell commands create, change and delete, and not the editor’s own writes', async () => {
    const { run, session, events } = await boot();
    await session.writeFile('notes.txt', 'from the editor\n');
    await run('cat notes.txt > copy.txt && echo more >> notes.txt && rm package.json');
    const fileEvents = events.filter((e): e is Extract<WorkerEvent, { kind: 'files' }> => e.kind === 'files');
    expect(fileEvents).toHaveLength(1);
    expect(fileEvents[0].changed).toEqual({ 'copy.txt': 'from the editor\n', 'notes.txt': 'from the editor\nmore\n' });
    expect(fileEvents[0].removed).toEqual(['package.json']);
    session.dispose();
  });

  it('keeps bytes that are not text as bytes (a gzip made in the terminal)', async () => {
    const { run, session, events } = await boot();
    const gzip = await run('gzip -k server.js');
    expect(gzip.exitCode, gzip.stderr).toBe(0);
    const changed = events.filter((e): e is Extract<WorkerEvent, { kind: 'files' }> => e.kind === 'files').at(-1)!.changed;
    expect(changed['server.js.gz']).toBeInstanceOf(Uint8Array);
    expect(Array.from((changed['server.js.gz'] as Uint8Array).slice(0, 2))).toEqual([0x1f, 0x8b]);
    session.dispose();
  });

  it('renames and removes paths inside the workspace only', async () => {
    const { run, session } = await boot();
    await session.renamePath('server.js', 'src/server.js');
    expect((await run('ls src')).stdout).toContain('server.js');
    await expect(session.renamePath('package.json', 'src/server.js')).rejects.toThrow(/already exists/);
    await expect(session.writeFile('../escape.txt', 'x')).rejects.toThrow(/not a path inside the workspace/);
    await session.removePath('src');
    expect((await run('ls')).stdout).not.toContain('src');
    session.dispose();
  });

  it('completes eb subcommands and workspace paths', async () => {
    const { session } = await boot();
    const sub = await session.complete('eb cre', 6);
    expect(sub.candidates).toContain('create');
    expect(sub.from).toBe(3);
    const path = await session.complete('cat ser', 7);
    expect(path.candidates).toEqual(['server.js']);
    session.dispose();
  });

  it('interrupts a running command, so the prompt comes back at once', async () => {
    const { session, run } = await boot({ speed: 1 });
    const started = Date.now();
    const running = session.exec(1, 'sleep 30; echo finished');
    await new Promise((r) => setTimeout(r, 50));
    session.interrupt(1);
    await running;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await run('echo still usable')).stdout).toBe('still usable\n');
    session.dispose();
  });

  it('passes a command’s questions to the page and its answers back (eb init without flags)', async () => {
    const questions: string[] = [];
    let session!: LabSession;
    session = new LabSession((e) => {
      if (e.kind !== 'question') return;
      questions.push(e.text);
      // A learner pressing Enter takes each default, except the platform, which must be chosen.
      setTimeout(() => session.answer(e.questionId, /selection/.test(e.text) ? '1' : ''), 0);
    }, { setInterval: () => 0, clearInterval: () => {} });
    await session.boot({ labId: lab.id, labFiles: lab.files, manifests: labManifests(lab), files: null, cloudSnapshot: null, cloud: { kind: 'sandbox', speed: 10_000 } });
    const result = await session.exec(1, 'eb init');
    expect(result.exitCode).toBe(0);
    expect(questions.join('\n')).toMatch(/Application Name/);
    expect(session.inputState("echo 'open quote")).toBe('incomplete');
    expect(session.inputState('echo done')).toBe('complete');
    session.dispose();
  });

  it('grades the starter as not done, and the solution (solve.sh typed line by line) as complete', async () => {
    const { session, run } = await boot();
    const before = await session.runChecks();
    expect(before.completed).toBe(false);
    expect(before.results.length).toBe(lab.manifest.checks.length);
    for (const line of lab.solveScript.split('\n')) {
      if (!line.trim() || line.trim().startsWith('#')) continue;
      const result = await run(line);
      expect(result.exitCode, `${line}\n${result.stdout}\n${result.stderr}`).toBe(0);
    }
    const after = await session.runChecks();
    expect(after.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.found} ${r.error ?? ''}`)).toEqual([]);
    expect(after.completed).toBe(true);
    expect(after.score).toBe(after.maxScore);
    session.dispose();
  });

  it('restores a saved cloud snapshot, and rebuilds from the preset (with a notice) when it is damaged', async () => {
    const first = await boot();
    await first.run('eb init pettracker-web --platform node.js-22 --region us-east-1');
    const { snapshot } = await first.session.cloudSnapshot();
    first.session.dispose();

    const restored = await boot({ snapshot });
    const checks = await restored.session.runChecks();
    expect(checks.results.find((r) => r.id === 'application-created')?.status).toBe('pass');
    restored.session.dispose();

    const damaged = await boot({ snapshot: { format: 'beanstalk-academy-cloud', version: 1, time: 5, services: 'garbage' } });
    expect(damaged.info.notices.join(' ')).toMatch(/could not be restored.*rebuilt from the lab's starting point/);
    damaged.session.dispose();
  });

  it('resets to the starter files, or lays the solution over the learner’s files', async () => {
    const { session, run } = await boot();
    await run('rm server.js && echo mine > mine.txt');
    const reset = await session.resetLab('starter', true);
    expect(Object.keys(reset.files).sort()).toEqual(Object.keys(lab.starter).sort());
    await run('echo mine > mine.txt');
    const solution = await session.resetLab('solution', false);
    expect(solution.files['mine.txt']).toBe('mine\n');
    session.dispose();
  });
});
