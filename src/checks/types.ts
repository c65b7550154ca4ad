// What a check produces and what it may use: results with expected/found/evidence and Maya's hint
// ladder, and the context through which checks reach the workspace (WorkspaceFs) and the cloud (SDK clients).
import type { ACMClient } from '@aws-sdk/client-acm';
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import type { S3Client } from '@aws-sdk/client-s3';
import type { WorkspaceFs } from '../workspace/fs.ts';
import type { Lab } from '../course/lab-loader.ts';
import type { HintLadder, HintLevel, CheckKind } from '../course/lab-schema.ts';

export type CheckStatus = 'pass' | 'fail' | 'error';
export type EvidenceKind = 'event' | 'log' | 'file' | 'traffic' | 'timeline' | 'setting';

export interface Evidence {
  kind: EvidenceKind;
  text: string;
  /** Where it comes from: `Procfile:1`, an event time `2026-11-23 09:14:02 ERROR`, an instance log file. */
  source?: string;
}

/**
 * Sandbox-only evidence (`/_sandbox/*`), as far as checks use it. `AwsClients.sandbox` from src/aws
 * satisfies it; it is null against LocalStack or AWS, and checks that need it then report an error.
 */
export interface SandboxEvidenceSource {
  traffic(environmentName: string, options?: { region?: string; since?: number }): Promise<unknown>;
  timeline(environmentName: string, options?: { region?: string; since?: number }): Promise<unknown>;
  /** Starts (rps > 0) or stops the steady traffic probe (a preset's `traffic`); `AwsClients.sandbox` has it. */
  probe?(environmentName: string, rps: number, options?: { region?: string; requests?: string[] }): Promise<void>;
  /** Sends one request to an environment URL (http:// or https://) as a browser would; `AwsClients.sandbox` has it. */
  request?(req: EnvironmentRequest): Promise<EnvironmentAnswer>;
}

/** A request to an environment URL, e.g. `http://pettracker-web-prod.eba-x.us-east-1.elasticbeanstalk.com/`. */
export interface EnvironmentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export interface EnvironmentAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The version label of the instance that answered, when an instance did. */
  versionLabel?: string;
  /** Why nothing answered (status 0): the port refused the connection, or the TLS handshake failed. */
  connectionError?: { kind: string; message: string };
  /** For https:// URLs: the certificate the load balancer presented. */
  tls?: { certificateArn: string; names: string[]; trusted: boolean };
}

/** The SDK clients a check may use (a subset of src/aws AwsClients, so any backend works). */
export interface CheckClients {
  region: string;
  eb: ElasticBeanstalkClient;
  s3: S3Client;
  /** AWS Certificate Manager, for checks on certificates (src/aws AwsClients has it on every backend; only `send` is used). */
  acm?: Pick<ACMClient, 'send'>;
  sandbox?: SandboxEvidenceSource | null;
  now(): number;
}

export interface CheckResult {
  id: string;
  title: string;
  kind: CheckKind;
  status: CheckStatus;
  /** Points earned: maxPoints when passed, else 0. */
  points: number;
  maxPoints: number;
  /** What the check wanted, in words a learner understands. */
  expected: string;
  /** What it found instead (or what it found, when passed). */
  found: string;
  evidence: Evidence[];
  /** Machine-readable failure reason, e.g. `missing`, `parent-folder`, `wrong-port`. */
  reason?: string;
  hints: HintLadder;
  /** The hint rung this failure points to (how specific the diagnosis is); null when passed or on error. */
  hintLevel: HintLevel | null;
  /** For status `error`: what went wrong inside the check (not the learner's fault). */
  error?: string;
  durationMs: number;
}

export interface CheckRun {
  labId: string;
  checkedAt: string;
  results: CheckResult[];
  score: number;
  maxScore: number;
  passed: number;
  failed: number;
  errored: number;
  /** Every check passed. */
  completed: boolean;
}

/** What a check implementation returns; the runner adds id, title, points and hints. */
export interface CheckOutcome {
  pass: boolean;
  expected: string;
  found: string;
  evidence?: Evidence[];
  reason?: string;
  /** For a failure: how specific the diagnosis is (default `nudge`). */
  hintLevel?: HintLevel;
}

export interface CheckContext {
  fs: WorkspaceFs;
  workspaceDir: string;
  clients: CheckClients;
  lab: Lab;
  /** Virtual time the lab preset finished (epoch ms); events and traffic before it are the preset's. */
  presetFinishedAt: number;
  /** Version labels the preset created, per application. */
  presetVersions: Map<string, Set<string>>;
}

export type CheckImplementation<P = Record<string, unknown>> = (params: P, ctx: CheckContext) => Promise<CheckOutcome>;

/** A lab's checks.ts exports a record of these (see defineChecks). */
export type CustomCheck = CheckImplementation<Record<string, unknown>>;
export type CustomChecks = Record<string, CustomCheck>;

/** A failure the learner caused in a way a check can name precisely (thrown from helpers, caught by kinds). */
export class CheckFailure extends Error {
  constructor(readonly outcome: CheckOutcome) {
    super(outcome.found);
    this.name = 'CheckFailure';
  }
}
