// The attempt file: one versioned JSON document with a learner's workspace files, shell history and
// cloud snapshot, exported by the workbench and graded headlessly by `academy grade`.
import { z } from 'zod';

export const ATTEMPT_FORMAT = 'beanstalk-academy-attempt';
export const ATTEMPT_VERSION = 1;

const fileEntrySchema = z
  .object({
    encoding: z.enum(['utf8', 'base64']).describe('How `content` is encoded: text as is, or bytes as base64.'),
    content: z.string().describe('The file content.'),
  })
  .strict();

const resultSummarySchema = z
  .object({
    checkedAt: z.string().describe('When the learner last ran the checks (ISO 8601).'),
    score: z.number().min(0),
    maxScore: z.number().min(0),
    checks: z.array(
      z
        .object({
          id: z.string(),
          status: z.enum(['pass', 'fail', 'error']),
          hintsRevealed: z.number().int().min(0).max(3).optional().describe('How many hint rungs the learner opened.'),
        })
        .passthrough(),
    ),
  })
  .passthrough();

export const attemptSchema = z
  .object({
    format: z.literal(ATTEMPT_FORMAT),
    version: z.literal(ATTEMPT_VERSION),
    labId: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be a lab id such as "procfile"'),
    exportedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date'),
    files: z
      .record(
        z.string().refine((p) => !p.startsWith('/') && !p.split('/').includes('..'), 'file paths must be relative to the workspace, without ".."'),
        fileEntrySchema,
      )
      .describe('Workspace files, keyed by path relative to the workspace directory.'),
    history: z.array(z.string()).describe('Shell history, oldest first.'),
    cloud: z
      .object({ format: z.string(), version: z.number() })
      .passthrough()
      .describe('The sandbox cloud snapshot (`cloud.snapshot()`).'),
    results: resultSummarySchema.optional().describe("The learner's last check results, for the instructor's information."),
    presetFinishedAt: z.number().optional().describe('Virtual time the lab preset finished (epoch ms); events and traffic before it are not the learner’s.'),
  })
  .strict();

export type Attempt = z.infer<typeof attemptSchema>;
export type AttemptResults = z.infer<typeof resultSummarySchema>;

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
  const result = attemptSchema.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(root)'}: ${i.message}`);
    throw new AttemptFormatError(`${source} is a damaged attempt:\n${lines.join('\n')}`);
  }
  for (const [path, entry] of Object.entries(result.data.files)) {
    if (entry.encoding === 'base64' && !/^[A-Za-z0-9+/]*={0,2}$/.test(entry.content)) {
      throw new AttemptFormatError(`${source} is a damaged attempt:\n  files.${path}.content: is not valid base64`);
    }
  }
  return result.data;
}

/** The attempt's workspace files as text or bytes, keyed by path relative to the workspace. */
export function attemptFiles(attempt: Attempt): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {};
  for (const [path, entry] of Object.entries(attempt.files)) out[path] = entry.encoding === 'utf8' ? entry.content : fromBase64(entry.content);
  return out;
}
