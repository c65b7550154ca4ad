// What a running `eb` command gets: the host's context (filesystem, cwd, env, output streams,
// optional clients and prompt), its parsed arguments, an output writer, and lazily built clients.
import type { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { WorkspaceFs } from '../workspace/fs.ts';

/**
 * The SDK clients `eb` needs. `AwsClients` from src/aws satisfies it structurally; it is declared
 * here so `eb` depends only on what it uses.
 */
export interface EbClients {
  region: string;
  eb: ElasticBeanstalkClient;
  s3: S3Client;
  sts: STSClient;
  /** Waits between polls; against an in-process cloud with a ManualClock it advances simulated time. */
  sleep(ms: number): Promise<void>;
  /** Current time (epoch ms or a Date) on the cloud's clock. */
  now(): number | Date;
}

export interface EbContext {
  fs: WorkspaceFs;
  cwd: string;
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** In-process clients (lab shell, tests); when absent they are built from env, flags and config.yml. */
  clients?: EbClients;
  signal?: AbortSignal;
  /** Asks the user a question; without it the command never blocks (non-interactive behaviour). */
  prompt?: (question: string) => Promise<string>;
  openUrl?: (url: string) => void;
  /** Home folder for ~/.aws files (defaults to env.HOME). */
  home?: string;
}

/** Writes human output and JSON output through separate paths, honouring --quiet and --json. */
export class Output {
  constructor(
    private readonly ctx: EbContext,
    readonly json: boolean,
    readonly quiet: boolean,
  ) {}

  /** One or more lines of human output (suppressed in --json and --quiet modes). */
  line(text = ''): void {
    if (this.json || this.quiet) return;
    this.ctx.stdout(`${text}\n`);
  }

  /** Human output that is data (tables, values): kept under --quiet, replaced by JSON under --json. */
  result(text: string): void {
    if (this.json || text === '') return;
    this.ctx.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** The machine-readable result of the command (only in --json mode). */
  data(value: unknown): void {
    if (!this.json) return;
    this.ctx.stdout(`${JSON.stringify(value, (key, v) => (key === '$metadata' ? undefined : v), 2)}\n`);
  }

  warning(text: string): void {
    if (this.quiet) return;
    this.ctx.stderr(`WARNING: ${text}\n`);
  }

  error(text: string): void {
    this.ctx.stderr(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** Seconds as `clients.now()` reports them, normalised to epoch milliseconds. */
export function nowMs(clients: Pick<EbClients, 'now'>): number {
  const value = clients.now();
  return typeof value === 'number' ? value : value.getTime();
}
