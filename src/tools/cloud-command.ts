// `academy cloud`: runs the sandbox cloud over HTTP (127.0.0.1:4566 by default) until interrupted,
// restoring and saving a state file if asked. The bin entry maps the returned code to process.exit.
import { createCloud } from '../cloud/index.ts';
import { startCloudServer, type CloudServer } from '../cloud/server.ts';

export interface CloudCommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Stops the server when aborted; without one, SIGINT and SIGTERM stop it. */
  signal?: AbortSignal;
  /** Called once the server listens (tests use it to learn the port). */
  onListening?(server: CloudServer): void;
}

export const CLOUD_USAGE = `Usage: academy cloud [options]

Runs the sandbox cloud (Elastic Beanstalk, S3, STS) for the AWS CLI, the EB CLI, SDKs and the workbench.

Options:
  --port <n>            port to listen on (default 4566; 0 picks a free port)
  --host <address>      interface to listen on (default 127.0.0.1; others are reachable from the network)
  --speed <n>           simulated seconds per real second (default 60)
  --state-file <path>   restore state from this JSON file at start; save it on change and on exit
  --allow-origin <url>  also accept browser requests from this origin (repeatable)
  --quiet               do not log each request
  -h, --help            show this help

Then: aws --endpoint-url http://127.0.0.1:4566 s3 ls   (any credentials work, e.g. test/test)
An environment's URL answers through the cloud too:
      curl -H "Host: <environment CNAME>" http://127.0.0.1:4566/
`;

interface CloudCommandOptions {
  port: number;
  host: string;
  speed: number;
  stateFile?: string;
  allowedOrigins: string[];
  quiet: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): CloudCommandOptions {
  const options: CloudCommandOptions = { port: 4566, host: '127.0.0.1', speed: 60, allowedOrigins: [], quiet: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value.`);
      return v;
    };
    switch (name) {
      case '--port': {
        const v = value();
        const port = Number(v);
        if (!/^\d+$/.test(v) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got '${v}'.`);
        options.port = port;
        break;
      }
      case '--host':
        options.host = value();
        break;
      case '--speed': {
        const v = value();
        const speed = Number(v);
        if (!(speed > 0) || !Number.isFinite(speed)) throw new UsageError(`--speed must be a positive number (60 = a simulated minute per second), got '${v}'.`);
        options.speed = speed;
        break;
      }
      case '--state-file':
        options.stateFile = value();
        break;
      case '--allow-origin': {
        const v = value();
        try {
          options.allowedOrigins.push(new URL(v).origin);
        } catch {
          throw new UsageError(`--allow-origin must be an origin such as https://academy.example.org, got '${v}'.`);
        }
        break;
      }
      case '--quiet':
        options.quiet = true;
        break;
      case '-h':
      case '--help':
        options.help = true;
        break;
      default:
        throw new UsageError(`Unknown option '${arg}'.`);
    }
  }
  return options;
}

/**
 * `academy cloud [--port N] [--host H] [--speed N] [--state-file PATH] [--allow-origin URL] [--quiet]`.
 * Signature for bin/academy.mjs / src/tools/main.ts:
 *   runCloudCommand(argv: string[], io: CloudCommandIo): Promise<number>  — resolves with the exit code
 *   once stopped (io.signal aborted, or SIGINT/SIGTERM when no signal is given); 2 for usage errors,
 *   1 when the server cannot start (port in use, unreadable state file).
 */
export async function runCloudCommand(argv: string[], io: CloudCommandIo): Promise<number> {
  let options: CloudCommandOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`academy cloud: ${err.message}\n\n${CLOUD_USAGE}`);
    return 2;
  }
  if (options.help) {
    io.stdout(CLOUD_USAGE);
    return 0;
  }
  const cloud = createCloud({ speed: options.speed, log: (line) => io.stderr(`${line}\n`) });
  let server: CloudServer;
  try {
    server = await startCloudServer({
      cloud,
      host: options.host,
      port: options.port,
      stateFile: options.stateFile,
      allowedOrigins: options.allowedOrigins,
      log: (line) => {
        if (line.startsWith('warning') || line.startsWith('restored') || line.startsWith('could not') || line.startsWith('internal') || !options.quiet) io.stderr(`${line}\n`);
      },
    });
  } catch (err) {
    cloud.dispose();
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'EADDRINUSE' ? `port ${options.port} is already in use (is another sandbox or LocalStack running?). Try --port 0 or another port.` : (err as Error).message;
    io.stderr(`academy cloud: ${message}\n`);
    return 1;
  }
  io.stdout(`Sandbox cloud listening on ${server.url} (speed ${options.speed}x${options.stateFile ? `, state file ${options.stateFile}` : ''}).\n` +
    `  aws --endpoint-url ${server.url} sts get-caller-identity\n  Health: ${server.url}/_localstack/health   Stop: Ctrl-C\n`);
  io.onListening?.(server);
  await new Promise<void>((resolve) => {
    if (io.signal) {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  cloud.dispose();
  io.stdout(`Sandbox cloud stopped${options.stateFile ? `; state saved to ${options.stateFile}` : ''}.\n`);
  return 0;
}
