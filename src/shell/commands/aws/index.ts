// `aws`: the AWS CLI subset labs need — elasticbeanstalk, s3, s3api, sts, cloudwatch, acm — through the lab's
// SDK clients, with --output json|text|table|yaml, --query, --region, paging, and the CLI's errors and exit codes.
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { stringify as toYaml } from 'yaml';
import { acmClient, cloudwatchClient, type AwsClients } from '../../../aws/index.ts';
import { resolvePath, type LabCommand, type LabCommandContext } from '../../command.ts';
import { acmOperations, CERTIFICATE_VALIDATED } from './acm.ts';
import { cloudwatchOperations } from './cloudwatch.ts';
import { ENVIRONMENT_WAITERS, environmentWaitHelp, waitForEnvironments } from './eb-waiters.ts';
import { ebCommandClass, ebOperations, type ServiceOperation } from './elasticbeanstalk.ts';
import { AwsUsageError, parseParams, pascalCase, type OperationSpec, type Pagination } from './params.ts';
import { compileQuery, QueryError } from './query.ts';
import { render, toCliValue, yamlValue, type OutputFormat } from './render.ts';
import { bodyBytes, describeError, runS3, s3apiOperations, s3Commands } from './s3.ts';

const USAGE = `
usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
`;

const SERVICES = ['acm', 'cloudwatch', 'elasticbeanstalk', 's3', 's3api', 'sts'];
/** Services whose operations are all in a table of CLI name → spec. */
const OPERATION_TABLES: Record<string, Record<string, ServiceOperation>> = {
  elasticbeanstalk: ebOperations,
  s3api: s3apiOperations,
  cloudwatch: cloudwatchOperations,
  acm: acmOperations,
};
const ACM_WAITERS = ['certificate-validated'];
/** Services whose `wait` subcommand the lab's aws has. */
const WAIT_SERVICES = ['acm', 'elasticbeanstalk'];
/** The AWS CLI's own paging options, offered on operations it pages through. */
const PAGING_OPTIONS = ['starting-token', 'page-size', 'max-items'];
const S3_COMMANDS = ['cp', 'ls', 'mb', 'rb', 'rm'];
const FORMATS = ['json', 'text', 'table', 'yaml'];

interface GlobalOptions {
  output: string;
  query?: string;
  region?: string;
  debug: boolean;
}

/** Exit codes of AWS CLI v2: 252 bad command line, 253 bad configuration, 254 the service said no, 255 anything else. */
const EXIT = { usage: 252, config: 253, service: 254, other: 255 } as const;

function extractGlobals(args: string[], ctx: LabCommandContext): { options: GlobalOptions; rest: string[] } {
  const options: GlobalOptions = { output: ctx.env.AWS_DEFAULT_OUTPUT || 'json', debug: false };
  const rest: string[] = [];
  const valued = new Set(['--output', '--query', '--region', '--profile', '--endpoint-url', '--color', '--cli-read-timeout', '--cli-connect-timeout', '--ca-bundle']);
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let value: string | undefined;
    if (arg.startsWith('--') && arg.includes('=') && valued.has(arg.slice(0, arg.indexOf('=')))) {
      value = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    if (valued.has(arg)) {
      value ??= args[++i];
      if (value === undefined) throw new AwsUsageError(`argument ${arg}: expected one argument`);
      if (arg === '--output') options.output = value;
      else if (arg === '--query') options.query = value;
      else if (arg === '--region') options.region = value;
      else if (arg === '--endpoint-url') {
        throw new AwsUsageError(
          `--endpoint-url is not used in the lab terminal: its aws already talks to the lab's cloud (choose another cloud in the workbench's Cloud setting).`,
        );
      }
      continue;
    }
    if (arg === '--debug') options.debug = true;
    else if (['--no-cli-pager', '--no-paginate', '--no-verify-ssl', '--no-sign-request', '--no-cli-auto-prompt'].includes(arg)) continue;
    else rest.push(args[i]);
  }
  if (!FORMATS.includes(options.output)) throw new AwsUsageError(`argument --output: Invalid choice, valid choices are:\n\n${FORMATS.join(' | ')}`);
  if (options.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(options.region)) {
    throw new AwsUsageError(`Provided region_name '${options.region}' doesn't match a supported format (e.g. us-east-1).`);
  }
  return { options, rest };
}

/** SDK clients for another region that reach the same cloud the same way (in-process or HTTP). */
type RegionalClients = Pick<AwsClients, 'region' | 'eb' | 's3' | 'sts' | 'cloudwatch' | 'acm'>;

function regionalClients(ctx: LabCommandContext, region: string | undefined): RegionalClients {
  const base = ctx.clients;
  if (!region || region === base.region) return base;
  const like = (client: { config: object }) => {
    const config = client.config as { credentials?: unknown; endpoint?: unknown; requestHandler?: unknown };
    return { region, credentials: config.credentials, endpoint: config.endpoint, requestHandler: config.requestHandler } as Record<string, unknown>;
  };
  return {
    region,
    eb: new ElasticBeanstalkClient(like(base.eb)),
    s3: new S3Client({ ...like(base.s3), forcePathStyle: (base.s3.config as { forcePathStyle?: boolean }).forcePathStyle }),
    sts: new STSClient(like(base.sts)),
    cloudwatch: cloudwatchClient({ ...base.cloudwatch.settings, region }),
    acm: acmClient({ ...base.acm.settings, region }),
  };
}

/**
 * Members the service models type as doubles (every number inside them, for lists and maps), which the CLI
 * prints as Python floats: CloudWatch's statistics, thresholds and values; EB's latency and CPU figures.
 */
const DOUBLE_MEMBERS: Record<string, ReadonlySet<string>> = {
  cloudwatch: new Set(['Threshold', 'Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount', 'ExtendedStatistics', 'Values', 'Value', 'Counts']),
  elasticbeanstalk: new Set(['Latency', 'CPUUtilization', 'LoadAverage']),
};
const CLOUDWATCH_OPERATIONS = new Set(Object.values(cloudwatchOperations).map((spec) => spec.operation));
const EB_OPERATIONS = new Set(Object.values(ebOperations).map((spec) => spec.operation));

function output(result: unknown, options: GlobalOptions, operation: string, ctx: LabCommandContext): void {
  const doubles = CLOUDWATCH_OPERATIONS.has(operation) ? DOUBLE_MEMBERS.cloudwatch : EB_OPERATIONS.has(operation) ? DOUBLE_MEMBERS.elasticbeanstalk : undefined;
  let value = toCliValue(result, doubles);
  // Operations that answer nothing (put-metric-alarm, delete-certificate) print nothing, as the CLI does.
  if (options.query === undefined && isEmptyObject(value)) return;
  if (options.query !== undefined) value = compileQuery(options.query)(value);
  if (options.output === 'yaml') {
    ctx.stdout(value === null || value === undefined ? 'null\n' : toYaml(yamlValue(value)));
    return;
  }
  ctx.stdout(render(value, options.output as OutputFormat, operation));
}

/** The CLI leaves the service's paging members (--next-token, --max-records) out of help: it pages itself. */
function documentedParams(spec: OperationSpec | undefined): string[] {
  if (!spec) return [];
  const paging = spec.paginate ? [spec.paginate.inputToken, spec.paginate.limitKey] : [];
  return Object.keys(spec.params).filter((name) => !paging.includes(spec.rename?.[name] ?? pascalCase(name)));
}

const isEmptyObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

function helpFor(service: string | undefined, operation: string | undefined): string {
  if (!service) {
    return `aws: the AWS CLI, for what the labs need.\n\nServices here: ${SERVICES.join(', ')}\n  aws elasticbeanstalk help     operations of Elastic Beanstalk\n  aws cloudwatch help           alarms, metrics and statistics\n  aws acm help                  certificates (and aws acm wait certificate-validated)\n  aws s3 ls | cp | mb | rb | rm\n  aws sts get-caller-identity\n\nGlobal options: --output json|text|table|yaml, --query <JMESPath>, --region <region>\n`;
  }
  if (service === 'elasticbeanstalk' && operation === 'wait') return environmentWaitHelp();
  if (service === 'acm' && operation === 'wait') {
    return `aws acm wait certificate-validated --certificate-arn <arn>\n\nWaits until every domain of the certificate is validated (DomainValidationOptions[].ValidationStatus SUCCESS),\nasking DescribeCertificate every ${CERTIFICATE_VALIDATED.delayMs / 1000} seconds of cloud time, at most ${CERTIFICATE_VALIDATED.maxAttempts} times.\nExits 255 if the certificate fails or is not found, or after the last attempt.\n`;
  }
  const table = OPERATION_TABLES[service] ?? null;
  if (service === 's3') return `aws s3 commands: ${S3_COMMANDS.join(', ')}\n  aws s3 ls [s3://bucket/prefix] [--recursive] [--human-readable] [--summarize]\n  aws s3 cp <from> <to> [--recursive]   (one side s3://bucket/key, - for the terminal)\n  aws s3 mb s3://bucket   aws s3 rb s3://bucket [--force]   aws s3 rm s3://bucket/key [--recursive]\n`;
  if (service === 'sts') return 'aws sts operations: get-caller-identity\n';
  if (!table) return `Unknown service '${service}'. Services here: ${SERVICES.join(', ')}\n`;
  const spec = operation ? table[operation] : undefined;
  if (spec) {
    const params = documentedParams(spec).map((name) => [name, spec.params[name]]).map(([name, type]) => `  --${name} <${type === 'double' ? 'number' : type}>${spec.required?.includes(name) ? '  (required)' : ''}`);
    if (spec.paginate) params.push('  --starting-token <string>  --page-size <integer>  --max-items <integer>  (the CLI pages through all results itself)');
    const about = spec.summary ? `\n${spec.summary}\n` : '';
    const example = spec.example ? `\nExample:\n  ${spec.example}\n` : '';
    return `aws ${service} ${operation}  (${spec.operation})\n${about}\n${params.length ? params.join('\n') : '  (no parameters)'}\n${example}\nLists of structures take shorthand (Key=Value,Key=Value ...) or JSON, and file://path.\n`;
  }
  const names = [...Object.keys(table), ...(WAIT_SERVICES.includes(service) ? ['wait'] : [])].sort();
  return `aws ${service} operations here:\n${names.map((op) => `  ${op}`).join('\n')}\n`;
}

interface PagingRequest {
  startingToken?: string;
  pageSize?: number;
  maxItems?: number;
}

/** Takes --starting-token, --page-size and --max-items out of the parameters of an operation the CLI pages. */
function takePagingOptions(tokens: string[]): { paging: PagingRequest; rest: string[] } {
  const paging: PagingRequest = {};
  const rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let name = tokens[i].startsWith('--') ? tokens[i].slice(2) : '';
    let value: string | undefined;
    if (name.includes('=')) {
      value = name.slice(name.indexOf('=') + 1);
      name = name.slice(0, name.indexOf('='));
    }
    if (!PAGING_OPTIONS.includes(name)) {
      rest.push(tokens[i]);
      continue;
    }
    value ??= tokens[++i];
    if (value === undefined || value.startsWith('--')) throw new AwsUsageError(`argument --${name}: expected one argument`);
    if (name === 'starting-token') paging.startingToken = value;
    else {
      if (!/^\d+$/.test(value) || Number(value) < 1) throw new AwsUsageError(`argument --${name}: invalid int value: '${value}' (a whole number of at least 1)`);
      if (name === 'page-size') paging.pageSize = Number(value);
      else paging.maxItems = Number(value);
    }
  }
  return { paging, rest };
}

/** The CLI's resume token: the service's token and how many items of that page were already shown, base64 JSON. */
function encodeStartingToken(serviceToken: string | undefined, skip: number): string {
  return btoa(JSON.stringify({ ...(serviceToken ? { NextToken: serviceToken } : {}), boto_truncate_amount: skip }));
}

function decodeStartingToken(token: string): { serviceToken?: string; skip: number } {
  try {
    const parsed = JSON.parse(atob(token)) as { NextToken?: unknown; boto_truncate_amount?: unknown };
    if (typeof parsed === 'object' && parsed !== null) {
      return { serviceToken: typeof parsed.NextToken === 'string' ? parsed.NextToken : undefined, skip: typeof parsed.boto_truncate_amount === 'number' ? parsed.boto_truncate_amount : 0 };
    }
  } catch {
    // Not one of ours: a token a service returned, passed straight on as the CLI does.
  }
  return { serviceToken: token, skip: 0 };
}

/**
 * Sends every page of a paginated operation and joins the result lists, as the CLI does unless a paging
 * member (--next-token, --max-records) was given; --max-items stops early with a NextToken to resume from.
 */
async function sendAllPages(
  sendPage: (input: Record<string, unknown>) => Promise<Record<string, unknown>>,
  input: Record<string, unknown>,
  pagination: Pagination,
  paging: PagingRequest,
  ctx: LabCommandContext,
): Promise<Record<string, unknown>> {
  const start = paging.startingToken ? decodeStartingToken(paging.startingToken) : { serviceToken: undefined, skip: 0 };
  let token = start.serviceToken;
  let skip = start.skip;
  let merged: Record<string, unknown> | undefined;
  let items = 0;
  for (let page = 0; ; page++) {
    if (ctx.signal.aborted) throw new Error('Interrupted');
    const request = { ...input };
    if (token) request[pagination.inputToken] = token;
    if (paging.pageSize !== undefined && pagination.limitKey) request[pagination.limitKey] = paging.pageSize;
    const result = await sendPage(request);
    const next = result[pagination.outputToken] as string | undefined;
    delete result[pagination.outputToken];
    const pageLength = Math.max(0, ...pagination.resultKeys.map((k) => (Array.isArray(result[k]) ? (result[k] as unknown[]).length : 0)));
    for (const key of pagination.resultKeys) {
      if (Array.isArray(result[key]) && skip > 0) result[key] = (result[key] as unknown[]).slice(skip);
    }
    const taken = pageLength - Math.min(skip, pageLength);
    if (!merged) merged = result;
    else {
      for (const key of pagination.resultKeys) {
        if (Array.isArray(result[key])) merged[key] = [...((merged[key] as unknown[] | undefined) ?? []), ...(result[key] as unknown[])];
      }
    }
    if (paging.maxItems !== undefined && items + taken >= paging.maxItems) {
      const keep = paging.maxItems - items;
      for (const key of pagination.resultKeys) {
        const list = merged[key];
        if (Array.isArray(list)) merged[key] = list.slice(0, list.length - (taken - keep));
      }
      if (keep < taken) merged.NextToken = encodeStartingToken(token, skip + keep);
      else if (next) merged.NextToken = encodeStartingToken(next, 0);
      return merged;
    }
    items += taken;
    skip = 0;
    if (!next || next === token || page > 1_000) return merged;
    token = next;
  }
}

/** `aws acm wait certificate-validated`: polls on the cloud's clock; nothing on success, 255 on failure or time-out. */
async function waitForCertificate(tokens: string[], clients: RegionalClients, ctx: LabCommandContext): Promise<number> {
  const [waiter, ...rest] = tokens;
  if (waiter === undefined) throw new AwsUsageError(`the following arguments are required: wait_name (aws acm wait ${ACM_WAITERS.join(' | ')})`);
  if (!ACM_WAITERS.includes(waiter)) throw new AwsUsageError(`argument wait_name: Invalid choice, valid choices are:\n\n${ACM_WAITERS.join(' | ')}`);
  const input = await parseParams(rest, acmOperations['describe-certificate'], ctx);
  const arn = input.CertificateArn as string;
  const { pollCertificateValidated } = await import('./acm-sdk.ts');
  for (let attempt = 1; ; attempt++) {
    let outcome;
    try {
      outcome = await pollCertificateValidated(clients.acm, arn);
    } catch (error) {
      ctx.stderr(`\nWaiter CertificateValidated failed: ${describeError(error, 'DescribeCertificate')}\n`);
      return EXIT.other;
    }
    if (outcome.state === 'success') return 0;
    if (outcome.state === 'failure') {
      ctx.stderr(`\nWaiter CertificateValidated failed: ${outcome.reason}\n`);
      return EXIT.other;
    }
    if (attempt >= CERTIFICATE_VALIDATED.maxAttempts) {
      ctx.stderr('\nWaiter CertificateValidated failed: Max attempts exceeded. Previously accepted state: For expression "Certificate.DomainValidationOptions[].ValidationStatus" we matched expected path: "PENDING_VALIDATION" at least once\n');
      return EXIT.other;
    }
    if (ctx.signal.aborted) return 130;
    await ctx.clients.sleep(CERTIFICATE_VALIDATED.delayMs);
    if (ctx.signal.aborted) return 130;
  }
}

/** cloudwatch and acm: every operation is a table entry and an SDK command of the same name. */
async function runTableOperation(service: 'cloudwatch' | 'acm', operationName: string, tokens: string[], options: GlobalOptions, ctx: LabCommandContext): Promise<number> {
  const clients = regionalClients(ctx, options.region);
  if (service === 'acm' && operationName === 'wait') return waitForCertificate(tokens, clients, ctx);
  const table = OPERATION_TABLES[service];
  const spec = table[operationName];
  if (!spec) {
    const names = [...Object.keys(table), ...(service === 'acm' ? ['wait'] : [])].sort();
    throw new AwsUsageError(`argument operation: Invalid choice, valid choices for aws ${service} here are:\n\n${names.join(' | ')}`);
  }
  const { paging, rest } = spec.paginate ? takePagingOptions(tokens) : { paging: {}, rest: tokens };
  let input = await parseParams(rest, spec, ctx);
  if (spec.prepare) input = spec.prepare(input);
  // The service's SDK package loads with its command table, when one of its operations first runs.
  const Command = (service === 'cloudwatch' ? (await import('./cloudwatch-sdk.ts')).cloudwatchCommands : (await import('./acm-sdk.ts')).acmCommands)[spec.operation];
  const client = (service === 'cloudwatch' ? clients.cloudwatch : clients.acm) as unknown as { send(command: unknown): Promise<Record<string, unknown>> };
  const sendPage = (request: Record<string, unknown>) => client.send(new Command(request as never));
  const pagination = spec.paginate;
  // Giving the service's own paging members (--next-token, --max-records) turns the CLI's paging off.
  const pages = pagination && input[pagination.inputToken] === undefined && (!pagination.limitKey || input[pagination.limitKey] === undefined);
  return send(() => (pages ? sendAllPages(sendPage, input, pagination, paging, ctx) : sendPage(input)), spec.operation, options, ctx);
}

async function runOperation(
  service: 'elasticbeanstalk' | 's3api' | 'sts',
  operationName: string,
  tokens: string[],
  options: GlobalOptions,
  ctx: LabCommandContext,
): Promise<number> {
  const clients = regionalClients(ctx, options.region);
  if (service === 'sts') {
    if (operationName !== 'get-caller-identity') throw new AwsUsageError(`Invalid choice: '${operationName}', valid choices for aws sts here are: get-caller-identity`);
    await parseParams(tokens, { params: {} }, ctx);
    return send(() => clients.sts.send(new GetCallerIdentityCommand({})), 'GetCallerIdentity', options, ctx);
  }
  if (service === 'elasticbeanstalk' && operationName === 'wait') return waitForEnvironments(tokens, clients.eb, ctx);
  const table: Record<string, OperationSpec & { operation: string }> = service === 'elasticbeanstalk' ? ebOperations : s3apiOperations;
  const spec = table[operationName];
  if (!spec) {
    const names = [...Object.keys(table), ...(WAIT_SERVICES.includes(service) ? ['wait'] : [])].sort();
    throw new AwsUsageError(`argument operation: Invalid choice, valid choices for aws ${service} here are:\n\n${names.join(' | ')}`);
  }
  if (service === 'elasticbeanstalk') {
    const input = await parseParams(tokens, spec, ctx);
    const Command = ebCommandClass(spec.operation);
    return send(() => clients.eb.send(new Command(input) as never), spec.operation, options, ctx);
  }
  // s3api: get-object takes the output file as a positional argument; put-object's --body names a file.
  let outfile: string | undefined;
  let params = tokens;
  if (operationName === 'get-object') {
    const positional = tokens.filter((t, i) => !t.startsWith('--') && (i === 0 || !tokens[i - 1].startsWith('--')));
    if (positional.length !== 1) throw new AwsUsageError('the following arguments are required: outfile (where to write the object, e.g. aws s3api get-object --bucket b --key k out.zip)');
    outfile = positional[0];
    params = tokens.filter((t) => t !== outfile);
  }
  const input = await parseParams(params, spec, ctx);
  if (operationName === 'put-object' && typeof input.Body === 'string') {
    const path = resolvePath(ctx, input.Body);
    if (!(await ctx.fs.exists(path))) throw new AwsUsageError(`Error parsing parameter '--body': Blob values must be a path to a file. '${input.Body}' does not exist.`);
    input.Body = await ctx.fs.readFileBuffer(path);
  }
  const Command = s3Commands[spec.operation];
  return send(
    async () => {
      const result = (await clients.s3.send(new Command(input as never) as never)) as unknown as Record<string, unknown>;
      if (outfile !== undefined) {
        await ctx.fs.writeFile(resolvePath(ctx, outfile), await bodyBytes(result.Body));
        delete result.Body;
      }
      return result;
    },
    spec.operation,
    options,
    ctx,
  );
}

async function send(call: () => Promise<unknown>, operation: string, options: GlobalOptions, ctx: LabCommandContext): Promise<number> {
  let result: unknown;
  try {
    result = await call();
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    const isService = status !== undefined || (error as { $fault?: string }).$fault !== undefined;
    ctx.stderr(`\n${describeError(error, operation)}\n`);
    if (options.debug) ctx.stderr(`${(error as Error).stack ?? ''}\n`);
    return isService ? EXIT.service : EXIT.other;
  }
  output(result, options, operation, ctx);
  return 0;
}

export const awsCommand: LabCommand = {
  name: 'aws',
  summary: 'AWS CLI subset: elasticbeanstalk, s3, s3api, sts, cloudwatch, acm (--output json|table|text, --query)',
  complete(args, word) {
    const positional = args.filter((a) => !a.startsWith('-'));
    if (positional.length === 0) return word.startsWith('-') ? ['--output', '--query', '--region', '--debug'] : [...SERVICES, 'help'];
    const [service, operation] = positional;
    if (positional.length === 1) {
      if (service === 's3') return S3_COMMANDS;
      if (service === 'sts') return ['get-caller-identity'];
      return [...Object.keys(OPERATION_TABLES[service] ?? {}), ...(WAIT_SERVICES.includes(service) ? ['wait'] : [])];
    }
    if (service === 'acm' && operation === 'wait' && positional.length === 2 && !word.startsWith('-')) return ACM_WAITERS;
    if (service === 'elasticbeanstalk' && operation === 'wait' && positional.length === 2 && !word.startsWith('-')) return Object.keys(ENVIRONMENT_WAITERS);
    if (word.startsWith('-')) {
      const waitSpec = service === 'acm' ? acmOperations['describe-certificate'] : ebOperations['describe-environments'];
      const spec = operation === 'wait' && WAIT_SERVICES.includes(service) ? waitSpec : OPERATION_TABLES[service]?.[operation];
      return [...documentedParams(spec).map((p) => `--${p}`), ...(spec?.paginate ? PAGING_OPTIONS.map((p) => `--${p}`) : []), '--output', '--query', '--region'];
    }
    if (args[args.length - 1] === '--output') return FORMATS;
    return undefined;
  },
  async run(args, ctx) {
    try {
      if (args.length === 0) throw new AwsUsageError('the following arguments are required: command');
      if (args[0] === '--version') {
        ctx.stdout('aws-cli/2.17.0 (Beanstalk Academy subset) just-bash/lab\n');
        return 0;
      }
      const { options, rest } = extractGlobals(args, ctx);
      const [service, operation, ...tokens] = rest;
      if (service === 'help' || service === undefined || operation === 'help' || operation === '--help' || tokens[tokens.length - 1] === 'help' || tokens.includes('--help')) {
        if (service === undefined) throw new AwsUsageError('the following arguments are required: command');
        ctx.stdout(helpFor(service === 'help' ? undefined : service, operation === 'help' || operation === '--help' ? undefined : operation));
        return 0;
      }
      if (!SERVICES.includes(service)) {
        throw new AwsUsageError(`argument command: Invalid choice '${service}': the lab terminal's aws knows ${SERVICES.join(', ')}`);
      }
      if (operation === undefined) throw new AwsUsageError('the following arguments are required: operation');
      if (service === 's3') {
        try {
          return await runS3(regionalClients(ctx, options.region).s3, operation, tokens, ctx);
        } catch (error) {
          if (error instanceof AwsUsageError) throw error;
          ctx.stderr(`\n${describeError(error, 'ListObjectsV2')}\n`);
          return EXIT.service;
        }
      }
      if (service === 'cloudwatch' || service === 'acm') return await runTableOperation(service, operation, tokens, options, ctx);
      return await runOperation(service as 'elasticbeanstalk' | 's3api' | 'sts', operation, tokens, options, ctx);
    } catch (error) {
      if (error instanceof AwsUsageError) {
        ctx.stderr(`${USAGE}\naws: error: ${error.message}\n`);
        return EXIT.usage;
      }
      if (error instanceof QueryError) {
        ctx.stderr(`\n${error.message}\n`);
        return EXIT.other;
      }
      throw error;
    }
  },
};
