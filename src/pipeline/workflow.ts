// Reads a GitHub Actions workflow file (.github/workflows/*.yml) in the subset the lab runner executes, and
// rejects anything outside it with the file, line and key, so a learner never wonders why a key did nothing.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';

export interface WorkflowStep {
  name: string;
  run?: string;
  uses?: 'checkout' | 'configure-aws-credentials';
  /** The action as written, e.g. `actions/checkout@v4`. */
  usesText?: string;
  with: Record<string, string>;
  env: Record<string, string>;
  line: number;
}

export interface WorkflowJob {
  id: string;
  name: string;
  needs: string[];
  environment?: string;
  /** The job's `permissions:` (a scope map, or `read-all` / `write-all`); replaces the workflow's entirely. */
  permissions?: Permissions;
  env: Record<string, string>;
  steps: WorkflowStep[];
  line: number;
}

export interface Workflow {
  file: string;
  name: string;
  /** Branches a push must be to (empty: every branch). */
  branches: string[];
  /** The workflow's `permissions:` for every job that sets none. */
  permissions?: Permissions;
  env: Record<string, string>;
  jobs: WorkflowJob[];
}

/** GITHUB_TOKEN permissions as written: scope -> read | write | none, or a shorthand. */
export type Permissions = Record<string, string> | 'read-all' | 'write-all';

/**
 * Whether a job may request GitHub's OIDC token. `id-token` is `none` unless granted: by the job's permissions, or
 * the workflow's when the job sets none (GitHub Docs, "Permissions for the GITHUB_TOKEN" and OIDC "Adding permissions").
 */
export function grantsIdToken(workflow: Workflow, job: WorkflowJob): boolean {
  const effective = job.permissions ?? workflow.permissions;
  return effective === 'write-all' || (typeof effective === 'object' && effective['id-token'] === 'write');
}

/** A workflow outside the subset or malformed: `file:line: key: what is wrong`. */
export class WorkflowError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly key: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}: ${key}: ${detail}`);
    this.name = 'WorkflowError';
  }
}

const ACTIONS: Record<string, WorkflowStep['uses']> = {
  'actions/checkout': 'checkout',
  'aws-actions/configure-aws-credentials': 'configure-aws-credentials',
};
// Major versions whose inputs the stand-ins follow (checkout v5/v6 and configure-aws-credentials v5 changed runtimes,
// not these inputs).
const ACTION_VERSIONS = new Set(['v3', 'v4', 'v5', 'v6']);
const EXPRESSION = /\$\{\{\s*(.*?)\s*\}\}/g;
const SUPPORTED_EXPRESSION = /^(secrets\.[A-Za-z_][A-Za-z0-9_]*|env\.[A-Za-z_][A-Za-z0-9_]*|vars\.[A-Za-z_][A-Za-z0-9_]*|github\.(sha|ref|ref_name|repository|run_number|run_id|actor|event_name|workspace))$/;

interface Reader {
  file: string;
  lines: LineCounter;
}

function lineOf(reader: Reader, node: unknown): number {
  const range = (node as YamlNode | undefined)?.range;
  return range ? reader.lines.linePos(range[0]).line : 1;
}

function fail(reader: Reader, node: unknown, key: string, detail: string): never {
  throw new WorkflowError(reader.file, lineOf(reader, node), key, detail);
}

function entries(reader: Reader, node: unknown, key: string): [string, unknown, unknown][] {
  if (!isMap(node)) fail(reader, node, key, 'expected a mapping (key: value lines)');
  return node.items.map((pair) => {
    const k = isScalar(pair.key) ? String(pair.key.value) : fail(reader, pair.key, key, 'keys must be plain names');
    return [k, pair.value, pair.key];
  });
}

function checkExpressions(reader: Reader, node: unknown, key: string, text: string): void {
  for (const match of text.matchAll(EXPRESSION)) {
    if (!SUPPORTED_EXPRESSION.test(match[1]))
      fail(reader, node, key, `the expression \${{ ${match[1]} }} is not supported here; use secrets.NAME, env.NAME, vars.NAME or github.sha / github.ref / github.ref_name / github.repository / github.run_number`);
  }
}

function scalarText(reader: Reader, node: unknown, key: string): string {
  if (!isScalar(node) || node.value === null || typeof node.value === 'object') fail(reader, node, key, 'expected a single value');
  const text = String(node.value);
  checkExpressions(reader, node, key, text);
  return text;
}

function stringMap(reader: Reader, node: unknown, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of entries(reader, node, key)) out[k] = scalarText(reader, value, `${key}.${k}`);
  return out;
}

const PERMISSION_LEVELS = new Set(['read', 'write', 'none']);

/** `permissions:` as GitHub reads it: `read-all`, `write-all`, `{}` or a map of scopes to read / write / none. */
function permissionsOf(reader: Reader, node: unknown, key: string): Permissions {
  if (isScalar(node)) {
    const text = scalarText(reader, node, key);
    if (text === 'read-all' || text === 'write-all') return text;
    fail(reader, node, key, `"${text}" is not a permissions value: use read-all, write-all, or a map such as id-token: write`);
  }
  const map = stringMap(reader, node, key);
  for (const [scope, level] of Object.entries(map)) {
    if (!PERMISSION_LEVELS.has(level)) fail(reader, node, `${key}.${scope}`, `"${level}" is not a permission level: use read, write or none`);
  }
  return map;
}

function stringList(reader: Reader, node: unknown, key: string): string[] {
  if (isScalar(node)) return [scalarText(reader, node, key)];
  if (!isSeq(node)) fail(reader, node, key, 'expected a name or a list of names');
  return node.items.map((item, i) => scalarText(reader, item, `${key}[${i}]`));
}

function parseOn(reader: Reader, node: unknown): string[] {
  if (isScalar(node) || isSeq(node)) {
    const events = stringList(reader, node, 'on');
    if (!events.includes('push')) fail(reader, node, 'on', `only push triggers workflows here (found ${events.join(', ')})`);
    return [];
  }
  let branches: string[] | undefined;
  for (const [event, value, keyNode] of entries(reader, node, 'on')) {
    if (event === 'workflow_dispatch' || event === 'pull_request') continue; // accepted: they simply never fire here
    if (event !== 'push') fail(reader, keyNode, `on.${event}`, 'only push (optionally with branches) triggers workflows here');
    if (value === null || (isScalar(value) && value.value === null)) {
      branches = [];
      continue;
    }
    for (const [k, v, kNode] of entries(reader, value, 'on.push')) {
      if (k !== 'branches') fail(reader, kNode, `on.push.${k}`, 'only branches is supported under on.push');
      branches = stringList(reader, v, 'on.push.branches');
    }
  }
  if (!branches) fail(reader, node, 'on', 'the workflow needs a push trigger (on: push)');
  return branches ?? [];
}

function parseStep(reader: Reader, node: unknown, key: string, index: number): WorkflowStep {
  const step: WorkflowStep = { name: '', with: {}, env: {}, line: lineOf(reader, node) };
  let usesText: string | undefined;
  for (const [k, value, keyNode] of entries(reader, node, key)) {
    const where = `${key}.${k}`;
    switch (k) {
      case 'name':
        step.name = scalarText(reader, value, where);
        break;
      case 'id':
      case 'shell':
        scalarText(reader, value, where);
        break;
      case 'run':
        step.run = scalarText(reader, value, where);
        break;
      case 'uses': {
        usesText = scalarText(reader, value, where);
        const [action, version] = usesText.split('@');
        const known = ACTIONS[action];
        if (!known) fail(reader, value, where, `${usesText} is not available in the lab runner; it has built-in actions/checkout and aws-actions/configure-aws-credentials (@v3 to @v6), everything else is a run: step`);
        if (!ACTION_VERSIONS.has(version ?? '')) fail(reader, value, where, `pin ${action} to a major version the lab runner knows: @v3, @v4, @v5 or @v6`);
        step.uses = known;
        step.usesText = usesText;
        break;
      }
      case 'with':
        step.with = stringMap(reader, value, where);
        break;
      case 'env':
        step.env = stringMap(reader, value, where);
        break;
      default:
        fail(reader, keyNode, where, 'not supported in a step here (use name, run, uses, with, env)');
    }
  }
  if (step.run === undefined && !step.uses) fail(reader, node, key, 'a step needs run: (a shell command) or uses: (an action)');
  if (step.run !== undefined && step.uses) fail(reader, node, key, 'a step has either run: or uses:, not both');
  if (!step.name) step.name = step.run !== undefined ? `Run ${step.run.split('\n')[0]}` : (usesText ?? `step ${index + 1}`);
  return step;
}

function parseJob(reader: Reader, id: string, node: unknown): WorkflowJob {
  const key = `jobs.${id}`;
  const job: WorkflowJob = { id, name: id, needs: [], env: {}, steps: [], line: lineOf(reader, node) };
  let hasSteps = false;
  for (const [k, value, keyNode] of entries(reader, node, key)) {
    const where = `${key}.${k}`;
    switch (k) {
      case 'name':
        job.name = scalarText(reader, value, where);
        break;
      case 'runs-on':
        stringList(reader, value, where); // every job runs in the lab's sandbox; the label is accepted and ignored
        break;
      case 'permissions':
        job.permissions = permissionsOf(reader, value, where);
        break;
      case 'needs':
        job.needs = stringList(reader, value, where);
        break;
      case 'environment':
        if (isMap(value)) {
          for (const [ek, ev, ekNode] of entries(reader, value, where)) {
            if (ek === 'name') job.environment = scalarText(reader, ev, `${where}.name`);
            else if (ek === 'url') scalarText(reader, ev, `${where}.url`);
            else fail(reader, ekNode, `${where}.${ek}`, 'environment takes name and url');
          }
          if (!job.environment) fail(reader, value, where, 'environment needs a name');
        } else job.environment = scalarText(reader, value, where);
        break;
      case 'env':
        job.env = stringMap(reader, value, where);
        break;
      case 'steps':
        if (!isSeq(value) || value.items.length === 0) fail(reader, value, where, 'expected a list of steps (- name: … run: …)');
        job.steps = value.items.map((item, i) => parseStep(reader, item, `${where}[${i}]`, i));
        hasSteps = true;
        break;
      default:
        fail(reader, keyNode, where, 'not supported in a job here (use name, runs-on, needs, environment, permissions, env, steps)');
    }
  }
  if (!hasSteps) fail(reader, node, key, 'a job needs steps:');
  return job;
}

/** Parses one workflow file; `file` is how errors name it (e.g. `.github/workflows/deploy.yml`). */
export function parseWorkflow(file: string, text: string): Workflow {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const reader: Reader = { file, lines };
  if (doc.errors.length > 0) {
    const error = doc.errors[0];
    throw new WorkflowError(file, error.linePos?.[0]?.line ?? 1, '(yaml)', error.message.split('\n')[0]);
  }
  const workflow: Workflow = { file, name: file, branches: [], env: {}, jobs: [] };
  let sawOn = false;
  let jobsNode: unknown;
  for (const [k, value, keyNode] of entries(reader, doc.contents, '(top level)')) {
    switch (k) {
      case 'name':
      case 'run-name':
        if (k === 'name') workflow.name = scalarText(reader, value, k);
        break;
      case 'on':
        workflow.branches = parseOn(reader, value);
        sawOn = true;
        break;
      case 'permissions':
        workflow.permissions = permissionsOf(reader, value, k);
        break;
      case 'env':
        workflow.env = stringMap(reader, value, k);
        break;
      case 'jobs':
        jobsNode = value;
        for (const [id, jobNode] of entries(reader, value, 'jobs')) workflow.jobs.push(parseJob(reader, id, jobNode));
        break;
      default:
        fail(reader, keyNode, k, 'not supported at the top of a workflow here (use name, on, permissions, env, jobs)');
    }
  }
  if (!sawOn) fail(reader, doc.contents, 'on', 'the workflow needs a trigger: on: push');
  if (workflow.jobs.length === 0) fail(reader, jobsNode ?? doc.contents, 'jobs', 'the workflow needs at least one job');
  const ids = new Set(workflow.jobs.map((j) => j.id));
  for (const job of workflow.jobs)
    for (const need of job.needs) if (!ids.has(need)) throw new WorkflowError(file, job.line, `jobs.${job.id}.needs`, `no job named '${need}' (jobs: ${[...ids].join(', ')})`);
  jobOrder(workflow);
  return workflow;
}

/** Jobs in an order that respects `needs` (file order among independent jobs); a cycle is an error. */
export function jobOrder(workflow: Workflow): WorkflowJob[] {
  const done = new Set<string>();
  const order: WorkflowJob[] = [];
  while (order.length < workflow.jobs.length) {
    const next = workflow.jobs.find((j) => !done.has(j.id) && j.needs.every((n) => done.has(n)));
    if (!next) {
      const stuck = workflow.jobs.find((j) => !done.has(j.id))!;
      throw new WorkflowError(workflow.file, stuck.line, `jobs.${stuck.id}.needs`, 'the jobs need each other in a cycle');
    }
    done.add(next.id);
    order.push(next);
  }
  return order;
}

/** Whether a push to `branch` triggers the workflow (`*` and `**` globs as GitHub reads them). */
export function triggeredBy(workflow: Workflow, branch: string): boolean {
  if (workflow.branches.length === 0) return true;
  return workflow.branches.some((pattern) => {
    const re = new RegExp(`^${pattern.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\0').replace(/\*/g, '[^/]*').replace(/\0/g, '.*')}$`);
    return re.test(branch);
  });
}

/** Substitutes `${{ … }}` expressions; unknown secrets and variables become empty, as on GitHub. */
export function evaluate(text: string, context: { secrets: Record<string, string>; env: Record<string, string>; vars: Record<string, string>; github: Record<string, string> }): string {
  return text.replace(EXPRESSION, (_, expr: string) => {
    const [scope, name] = expr.split('.') as [keyof typeof context, string];
    return context[scope]?.[name] ?? '';
  });
}
