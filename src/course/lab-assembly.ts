// Assembles a Lab from its folder's files and manifests that were already validated (by parseLab at build
// time), without zod, so the lab worker the browser loads does not ship the schema library.
import type { LabManifest, WrongAnswerEdit, WrongAnswerManifest } from './lab-schema.ts';

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

/**
 * The validated manifests of one lab, with zod's defaults applied: lab.yaml's and each wrong answer's
 * (keyed by its folder name under wrong/). The lab page embeds them so the browser need not validate again.
 */
export interface LabManifests {
  lab: LabManifest;
  wrongAnswers: Record<string, WrongAnswerManifest>;
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

/** Formats a field path the way an author reads it: `checks[2].params.command`. */
export function formatFieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out;
}

export function filesUnder(files: LabFiles, prefix: string): LabFiles {
  const out: LabFiles = {};
  for (const [path, content] of Object.entries(files)) {
    if (path.startsWith(prefix)) out[path.slice(prefix.length)] = content;
  }
  return out;
}

/** Keys relative to the lab folder, POSIX: `./lab.yaml` and `a\b` become `lab.yaml` and `a/b`. */
export function normaliseLabFiles(files: LabFiles): LabFiles {
  const out: LabFiles = {};
  for (const [path, content] of Object.entries(files)) out[path.replace(/^\.\//, '').replace(/\\/g, '/')] = content;
  return out;
}

/** The names of the folders under wrong/, sorted. */
export function wrongAnswerNames(files: LabFiles): string[] {
  return [...new Set(Object.keys(files).filter((p) => p.startsWith('wrong/')).map((p) => p.split('/')[1]))].sort();
}

/** One wrong answer's files split into its overlay and its own solve.sh (wrong.yaml left out). */
export function wrongAnswerFrom(files: LabFiles, name: string, manifest: WrongAnswerManifest): WrongAnswer {
  const overlay = filesUnder(files, `wrong/${name}/`);
  delete overlay['wrong.yaml'];
  const solveScript = overlay['solve.sh'];
  delete overlay['solve.sh'];
  return { name, manifest, files: overlay, solveScript: solveScript === undefined ? undefined : fileText(solveScript) };
}

/**
 * Builds a Lab from its folder's files (keys relative to the lab folder) and its validated manifests. It does
 * not validate the manifests' contents: parseLab does that, at build time and in `npm test`.
 */
export function assembleLab(rawFiles: LabFiles, manifests: LabManifests): Lab {
  const files = normaliseLabFiles(rawFiles);
  const manifest = manifests.lab;
  const solution = filesUnder(files, 'solution/');
  const solveScript = solution['solve.sh'];
  delete solution['solve.sh'];
  const wrongAnswers = Object.keys(manifests.wrongAnswers)
    .sort()
    .map((name) => wrongAnswerFrom(files, name, manifests.wrongAnswers[name]));
  return {
    id: manifest.id,
    manifest,
    starter: filesUnder(files, 'starter/'),
    solution,
    solveScript: fileText(solveScript ?? ''),
    wrongAnswers,
    files,
    checksSource: files['checks.ts'] === undefined ? undefined : fileText(files['checks.ts']),
    workspaceDir: manifest.workspaceDir ?? `/home/learner/${manifest.id}`,
  };
}

/** The manifests a Lab was built from, for the lab page to hand to the workbench. */
export function labManifests(lab: Lab): LabManifests {
  return { lab: lab.manifest, wrongAnswers: Object.fromEntries(lab.wrongAnswers.map((w) => [w.name, w.manifest])) };
}

// ---------- a shape check for manifests that come from our own build (the lab page's data) ----------

type Shape = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string[]';

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function fits(value: unknown, shape: Shape): boolean {
  switch (shape) {
    case 'object':
      return kindOf(value) === 'object';
    case 'array':
      return Array.isArray(value);
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    default:
      return typeof value === shape;
  }
}

class ShapeReader {
  readonly problems: LabFormatProblem[] = [];
  constructor(private readonly file: string) {}

  /** Checks `record[key]` has the shape; `optional` lets it be absent. Returns whether it fits. */
  field(record: Record<string, unknown>, path: (string | number)[], key: string, shape: Shape, optional = false): boolean {
    const value = record[key];
    if (value === undefined && optional) return false;
    if (fits(value, shape)) return true;
    const field = formatFieldPath([...path, key]);
    const expected = shape === 'string[]' ? 'an array of strings' : shape === 'array' || shape === 'object' ? `an ${shape}` : `a ${shape}`;
    this.problems.push({ file: this.file, field, message: value === undefined ? `is missing (expected ${expected})` : `must be ${expected}, got ${kindOf(value)}` });
    return false;
  }

  each(record: Record<string, unknown>, path: (string | number)[], key: string, visit: (item: Record<string, unknown>, itemPath: (string | number)[]) => void): void {
    if (!this.field(record, path, key, 'array')) return;
    (record[key] as unknown[]).forEach((item, i) => {
      const itemPath = [...path, key, i];
      if (kindOf(item) === 'object') visit(item as Record<string, unknown>, itemPath);
      else this.problems.push({ file: this.file, field: formatFieldPath(itemPath), message: `must be an object, got ${kindOf(item)}` });
    });
  }
}

const REBUILD = 'the page and its lab data come from different builds; rebuild the site (npm run build)';

/**
 * Reads the manifests embedded in a lab page. They come from our own build, already validated by zod, so this
 * checks only the shape the workbench relies on and throws a LabFormatError naming each field that is off.
 */
export function readLabManifests(value: unknown, labId: string): LabManifests {
  const file = 'lab page data';
  if (kindOf(value) !== 'object') {
    throw new LabFormatError(labId, [{ file, field: 'manifests', message: `${value === undefined ? 'is missing' : `must be an object, got ${kindOf(value)}`}; ${REBUILD}` }]);
  }
  const reader = new ShapeReader(file);
  const root = value as Record<string, unknown>;
  if (reader.field(root, ['manifests'], 'lab', 'object')) {
    const lab = root.lab as Record<string, unknown>;
    const at = ['manifests', 'lab'];
    for (const key of ['id', 'title', 'chapter', 'platform', 'region']) reader.field(lab, at, key, 'string');
    reader.field(lab, at, 'workspaceDir', 'string', true);
    reader.field(lab, at, 'objectives', 'string[]');
    reader.each(lab, at, 'steps', (step, p) => {
      reader.field(step, p, 'title', 'string');
      reader.field(step, p, 'body', 'string');
      reader.field(step, p, 'commands', 'string[]');
    });
    reader.each(lab, at, 'checks', (check, p) => {
      for (const key of ['id', 'title', 'kind']) reader.field(check, p, key, 'string');
      reader.field(check, p, 'points', 'number');
      reader.field(check, p, 'params', 'object');
      reader.field(check, p, 'hints', 'object');
    });
    if (reader.field(lab, at, 'preset', 'object')) {
      const preset = lab.preset as Record<string, unknown>;
      const pp = [...at, 'preset'];
      reader.each(preset, pp, 'applications', (app, p) => reader.field(app, p, 'name', 'string'));
      reader.each(preset, pp, 'versions', (version, p) => {
        reader.field(version, p, 'application', 'string');
        reader.field(version, p, 'label', 'string');
        if (reader.field(version, p, 'bundle', 'object')) {
          const bundle = version.bundle as Record<string, unknown>;
          reader.field(bundle, [...p, 'bundle'], 'dir', 'string');
          reader.field(bundle, [...p, 'bundle'], 'exclude', 'string[]');
        }
      });
      reader.each(preset, pp, 'environments', (env, p) => {
        reader.field(env, p, 'application', 'string');
        reader.field(env, p, 'name', 'string');
        reader.field(env, p, 'optionSettings', 'array');
        reader.field(env, p, 'trafficRequests', 'string[]');
      });
    }
    if (typeof lab.id === 'string' && lab.id !== labId) {
      reader.problems.push({ file, field: 'manifests.lab.id', message: `is "${lab.id}" but the page is for the lab "${labId}"; ${REBUILD}` });
    }
  }
  if (reader.field(root, ['manifests'], 'wrongAnswers', 'object')) {
    const wrong = root.wrongAnswers as Record<string, unknown>;
    for (const [name, manifest] of Object.entries(wrong)) {
      const p = ['manifests', 'wrongAnswers', name];
      if (kindOf(manifest) !== 'object') {
        reader.problems.push({ file, field: formatFieldPath(p), message: `must be an object, got ${kindOf(manifest)}` });
        continue;
      }
      const m = manifest as Record<string, unknown>;
      reader.field(m, p, 'description', 'string');
      if (m.base !== 'solution' && m.base !== 'starter') reader.problems.push({ file, field: formatFieldPath([...p, 'base']), message: `must be "solution" or "starter", got ${JSON.stringify(m.base) ?? 'nothing'}` });
      reader.field(m, p, 'delete', 'string[]');
      reader.each(m, p, 'edit', (edit, ep) => {
        for (const key of ['file', 'replace', 'with']) reader.field(edit, ep, key, 'string');
      });
      if (reader.field(m, p, 'expect', 'object')) {
        const expect = m.expect as Record<string, unknown>;
        reader.field(expect, [...p, 'expect'], 'check', 'string');
        reader.field(expect, [...p, 'expect'], 'hintLevel', 'string');
      }
    }
  }
  if (reader.problems.length > 0) {
    throw new LabFormatError(labId, reader.problems.map((problem) => ({ ...problem, message: problem.message.includes(REBUILD) ? problem.message : `${problem.message}; ${REBUILD}` })));
  }
  return value as LabManifests;
}

/** An edit that cannot be applied; `path` and `field` are relative to the wrong answer's manifest, e.g. `edit[1].replace`. */
export interface WrongAnswerEditProblem {
  path: (string | number)[];
  field: string;
  message: string;
}

function editProblem(index: number, key: 'file' | 'replace', message: string): WrongAnswerEditProblem {
  const path = ['edit', index, key];
  return { path, field: formatFieldPath(path), message };
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + 1)) count++;
  return count;
}

function quoted(text: string): string {
  const oneLine = JSON.stringify(text);
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…"` : oneLine;
}

/**
 * Applies a wrong answer's edits in order to its workspace files. Each `replace` must occur exactly once in its
 * (text) file, so an edit names one place and stops applying, loudly, when the solution changes under it.
 */
export function applyWrongAnswerEdits(workspace: LabFiles, edits: readonly WrongAnswerEdit[]): { files: LabFiles; problems: WrongAnswerEditProblem[] } {
  const files: LabFiles = { ...workspace };
  const problems: WrongAnswerEditProblem[] = [];
  edits.forEach((edit, i) => {
    const content = files[edit.file];
    if (content === undefined) {
      const near = Object.keys(files).filter((p) => !p.includes('/') || p.split('/').pop() === edit.file.split('/').pop()).sort().slice(0, 12);
      problems.push(editProblem(i, 'file', `"${edit.file}" is not in the wrong answer's workspace (its base, this folder's files, minus delete); files there include ${near.map((p) => `"${p}"`).join(', ') || 'none'}`));
      return;
    }
    if (typeof content !== 'string') {
      problems.push(editProblem(i, 'file', `"${edit.file}" is a binary file; edits change text files only, so put the whole wrong file in this folder instead`));
      return;
    }
    const count = occurrences(content, edit.replace);
    if (count !== 1) {
      const advice = count === 0 ? 'copy the text exactly from the file (spaces and line breaks count)' : 'include more of the surrounding text so it names one place';
      problems.push(editProblem(i, 'replace', `${quoted(edit.replace)} is found ${count} times in ${edit.file}; it must occur exactly once: ${advice}`));
      return;
    }
    const at = content.indexOf(edit.replace);
    files[edit.file] = content.slice(0, at) + edit.with + content.slice(at + edit.replace.length);
  });
  return { files, problems };
}

/** The files of a wrong answer's workspace before its edits: base (starter, or starter + solution) + its files − deletions. */
export function wrongAnswerOverlay(starter: LabFiles, solution: LabFiles, wrong: Pick<WrongAnswer, 'manifest' | 'files'>): LabFiles {
  const base: LabFiles = wrong.manifest.base === 'starter' ? { ...starter } : { ...starter, ...solution };
  Object.assign(base, wrong.files);
  for (const path of wrong.manifest.delete) {
    for (const key of Object.keys(base)) if (key === path || key.startsWith(path.replace(/\/$/, '') + '/')) delete base[key];
  }
  return base;
}

/**
 * The files of a wrong answer's workspace: base (starter, or starter + solution) + its files − deletions, then its
 * edits in order. parseLab has checked the edits apply; if they do not (data from another build), this throws.
 */
export function wrongAnswerWorkspace(lab: Lab, wrong: WrongAnswer): LabFiles {
  const { files, problems } = applyWrongAnswerEdits(wrongAnswerOverlay(lab.starter, lab.solution, wrong), wrong.manifest.edit);
  if (problems.length > 0) throw new LabFormatError(lab.id, problems.map(({ field, message }) => ({ file: `wrong/${wrong.name}/wrong.yaml`, field, message })));
  return files;
}
