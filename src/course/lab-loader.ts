// Turns a lab folder's files (paths relative to labs/<lab-id>/) into a validated Lab, in the browser
// (Vite's import.meta.glob) and in Node (lab-loader-node.ts) alike. Errors name file, line, field and what is allowed.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node as YamlNode } from 'yaml';
import type { ZodError, ZodIssue, ZodTypeAny } from 'zod';
import { labManifestSchema, wrongAnswerSchema, CHECK_KINDS, type LabManifest, type WrongAnswerManifest } from './lab-schema.ts';

export type LabFiles = Record<string, string | Uint8Array>;

export interface WrongAnswer {
  /** Folder name under wrong/. */
  name: string;
  manifest: WrongAnswerManifest;
  /** Files laid over the base (paths relative to the workspace), without wrong.yaml and solve.sh. */
  files: LabFiles;
  /** The wrong answer's own solve.sh, or undefined to run the solution's. */
  solveScript?: string;
}

export interface Lab {
  id: string;
  manifest: LabManifest;
  /** Workspace the learner starts with (paths relative to the workspace). */
  starter: LabFiles;
  /** Files laid over the starter for the correct end state (without solve.sh). */
  solution: LabFiles;
  /** solution/solve.sh: the shell commands that solve the lab. */
  solveScript: string;
  wrongAnswers: WrongAnswer[];
  /** Every file of the lab folder, for presets that zip a folder (e.g. `preset/v1/...`). */
  files: LabFiles;
  /** Source of checks.ts when the lab has one (code is loaded by the host; see loadLabFromDir). */
  checksSource?: string;
  /** Absolute workspace directory in the lab shell. */
  workspaceDir: string;
}

export interface LabFormatProblem {
  /** File relative to the lab folder, e.g. `lab.yaml`. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  column?: number;
  /** Field path, e.g. `checks[2].params.command`. */
  field?: string;
  message: string;
}

/** A lab folder that does not follow the lab format; `problems` lists every issue found. */
export class LabFormatError extends Error {
  constructor(
    readonly labId: string,
    readonly problems: LabFormatProblem[],
  ) {
    super(
      `Lab "${labId}" is not valid:\n` +
        problems
          .map((p) => `  ${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}`)
          .join('\n'),
    );
    this.name = 'LabFormatError';
  }
}

const decoder = new TextDecoder();
export function fileText(content: string | Uint8Array): string {
  return typeof content === 'string' ? content : decoder.decode(content);
}

/** Formats a zod issue path the way an author reads it: `checks[2].params.command`. */
export function formatFieldPath(path: (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

/** Finds the YAML node closest to a field path, so the error points at a line. */
function nodeAt(doc: Document, path: (string | number)[]): YamlNode | undefined {
  let node: unknown = doc.contents;
  let found: YamlNode | undefined = doc.contents ?? undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair) return found;
      found = (pair.key as YamlNode) ?? found;
      node = pair.value;
      if (node && (isMap(node) || isSeq(node) || isScalar(node))) found = node as YamlNode;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (!node) return found;
      found = node as YamlNode;
    } else {
      return found;
    }
  }
  return found;
}

function describeIssue(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined' ? `is required (expected ${issue.expected})` : `must be ${issue.expected}, got ${issue.received}`;
    case 'invalid_enum_value':
      return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}; got ${JSON.stringify(issue.received)}`;
    case 'invalid_literal':
      return `must be ${JSON.stringify(issue.expected)}`;
    case 'invalid_union_discriminator':
      return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; check the spelling against docs/authoring.md`;
    case 'too_small':
      return issue.type === 'array' ? `needs at least ${issue.minimum} item(s)` : issue.type === 'string' ? `must not be empty` : `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.type === 'string' ? `must be at most ${issue.maximum} characters` : `must be at most ${issue.maximum}`;
    case 'invalid_union':
      return 'does not match any allowed form: ' + issue.unionErrors.map((e) => e.issues.map((i) => `${formatFieldPath(i.path)} ${describeIssue(i)}`).join('; ')).join(' | or | ');
    default:
      return issue.message;
  }
}

/** Parses a YAML file with a schema; returns the data or pushes located problems. */
export function parseYamlWithSchema<T extends ZodTypeAny>(
  file: string,
  text: string,
  schema: T,
  problems: LabFormatProblem[],
): T['_output'] | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) {
      const pos = lineCounter.linePos(err.pos[0]);
      problems.push({ file, line: pos.line, column: pos.col, message: `is not valid YAML: ${err.message.split('\n')[0]}` });
    }
    return undefined;
  }
  const data = doc.toJS();
  const result = schema.safeParse(data ?? {});
  if (result.success) return result.data;
  for (const issue of (result.error as ZodError).issues) {
    const node = nodeAt(doc, issue.path);
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    problems.push({ file, line: pos?.line, column: pos?.col, field: formatFieldPath(issue.path) || undefined, message: describeIssue(issue) });
  }
  return undefined;
}

function under(files: LabFiles, prefix: string): LabFiles {
  const out: LabFiles = {};
  for (const [path, content] of Object.entries(files)) {
    if (path.startsWith(prefix)) out[path.slice(prefix.length)] = content;
  }
  return out;
}

/** Normalises keys (`./lab.yaml`, `labs/x/lab.yaml` are not accepted: keys must be relative to the lab folder). */
function normaliseKeys(files: LabFiles): LabFiles {
  const out: LabFiles = {};
  for (const [path, content] of Object.entries(files)) out[path.replace(/^\.\//, '').replace(/\\/g, '/')] = content;
  return out;
}

/**
 * Builds a Lab from its folder's files. Keys are paths relative to the lab folder: `lab.yaml`,
 * `starter/app.py`, `solution/solve.sh`, `wrong/<name>/wrong.yaml`, `preset/...`, `checks.ts`.
 * Throws LabFormatError listing every problem found.
 */
export function parseLab(rawFiles: LabFiles, options: { labId?: string } = {}): Lab {
  const files = normaliseKeys(rawFiles);
  const problems: LabFormatProblem[] = [];
  const labYaml = files['lab.yaml'];
  const labId = options.labId ?? 'lab';
  if (labYaml === undefined) {
    throw new LabFormatError(labId, [{ file: 'lab.yaml', message: 'is missing: every lab folder needs a lab.yaml manifest (run `academy new-lab <id> --chapter <slug>`)' }]);
  }
  const parsed = parseYamlWithSchema('lab.yaml', fileText(labYaml), labManifestSchema, problems);
  const manifest = parsed as LabManifest | undefined;
  const id = manifest?.id ?? labId;
  if (manifest && options.labId && manifest.id !== options.labId) {
    problems.push({ file: 'lab.yaml', line: 1, field: 'id', message: `is "${manifest.id}" but the lab folder is "${options.labId}"; they must be the same` });
  }

  const starter = under(files, 'starter/');
  const solutionAll = under(files, 'solution/');
  const solveScriptContent = solutionAll['solve.sh'];
  const solution = { ...solutionAll };
  delete solution['solve.sh'];
  if (solveScriptContent === undefined) {
    problems.push({ file: 'solution/solve.sh', message: 'is missing: write the shell commands that solve the lab (they run in the lab shell, in the workspace)' });
  }

  const wrongNames = [...new Set(Object.keys(files).filter((p) => p.startsWith('wrong/')).map((p) => p.split('/')[1]))].sort();
  const wrongAnswers: WrongAnswer[] = [];
  for (const name of wrongNames) {
    const all = under(files, `wrong/${name}/`);
    const yamlText = all['wrong.yaml'];
    if (yamlText === undefined) {
      problems.push({ file: `wrong/${name}/wrong.yaml`, message: 'is missing: say what the mistake is and which check and hint level must catch it' });
      continue;
    }
    const wrongManifest = parseYamlWithSchema(`wrong/${name}/wrong.yaml`, fileText(yamlText), wrongAnswerSchema, problems);
    if (!wrongManifest) continue;
    if (manifest && !manifest.checks.some((c) => c.id === wrongManifest.expect.check)) {
      problems.push({
        file: `wrong/${name}/wrong.yaml`,
        field: 'expect.check',
        message: `names check "${wrongManifest.expect.check}", which lab.yaml does not have; its checks are ${manifest.checks.map((c) => `"${c.id}"`).join(', ')}`,
      });
    }
    const wrongFiles = { ...all };
    delete wrongFiles['wrong.yaml'];
    const solveScript = wrongFiles['solve.sh'];
    delete wrongFiles['solve.sh'];
    wrongAnswers.push({ name, manifest: wrongManifest, files: wrongFiles, solveScript: solveScript === undefined ? undefined : fileText(solveScript) });
  }

  if (manifest) {
    const seen = new Set<string>();
    manifest.checks.forEach((check, i) => {
      if (seen.has(check.id)) problems.push({ file: 'lab.yaml', field: `checks[${i}].id`, message: `"${check.id}" is used by more than one check; ids must be unique` });
      seen.add(check.id);
      if (!CHECK_KINDS.includes(check.kind)) problems.push({ file: 'lab.yaml', field: `checks[${i}].kind`, message: `unknown kind "${check.kind}"` });
      if (check.kind === 'custom' && files['checks.ts'] === undefined) {
        problems.push({ file: 'lab.yaml', field: `checks[${i}]`, message: 'is a custom check but the lab has no checks.ts' });
      }
    });
    const apps = new Set(manifest.preset.applications.map((a) => a.name));
    manifest.preset.versions.forEach((v, i) => {
      if (!apps.has(v.application)) problems.push({ file: 'lab.yaml', field: `preset.versions[${i}].application`, message: `"${v.application}" is not one of preset.applications` });
      const dir = v.bundle.dir.replace(/\/$/, '') + '/';
      if (!Object.keys(files).some((p) => p.startsWith(dir))) problems.push({ file: 'lab.yaml', field: `preset.versions[${i}].bundle.dir`, message: `"${v.bundle.dir}" has no files in the lab folder` });
    });
    manifest.preset.environments.forEach((e, i) => {
      if (!apps.has(e.application)) problems.push({ file: 'lab.yaml', field: `preset.environments[${i}].application`, message: `"${e.application}" is not one of preset.applications` });
      if (e.version && !manifest.preset.versions.some((v) => v.label === e.version && v.application === e.application)) {
        problems.push({ file: 'lab.yaml', field: `preset.environments[${i}].version`, message: `"${e.version}" is not one of preset.versions of ${e.application}` });
      }
    });
    if (wrongAnswers.length < 2) {
      problems.push({ file: 'wrong/', message: `has ${wrongAnswers.length} wrong answer(s); a lab needs at least 2 (common mistakes, each with the check and hint level it must trigger)` });
    }
  }

  if (problems.length > 0 || !manifest) throw new LabFormatError(id, problems);
  return {
    id: manifest.id,
    manifest,
    starter,
    solution,
    solveScript: fileText(solveScriptContent ?? ''),
    wrongAnswers,
    files,
    checksSource: files['checks.ts'] === undefined ? undefined : fileText(files['checks.ts']),
    workspaceDir: manifest.workspaceDir ?? `/home/learner/${manifest.id}`,
  };
}

/** The files of a wrong answer's workspace: base (starter, or starter + solution) + its files − deletions. */
export function wrongAnswerWorkspace(lab: Lab, wrong: WrongAnswer): LabFiles {
  const base: LabFiles = wrong.manifest.base === 'starter' ? { ...lab.starter } : { ...lab.starter, ...lab.solution };
  Object.assign(base, wrong.files);
  for (const path of wrong.manifest.delete) {
    for (const key of Object.keys(base)) if (key === path || key.startsWith(path.replace(/\/$/, '') + '/')) delete base[key];
  }
  return base;
}
