// The attempt file: one versioned JSON document with a learner's workspace files, shell history and
// cloud snapshot, exported by the workbench and graded headlessly by `academy grade`.
export const ATTEMPT_FORMAT = 'beanstalk-academy-attempt';
export const ATTEMPT_VERSION = 1;

export interface AttemptFileEntry {
  /** How `content` is encoded: text as is, or bytes as base64. */
  encoding: 'utf8' | 'base64';
  content: string;
}

/** The learner's last check results, for the instructor's information (unknown fields are kept). */
export interface AttemptResults {
  /** When the learner last ran the checks (ISO 8601). */
  checkedAt: string;
  score: number;
  maxScore: number;
  checks: ({ id: string; status: 'pass' | 'fail' | 'error'; /** How many hint rungs the learner opened. */ hintsRevealed?: number } & Record<string, unknown>)[];
  [field: string]: unknown;
}

export interface Attempt {
  format: typeof ATTEMPT_FORMAT;
  version: typeof ATTEMPT_VERSION;
  labId: string;
  exportedAt: string;
  /** Workspace files, keyed by path relative to the workspace directory. */
  files: Record<string, AttemptFileEntry>;
  /** Shell history, oldest first. */
  history: string[];
  /** The sandbox cloud snapshot (`cloud.snapshot()`). */
  cloud: { format: string; version: number } & Record<string, unknown>;
  results?: AttemptResults;
  /** Virtual time the lab preset finished (epoch ms); events and traffic before it are not the learner's. */
  presetFinishedAt?: number;
}

// ---------- reading: a hand-written reader (no schema library, so the page's attempt chunk stays small) ----------

type Path = (string | number)[];
interface AttemptIssue {
  path: Path;
  message: string;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return kindOf(value) === 'object';
}

function formatPath(path: Path): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(root)';
}

/** Collects every problem of one attempt document, each at its field path, as an author of a fix needs them. */
class AttemptReader {
  readonly issues: AttemptIssue[] = [];

  problem(path: Path, message: string): void {
    this.issues.push({ path, message });
  }

  /** The field's value if it is present with the expected kind; otherwise records why not. */
  expect<T>(record: Record<string, unknown>, path: Path, key: string, what: string, test: (v: unknown) => v is T, optional = false): T | undefined {
    const value = record[key];
    if (value === undefined) {
      if (!optional) this.problem([...path, key], `Required: expected ${what}`);
      return undefined;
    }
    if (!test(value)) {
      this.problem([...path, key], `Expected ${what}, received ${kindOf(value) === 'string' ? JSON.stringify(value) : kindOf(value)}`);
      return undefined;
    }
    return value;
  }

  onlyKnown(record: Record<string, unknown>, path: Path, known: readonly string[]): void {
    const unknown = Object.keys(record).filter((k) => !known.includes(k));
    if (unknown.length > 0) {
      this.problem(path, `Unrecognized key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${known.join(', ')}`);
    }
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
const LAB_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const ATTEMPT_FIELDS = ['format', 'version', 'labId', 'exportedAt', 'files', 'history', 'cloud', 'results', 'presetFinishedAt'] as const;

function readFiles(reader: AttemptReader, record: Record<string, unknown>): void {
  const files = reader.expect(record, [], 'files', 'an object of files keyed by workspace path', isRecord);
  if (!files) return;
  for (const [path, entry] of Object.entries(files)) {
    const at = ['files', path];
    if (path.startsWith('/') || path.split('/').includes('..') || path === '') {
      reader.problem(at, 'file paths must be relative to the workspace, without ".."');
    }
    if (!isRecord(entry)) {
      reader.problem(at, `Expected an object { encoding, content }, received ${kindOf(entry)}`);
      continue;
    }
    reader.onlyKnown(entry, at, ['encoding', 'content']);
    const encoding = entry.encoding;
    if (encoding !== 'utf8' && encoding !== 'base64') {
      reader.problem([...at, 'encoding'], encoding === undefined ? 'Required: expected "utf8" or "base64"' : `Expected "utf8" or "base64", received ${JSON.stringify(encoding) ?? kindOf(encoding)}`);
    }
    const content = reader.expect(entry, at, 'content', 'a string (the file content)', isString);
    if (encoding === 'base64' && content !== undefined && !BASE64.test(content)) reader.problem([...at, 'content'], 'is not valid base64');
  }
}

function readResults(reader: AttemptReader, record: Record<string, unknown>): void {
  const results = reader.expect(record, [], 'results', 'an object (the last check results)', isRecord, true);
  if (!results) return;
  const at = ['results'];
  reader.expect(results, at, 'checkedAt', 'a string (ISO 8601 date)', isString);
  for (const key of ['score', 'maxScore']) {
    const n = reader.expect(results, at, key, 'a number', isNumber);
    if (n !== undefined && n < 0) reader.problem([...at, key], 'must be 0 or more');
  }
  const checks = reader.expect(results, at, 'checks', 'an array of check results', isArray);
  checks?.forEach((check, i) => {
    const cp = [...at, 'checks', i];
    if (!isRecord(check)) {
      reader.problem(cp, `Expected an object { id, status }, received ${kindOf(check)}`);
      return;
    }
    reader.expect(check, cp, 'id', 'a string (the check id)', isString);
    if (check.status !== 'pass' && check.status !== 'fail' && check.status !== 'error') {
      reader.problem([...cp, 'status'], check.status === undefined ? 'Required: expected "pass", "fail" or "error"' : `Expected "pass", "fail" or "error", received ${JSON.stringify(check.status) ?? kindOf(check.status)}`);
    }
    const hints = reader.expect(check, cp, 'hintsRevealed', 'a whole number from 0 to 3', isNumber, true);
    if (hints !== undefined && !(Number.isInteger(hints) && hints >= 0 && hints <= 3)) reader.problem([...cp, 'hintsRevealed'], `Expected a whole number from 0 to 3, received ${hints}`);
  });
}

/** Every problem of a document that already has the right format and version. */
function attemptIssues(record: Record<string, unknown>): AttemptIssue[] {
  const reader = new AttemptReader();
  reader.onlyKnown(record, [], ATTEMPT_FIELDS);
  const labId = reader.expect(record, [], 'labId', 'a lab id (string)', isString);
  if (labId !== undefined && !LAB_ID.test(labId)) reader.problem(['labId'], `must be a lab id such as "procfile"; received ${JSON.stringify(labId)}`);
  const exportedAt = reader.expect(record, [], 'exportedAt', 'an ISO 8601 date (string)', isString);
  if (exportedAt !== undefined && Number.isNaN(Date.parse(exportedAt))) reader.problem(['exportedAt'], `must be an ISO 8601 date; received ${JSON.stringify(exportedAt)}`);
  readFiles(reader, record);
  const history = reader.expect(record, [], 'history', 'array of strings (shell history)', isArray);
  history?.forEach((line, i) => {
    if (typeof line !== 'string') reader.problem(['history', i], `Expected string, received ${kindOf(line)}`);
  });
  const cloud = reader.expect(record, [], 'cloud', 'an object (a sandbox cloud snapshot)', isRecord);
  if (cloud) {
    reader.expect(cloud, ['cloud'], 'format', 'a string', isString);
    reader.expect(cloud, ['cloud'], 'version', 'a number', isNumber);
  }
  readResults(reader, record);
  reader.expect(record, [], 'presetFinishedAt', 'a number (epoch ms)', isNumber, true);
  return reader.issues;
}

/** A file that is not an attempt this version can read; the message says what is wrong and what to do. */
export class AttemptFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttemptFormatError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export interface CreateAttemptInput {
  labId: string;
  /** Workspace files keyed by path relative to the workspace directory. */
  files: Record<string, string | Uint8Array>;
  history: string[];
  /** `cloud.snapshot()` of the learner's cloud. */
  cloud: { format: string; version: number };
  results?: AttemptResults;
  /** From applyPreset's result; lets the grader tell the preset's events from the learner's. */
  presetFinishedAt?: number;
  exportedAt?: Date;
}

/** Builds an attempt; bytes that are valid UTF-8 are stored as text, anything else as base64. */
export function createAttempt(input: CreateAttemptInput): Attempt {
  const files: Attempt['files'] = {};
  for (const path of Object.keys(input.files).sort()) {
    const content = input.files[path];
    if (typeof content === 'string') {
      files[path] = { encoding: 'utf8', content };
      continue;
    }
    try {
      files[path] = { encoding: 'utf8', content: utf8.decode(content) };
    } catch {
      files[path] = { encoding: 'base64', content: toBase64(content) };
    }
  }
  const attempt: Attempt = {
    format: ATTEMPT_FORMAT,
    version: ATTEMPT_VERSION,
    labId: input.labId,
    exportedAt: (input.exportedAt ?? new Date()).toISOString(),
    files,
    history: [...input.history],
    cloud: input.cloud as Attempt['cloud'],
  };
  if (input.results) attempt.results = input.results;
  if (input.presetFinishedAt !== undefined) attempt.presetFinishedAt = input.presetFinishedAt;
  return attempt;
}

export function serializeAttempt(attempt: Attempt): string {
  return JSON.stringify(attempt, null, 2) + '\n';
}

/** Reads an attempt file, with precise errors for files that are not JSON, not attempts, or of another version. */
export function parseAttempt(text: string, source = 'attempt file'): Attempt {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new AttemptFormatError(`${source} is not valid JSON (${(err as Error).message}); export the attempt again from the lab page (Export attempt).`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    throw new AttemptFormatError(`${source} is not an attempt: expected a JSON object with "format": "${ATTEMPT_FORMAT}".`);
  }
  const record = data as Record<string, unknown>;
  if (record.format !== ATTEMPT_FORMAT) {
    throw new AttemptFormatError(
      `${source} is not a Beanstalk Academy attempt: "format" is ${JSON.stringify(record.format)}, expected "${ATTEMPT_FORMAT}".` +
        (record.format === 'beanstalk-academy-cloud' ? ' This is a cloud snapshot; export the whole attempt from the lab page instead.' : ''),
    );
  }
  if (typeof record.version !== 'number') {
    throw new AttemptFormatError(`${source} has no numeric "version"; expected ${ATTEMPT_VERSION}.`);
  }
  if (record.version > ATTEMPT_VERSION) {
    throw new AttemptFormatError(`${source} is attempt format version ${record.version}, newer than this grader reads (${ATTEMPT_VERSION}); update Beanstalk Academy.`);
  }
  if (record.version < ATTEMPT_VERSION) {
    throw new AttemptFormatError(`${source} is attempt format version ${record.version}, which is no longer supported (this grader reads ${ATTEMPT_VERSION}); re-export it from the lab page.`);
  }
  const issues = attemptIssues(record);
  if (issues.length > 0) {
    const lines = issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    throw new AttemptFormatError(`${source} is a damaged attempt:\n${lines.join('\n')}`);
  }
  return record as unknown as Attempt;
}

/** The attempt's workspace files as text or bytes, keyed by path relative to the workspace. */
export function attemptFiles(attempt: Attempt): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {};
  for (const [path, entry] of Object.entries(attempt.files)) out[path] = entry.encoding === 'utf8' ? entry.content : fromBase64(entry.content);
  return out;
}
