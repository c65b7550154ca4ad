// Check kinds that read the learner's workspace through WorkspaceFs: files, YAML/JSON values,
// the Procfile and .ebextensions option settings. Each failure names the file and line it is about.
import { LineCounter, parseDocument } from 'yaml';
import { joinPath } from '../../workspace/fs.ts';
import type { CheckParams } from '../../course/lab-schema.ts';
import { fileEvidence, readWorkspaceText, requireWorkspaceText, workspacePath } from '../helpers.ts';
import { CheckFailure, type CheckContext, type CheckOutcome } from '../types.ts';

export async function fileExists(p: CheckParams<'file-exists'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `A file ${p.path} in your workspace.`;
  const exists = await ctx.fs.exists(workspacePath(ctx, p.path));
  if (!exists) return { pass: false, expected, found: `There is no ${p.path}.`, reason: 'missing-file', hintLevel: 'nudge' };
  return { pass: true, expected, found: `${p.path} exists.` };
}

export async function fileAbsent(p: CheckParams<'file-absent'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `No ${p.path} in your workspace.`;
  const exists = await ctx.fs.exists(workspacePath(ctx, p.path));
  if (exists) return { pass: false, expected, found: `${p.path} is still there.`, reason: 'present', hintLevel: 'fix', evidence: [{ kind: 'file', text: p.path, source: p.path }] };
  return { pass: true, expected, found: `${p.path} is gone.` };
}

export async function fileContains(p: CheckParams<'file-contains'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `${p.path} contains "${p.text}".`;
  const text = await requireWorkspaceText(ctx, p.path, expected);
  const at = text.indexOf(p.text);
  if (at < 0) return { pass: false, expected, found: `${p.path} does not contain "${p.text}".`, reason: 'no-match', hintLevel: 'concept' };
  return { pass: true, expected, found: `Found it in ${p.path}:${fileEvidence(p.path, text, at).source?.split(':')[1]}.`, evidence: [fileEvidence(p.path, text, at)] };
}

export async function fileMatches(p: CheckParams<'file-matches'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `${p.path} matches /${p.pattern}/.`;
  const text = await requireWorkspaceText(ctx, p.path, expected);
  const match = new RegExp(p.pattern, p.flags).exec(text);
  if (!match) {
    const firstLine = text.split('\n').find((l) => l.trim()) ?? '(empty)';
    return { pass: false, expected, found: `${p.path} does not match (it starts with "${firstLine.slice(0, 80)}").`, reason: 'no-match', hintLevel: 'concept' };
  }
  return { pass: true, expected, found: `"${match[0].slice(0, 80)}"`, evidence: [fileEvidence(p.path, text, match.index)] };
}

/** Splits `a.b[0].c` into ['a', 'b', 0, 'c']. */
export function parseValuePath(at: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of at.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`Invalid value path "${at}": use dots and [n], e.g. global.application_name or steps[0].name`);
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

function valueAt(data: unknown, path: (string | number)[]): { found: boolean; value: unknown } {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as Record<string | number, unknown>))) return { found: false, value: undefined };
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return { found: true, value: cur };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function pathEquals(format: 'YAML' | 'JSON', p: { path: string; at: string; equals?: unknown }, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `${p.path}: ${p.at} is ${JSON.stringify(p.equals)}.`;
  const text = await requireWorkspaceText(ctx, p.path, expected);
  let data: unknown;
  let lineOfPath: number | undefined;
  if (format === 'JSON') {
    try {
      data = JSON.parse(text);
    } catch (err) {
      return { pass: false, expected, found: `${p.path} is not valid JSON: ${(err as Error).message}`, reason: 'invalid-syntax', hintLevel: 'fix' };
    }
  } else {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      const line = lineCounter.linePos(e.pos[0]).line;
      return {
        pass: false,
        expected,
        found: `${p.path} is not valid YAML (line ${line}): ${e.message.split('\n')[0]}`,
        reason: 'invalid-syntax',
        hintLevel: 'fix',
        evidence: [{ kind: 'file', text: text.split('\n')[line - 1] ?? '', source: `${p.path}:${line}` }],
      };
    }
    data = doc.toJS();
    const node = doc.getIn(parseValuePath(p.at), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) lineOfPath = lineCounter.linePos(node.range[0]).line;
  }
  const { found, value } = valueAt(data, parseValuePath(p.at));
  if (!found) return { pass: false, expected, found: `${p.path} has no ${p.at}.`, reason: 'missing-value', hintLevel: 'concept' };
  const evidence = lineOfPath ? [{ kind: 'file' as const, text: text.split('\n')[lineOfPath - 1] ?? '', source: `${p.path}:${lineOfPath}` }] : [];
  if (!sameValue(value, p.equals)) {
    return { pass: false, expected, found: `${p.at} is ${JSON.stringify(value)}.`, reason: 'wrong-value', hintLevel: 'fix', evidence };
  }
  return { pass: true, expected, found: `${p.at} is ${JSON.stringify(value)}.`, evidence };
}

export const yamlPathEquals = (p: CheckParams<'yaml-path-equals'>, ctx: CheckContext) => pathEquals('YAML', p, ctx);
export const jsonPathEquals = (p: CheckParams<'json-path-equals'>, ctx: CheckContext) => pathEquals('JSON', p, ctx);

const PROCFILE_LINE = /^[A-Za-z0-9_-]+:\s*[^\s].*$/;

export interface ProcfileEntry {
  name: string;
  command: string;
  line: number;
}

/** Parses a Procfile the way EB validates it: every non-empty line is `name: command`. */
export function parseProcfile(text: string): { processes: ProcfileEntry[]; invalid: { line: number; text: string }[] } {
  const processes: ProcfileEntry[] = [];
  const invalid: { line: number; text: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    if (!PROCFILE_LINE.test(raw)) {
      invalid.push({ line: i + 1, text: raw });
      return;
    }
    const colon = raw.indexOf(':');
    processes.push({ name: raw.slice(0, colon), command: raw.slice(colon + 1).trim(), line: i + 1 });
  });
  return { processes, invalid };
}

export async function procfileProcess(p: CheckParams<'procfile-process'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `${p.path} has a "${p.process}" process whose command matches /${p.command}/${p.mustInclude.length ? ` and ${p.mustInclude.map((m) => m.means).join(', ')}` : ''}.`;
  const text = await readWorkspaceText(ctx, p.path);
  if (text === undefined) {
    const lower = (await ctx.fs.exists(ctx.workspaceDir)) ? (await ctx.fs.readdir(ctx.workspaceDir)).find((n) => n.toLowerCase() === p.path.toLowerCase()) : undefined;
    if (lower) {
      return { pass: false, expected, found: `There is a ${lower}, but EB only reads a file named exactly ${p.path} (the name is case-sensitive).`, reason: 'wrong-name', hintLevel: 'fix', evidence: [{ kind: 'file', text: lower, source: lower }] };
    }
    return { pass: false, expected, found: `There is no ${p.path} in your workspace, so EB falls back to the platform's default command.`, reason: 'missing-file', hintLevel: 'nudge' };
  }
  const { processes, invalid } = parseProcfile(text);
  if (invalid.length > 0) {
    const bad = invalid[0];
    return {
      pass: false,
      expected,
      found: `${p.path} line ${bad.line} is not "name: command": "${bad.text}".`,
      reason: 'invalid-line',
      hintLevel: 'fix',
      evidence: [{ kind: 'file', text: bad.text, source: `${p.path}:${bad.line}` }],
    };
  }
  const proc = processes.find((x) => x.name === p.process);
  if (!proc) {
    const names = processes.map((x) => x.name);
    return {
      pass: false,
      expected,
      found: names.length ? `${p.path} declares ${names.map((n) => `"${n}"`).join(', ')} but no "${p.process}" process.` : `${p.path} is empty.`,
      reason: 'no-process',
      hintLevel: 'concept',
    };
  }
  const evidence = [{ kind: 'file' as const, text: `${proc.name}: ${proc.command}`, source: `${p.path}:${proc.line}` }];
  if (!new RegExp(p.command).test(proc.command)) {
    return { pass: false, expected, found: `"${p.process}" runs "${proc.command}".`, reason: 'wrong-command', hintLevel: 'concept', evidence };
  }
  for (const part of p.mustInclude) {
    if (!new RegExp(part.pattern).test(proc.command)) {
      return { pass: false, expected, found: `"${p.process}" runs "${proc.command}", which does not ${part.means}.`, reason: 'missing-part', hintLevel: 'fix', evidence };
    }
  }
  return { pass: true, expected, found: `"${p.process}" runs "${proc.command}".`, evidence };
}

interface ConfigOption {
  namespace: string;
  option: string;
  value: unknown;
  file: string;
  line?: number;
}

/** Every option a `.ebextensions/*.config` file sets, in both option_settings forms; invalid files throw a CheckFailure. */
export async function ebextensionsOptions(ctx: CheckContext, expected: string): Promise<ConfigOption[]> {
  const dir = joinPath(ctx.workspaceDir, '.ebextensions');
  if (!(await ctx.fs.exists(dir))) {
    throw new CheckFailure({ pass: false, expected, found: 'Your workspace has no .ebextensions folder.', reason: 'no-ebextensions', hintLevel: 'nudge' });
  }
  const names = (await ctx.fs.readdir(dir)).filter((n) => n.endsWith('.config')).sort();
  const options: ConfigOption[] = [];
  for (const name of names) {
    const file = `.ebextensions/${name}`;
    const text = await ctx.fs.readFile(joinPath(dir, name), 'utf8');
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    if (doc.errors.length > 0) {
      const line = lineCounter.linePos(doc.errors[0].pos[0]).line;
      const tabs = /\t/.test(text) ? ' (YAML does not allow tabs for indentation)' : '';
      throw new CheckFailure({
        pass: false,
        expected,
        found: `${file} contains invalid YAML at line ${line}${tabs}: ${doc.errors[0].message.split('\n')[0]}`,
        reason: 'invalid-config',
        hintLevel: 'fix',
        evidence: [{ kind: 'file', text: text.split('\n')[line - 1] ?? '', source: `${file}:${line}` }],
      });
    }
    const data = doc.toJS() as Record<string, unknown> | null;
    const settings = data?.option_settings;
    const lineFor = (path: (string | number)[]) => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
    };
    if (Array.isArray(settings)) {
      settings.forEach((s: Record<string, unknown>, i) => {
        if (s && typeof s === 'object') options.push({ namespace: String(s.namespace ?? ''), option: String(s.option_name ?? ''), value: s.value, file, line: lineFor(['option_settings', i]) });
      });
    } else if (settings && typeof settings === 'object') {
      for (const [namespace, opts] of Object.entries(settings as Record<string, unknown>)) {
        if (!opts || typeof opts !== 'object') continue;
        for (const [option, value] of Object.entries(opts as Record<string, unknown>)) options.push({ namespace, option, value, file, line: lineFor(['option_settings', namespace, option]) });
      }
    }
  }
  return options;
}

export async function ebextensionsOption(p: CheckParams<'ebextensions-option'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `.ebextensions sets ${p.namespace} ${p.option}${p.value !== undefined ? ` to ${p.value}` : ''}.`;
  const options = await ebextensionsOptions(ctx, expected);
  // Later files win, as EB applies them in alphabetical order.
  const matches = options.filter((o) => o.namespace === p.namespace && o.option === p.option);
  const last = matches[matches.length - 1];
  if (!last) {
    const sameOption = options.find((o) => o.option === p.option);
    if (sameOption) {
      return {
        pass: false,
        expected,
        found: `${sameOption.file} sets ${p.option} under namespace ${sameOption.namespace}, not ${p.namespace}.`,
        reason: 'wrong-namespace',
        hintLevel: 'fix',
        evidence: [{ kind: 'file', text: `${sameOption.namespace}: ${p.option}`, source: `${sameOption.file}${sameOption.line ? `:${sameOption.line}` : ''}` }],
      };
    }
    return { pass: false, expected, found: `No .ebextensions file sets ${p.namespace} ${p.option}.`, reason: 'not-set', hintLevel: 'concept' };
  }
  const evidence = [{ kind: 'setting' as const, text: `${p.namespace} ${p.option}: ${String(last.value)}`, source: `${last.file}${last.line ? `:${last.line}` : ''}` }];
  if (p.value !== undefined && String(last.value) !== p.value) {
    return { pass: false, expected, found: `${last.file} sets it to ${String(last.value)}.`, reason: 'wrong-value', hintLevel: 'fix', evidence };
  }
  return { pass: true, expected, found: `${last.file} sets it to ${String(last.value)}.`, evidence };
}
