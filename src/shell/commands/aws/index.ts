// `aws`: the AWS CLI subset labs need — elasticbeanstalk, s3, s3api, sts — through the lab's SDK clients,
// with --output json|text|table|yaml, --query, --region, and the CLI's error lines and exit codes.
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { stringify as toYaml } from 'yaml';
import { resolvePath, type LabCommand, type LabCommandContext } from '../../command.ts';
import { ebCommandClass, ebOperations } from './elasticbeanstalk.ts';
import { AwsUsageError, parseParams, type OperationSpec } from './params.ts';
import { compileQuery, QueryError } from './query.ts';
import { render, toCliValue, type OutputFormat } from './render.ts';
import { bodyBytes, describeError, runS3, s3apiOperations, s3Commands } from './s3.ts';

const USAGE = `
usage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]
To see help text, you can run:

  aws help
  aws <command> help
  aws <command> <subcommand> help
`;

const SERVICES = ['elasticbeanstalk', 's3', 's3api', 'sts'];
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
function regionalClients(ctx: LabCommandContext, region: string | undefined): { region: string; eb: ElasticBeanstalkClient; s3: S3Client; sts: STSClient } {
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
  };
}

function output(result: unknown, options: GlobalOptions, operation: string, ctx: LabCommandContext): void {
  let value = toCliValue(result);
  if (options.query !== undefined) value = compileQuery(options.query)(value);
  if (options.output === 'yaml') {
    ctx.stdout(value === null || value === undefined ? 'null\n' : toYaml(value));
    return;
  }
  ctx.stdout(render(value, options.output as OutputFormat, operation));
}

function helpFor(service: string | undefined, operation: string | undefined): string {
  if (!service) {
    return `aws: the AWS CLI, for what the labs need.\n\nServices here: ${SERVICES.join(', ')}\n  aws elasticbeanstalk help     operations of Elastic Beanstalk\n  aws s3 ls | cp | mb | rb | rm\n  aws sts get-caller-identity\n\nGlobal options: --output json|text|table|yaml, --query <JMESPath>, --region <region>\n`;
  }
  const table = service === 'elasticbeanstalk' ? ebOperations : service === 's3api' ? s3apiOperations : null;
  if (service === 's3') return `aws s3 commands: ${S3_COMMANDS.join(', ')}\n  aws s3 ls [s3://bucket/prefix] [--recursive] [--human-readable] [--summarize]\n  aws s3 cp <from> <to> [--recursive]   (one side s3://bucket/key, - for the terminal)\n  aws s3 mb s3://bucket   aws s3 rb s3://bucket [--force]   aws s3 rm s3://bucket/key [--recursive]\n`;
  if (service === 'sts') return 'aws sts operations: get-caller-identity\n';
  if (!table) return `Unknown service '${service}'. Services here: ${SERVICES.join(', ')}\n`;
  const spec = operation ? table[operation] : undefined;
  if (spec) {
    const params = Object.entries(spec.params).map(([name, type]) => `  --${name} <${type}>${spec.required?.includes(name) ? '  (required)' : ''}`);
    return `aws ${service} ${operation}  (${spec.operation})\n\n${params.length ? params.join('\n') : '  (no parameters)'}\n\nLists of structures take shorthand (Key=Value,Key=Value ...) or JSON, and file://path.\n`;
  }
  return `aws ${service} operations here:\n${Object.keys(table)
    .sort()
    .map((op) => `  ${op}`)
    .join('\n')}\n`;
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
  const table: Record<string, OperationSpec & { operation: string }> = service === 'elasticbeanstalk' ? ebOperations : s3apiOperations;
  const spec = table[operationName];
  if (!spec) {
    throw new AwsUsageError(`argument operation: Invalid choice, valid choices for aws ${service} here are:\n\n${Object.keys(table).sort().join(' | ')}`);
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
  summary: 'AWS CLI subset: elasticbeanstalk, s3, s3api, sts (--output json|table|text, --query)',
  complete(args, word) {
    const positional = args.filter((a) => !a.startsWith('-'));
    if (positional.length === 0) return word.startsWith('-') ? ['--output', '--query', '--region', '--debug'] : [...SERVICES, 'help'];
    const [service, operation] = positional;
    if (positional.length === 1) {
      if (service === 's3') return S3_COMMANDS;
      if (service === 'sts') return ['get-caller-identity'];
      return Object.keys(service === 'elasticbeanstalk' ? ebOperations : service === 's3api' ? s3apiOperations : {});
    }
    if (word.startsWith('-')) {
      const spec = (service === 'elasticbeanstalk' ? ebOperations : service === 's3api' ? s3apiOperations : {})[operation];
      return [...Object.keys(spec?.params ?? {}).map((p) => `--${p}`), '--output', '--query', '--region'];
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
      if (service === 'help' || service === undefined || operation === 'help' || tokens[tokens.length - 1] === 'help') {
        if (service === undefined) throw new AwsUsageError('the following arguments are required: command');
        ctx.stdout(helpFor(service === 'help' ? undefined : service, operation === 'help' ? undefined : operation));
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
