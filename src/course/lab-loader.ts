// Validates a lab folder's files (paths relative to labs/<lab-id>/) with the zod schemas of lab-schema.ts and
// assembles the Lab (lab-assembly.ts). Runs in Node at build time and in tests; errors name file, line, field and what is allowed.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node as YamlNode } from 'yaml';
import type { ZodError, ZodIssue, ZodTypeAny } from 'zod';
import { labManifestSchema, wrongAnswerSchema, CHECK_KINDS, type LabManifest, type WrongAnswerManifest } from './lab-schema.ts';
import {
  applyWrongAnswerEdits,
  assembleLab,
  fileText,
  filesUnder,
  formatFieldPath,
  normaliseLabFiles,
  wrongAnswerFrom,
  wrongAnswerNames,
  wrongAnswerOverlay,
  LabFormatError,
  type Lab,
  type LabFiles,
  type LabFormatProblem,
} from './lab-assembly.ts';

export {
  assembleLab,
  fileText,
  formatFieldPath,
  labManifests,
  readLabManifests,
  applyWrongAnswerEdits,
  wrongAnswerWorkspace,
  LabFormatError,
  type Lab,
  type LabFiles,
  type LabFormatProblem,
  type LabManifests,
  type WrongAnswer,
  type WrongAnswerEditProblem,
} from './lab-assembly.ts';

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

/** The 1-based line and column of the YAML node closest to a field path (e.g. `['edit', 1, 'replace']`). */
function positionOf(text: string, path: (string | number)[]): { line?: number; column?: number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const node = nodeAt(doc, path);
  if (!node?.range) return {};
  const pos = lineCounter.linePos(node.range[0]);
  return { line: pos.line, column: pos.col };
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

/**
 * Builds a Lab from its folder's files. Keys are paths relative to the lab folder: `lab.yaml`,
 * `starter/app.py`, `solution/solve.sh`, `wrong/<name>/wrong.yaml`, `preset/...`, `checks.ts`.
 * Throws LabFormatError listing every problem found.
 */
export function parseLab(rawFiles: LabFiles, options: { labId?: string } = {}): Lab {
  const files = normaliseLabFiles(rawFiles);
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

  const starterFiles = filesUnder(files, 'starter/');
  const solutionFiles = filesUnder(files, 'solution/');
  if (solutionFiles['solve.sh'] === undefined) {
    problems.push({ file: 'solution/solve.sh', message: 'is missing: write the shell commands that solve the lab (they run in the lab shell, in the workspace)' });
  }
  delete solutionFiles['solve.sh'];
  const wrongAnswers: Record<string, WrongAnswerManifest> = {};
  for (const name of wrongAnswerNames(files)) {
    const yamlText = files[`wrong/${name}/wrong.yaml`];
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
    if (wrongManifest.edit.length > 0) {
      // The edits must apply to the workspace they change, so a drifted solution fails here, not in a learner's browser.
      const overlay = wrongAnswerOverlay(starterFiles, solutionFiles, wrongAnswerFrom(files, name, wrongManifest));
      for (const problem of applyWrongAnswerEdits(overlay, wrongManifest.edit).problems) {
        problems.push({ file: `wrong/${name}/wrong.yaml`, ...positionOf(fileText(yamlText), problem.path), field: problem.field, message: problem.message });
      }
    }
    wrongAnswers[name] = wrongManifest;
  }
  const wrongCount = Object.keys(wrongAnswers).length;

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
    if (wrongCount < 2) {
      problems.push({ file: 'wrong/', message: `has ${wrongCount} wrong answer(s); a lab needs at least 2 (common mistakes, each with the check and hint level it must trigger)` });
    }
  }

  if (problems.length > 0 || !manifest) throw new LabFormatError(id, problems);
  return assembleLab(files, { lab: manifest, wrongAnswers });
}
