// `curl` for the offline lab: requests to environment URLs (`*.elasticbeanstalk.com`, load balancer
// names) are answered by the sandbox's simulated instances; any other host is refused with a reason.
import { SandboxControlError } from '../../aws/index.ts';
import { CommandUsageError, resolvePath, type LabCommand, type LabCommandContext } from '../command.ts';

const USAGE = `Usage: curl [options...] <url>
 -i, --include          include the response headers in the output
 -I, --head             fetch the headers only
 -s, --silent           silent mode (no error messages unless -S)
 -S, --show-error       show errors even with -s
 -f, --fail             fail (exit 22) on HTTP errors, without the error page
 -o, --output <file>    write the body to <file> instead of the terminal
 -X, --request <method> request method (GET, POST, PUT, DELETE ...)
 -H, --header <line>    add a header, e.g. -H 'Accept: application/json'
 -d, --data <data>      send data with POST (@file reads a file)
 -w, --write-out <fmt>  print e.g. '%{http_code}\\n' after the transfer
 -L, --location         accepted (environments answer without redirects)
Only environment URLs work here (e.g. http://my-env.eba-abc123.us-east-1.elasticbeanstalk.com/); find yours with eb status.
`;

/** Hosts the sandbox can answer: environment CNAMEs and load balancer names. */
const ENVIRONMENT_HOST = /(^|\.)elasticbeanstalk\.com$|\.elb\.amazonaws\.com$/i;

interface CurlRequest {
  url?: string;
  method?: string;
  headers: Record<string, string>;
  data: string[];
  include: boolean;
  head: boolean;
  silent: boolean;
  showError: boolean;
  fail: boolean;
  output?: string;
  writeOut?: string;
}

const VALUE_OPTIONS: Record<string, keyof CurlRequest | 'header' | 'data' | 'ignored'> = {
  '-o': 'output',
  '--output': 'output',
  '-X': 'method',
  '--request': 'method',
  '-H': 'header',
  '--header': 'header',
  '-d': 'data',
  '--data': 'data',
  '--data-raw': 'data',
  '--data-binary': 'data',
  '-w': 'writeOut',
  '--write-out': 'writeOut',
  '-m': 'ignored',
  '--max-time': 'ignored',
  '--connect-timeout': 'ignored',
  '-A': 'ignored',
  '--user-agent': 'ignored',
};

const FLAGS: Record<string, (r: CurlRequest) => void> = {
  i: (r) => (r.include = true),
  I: (r) => (r.head = true),
  s: (r) => (r.silent = true),
  S: (r) => (r.showError = true),
  f: (r) => (r.fail = true),
  L: () => {},
  k: () => {},
  v: () => {},
};

const LONG_FLAGS: Record<string, string> = { '--include': 'i', '--head': 'I', '--silent': 's', '--show-error': 'S', '--fail': 'f', '--location': 'L', '--insecure': 'k', '--verbose': 'v' };

function parseCurlArgs(args: string[]): CurlRequest {
  const request: CurlRequest = { headers: {}, data: [], include: false, head: false, silent: false, showError: false, fail: false };
  for (let i = 0; i < args.length; i++) {
    let arg = args[i];
    let inlineValue: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inlineValue = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    const valueKind = VALUE_OPTIONS[arg] ?? (arg.length > 2 && !arg.startsWith('--') && VALUE_OPTIONS[arg.slice(0, 2)] ? VALUE_OPTIONS[arg.slice(0, 2)] : undefined);
    if (valueKind) {
      // -XPOST and -ofile carry the value in the same word, as curl allows.
      const attached = !arg.startsWith('--') && arg.length > 2 ? arg.slice(2) : undefined;
      const value = inlineValue ?? attached ?? args[++i];
      if (value === undefined) throw new CommandUsageError(`option ${arg}: requires parameter\ncurl: try 'curl --help' for more information`, 2);
      if (valueKind === 'header') {
        const colon = value.indexOf(':');
        if (colon <= 0) throw new CommandUsageError(`header '${value}' needs the form 'Name: value'`, 2);
        request.headers[value.slice(0, colon).trim().toLowerCase()] = value.slice(colon + 1).trim();
      } else if (valueKind === 'data') request.data.push(value);
      else if (valueKind !== 'ignored') (request as unknown as Record<string, string>)[valueKind] = value;
      continue;
    }
    if (LONG_FLAGS[arg]) {
      FLAGS[LONG_FLAGS[arg]](request);
      continue;
    }
    if (arg.startsWith('-') && !arg.startsWith('--') && arg.length > 1) {
      for (const letter of arg.slice(1)) {
        const flag = FLAGS[letter];
        if (!flag) throw new CommandUsageError(`option -${letter}: is unknown here\ncurl: try 'curl --help' for more information`, 2);
        flag(request);
      }
      continue;
    }
    if (arg.startsWith('--')) throw new CommandUsageError(`option ${arg}: is unknown here\ncurl: try 'curl --help' for more information`, 2);
    if (request.url !== undefined) throw new CommandUsageError(`one URL at a time here (got ${request.url} and ${arg})`, 2);
    request.url = arg;
  }
  return request;
}

function fail(ctx: LabCommandContext, request: CurlRequest, code: number, message: string): number {
  if (!request.silent || request.showError) ctx.stderr(`curl: (${code}) ${message}\n`);
  return code;
}

export const curlCommand: LabCommand = {
  name: 'curl',
  summary: "Send an HTTP request to your environment's URL (curl -i http://<cname>/health)",
  async run(args, ctx) {
    if (args.includes('--help') || args.includes('-h')) {
      ctx.stdout(USAGE);
      return 0;
    }
    const request = parseCurlArgs(args);
    if (!request.url) throw new CommandUsageError(`no URL specified\ncurl: try 'curl --help' for more information`, 2);
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(request.url) ? request.url : `http://${request.url}`);
    } catch {
      return fail(ctx, request, 3, `URL rejected: Malformed input to a URL function (${request.url})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(ctx, request, 1, `Protocol "${url.protocol.slice(0, -1)}" not supported here: use http://`);
    if (!ENVIRONMENT_HOST.test(url.hostname)) {
      return fail(
        ctx,
        request,
        6,
        `Could not resolve host: ${url.hostname} (the lab is offline: curl reaches only your environments' URLs, *.elasticbeanstalk.com; eb status shows yours as CNAME)`,
      );
    }
    const sandbox = ctx.clients.sandbox;
    if (!sandbox) return fail(ctx, request, 7, `Failed to connect to ${url.hostname}: this lab talks to real AWS, where the lab's curl cannot reach environments; use curl on your own machine`);

    let body: string | undefined;
    if (request.data.length) {
      const parts: string[] = [];
      for (const item of request.data) {
        if (item.startsWith('@')) {
          const path = resolvePath(ctx, item.slice(1));
          if (!(await ctx.fs.exists(path))) return fail(ctx, request, 26, `Failed to open/read local data from file/application: ${item.slice(1)} does not exist`);
          parts.push((await ctx.fs.readFile(path)).replace(/[\r\n]/g, ''));
        } else parts.push(item);
      }
      body = parts.join('&');
      request.headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const method = request.method ?? (request.head ? 'HEAD' : body !== undefined ? 'POST' : 'GET');
    const headers = { host: url.host, 'user-agent': 'curl/8.5.0', accept: '*/*', ...request.headers };

    let response;
    try {
      response = await sandbox.request({ url: url.toString(), method, headers, ...(body !== undefined ? { body } : {}) });
    } catch (error) {
      const message = error instanceof SandboxControlError ? error.message : (error as Error).message;
      return fail(ctx, request, 7, `Failed to connect to ${url.hostname}: ${message}`);
    }
    if (response.status === 404 && response.body.startsWith('Could not resolve host')) {
      return fail(ctx, request, 6, `${response.body.trim()} Check the URL with eb status (CNAME).`);
    }
    if (request.fail && response.status >= 400) {
      const code = fail(ctx, request, 22, `The requested URL returned error: ${response.status}`);
      if (request.writeOut) ctx.stdout(writeOut(request.writeOut, response.status, url, response.body));
      return code;
    }
    let text = '';
    if (request.include || request.head) {
      text += `HTTP/1.1 ${response.status} ${REASONS[response.status] ?? ''}`.trimEnd() + '\r\n';
      for (const [name, value] of Object.entries(response.headers)) text += `${name}: ${value}\r\n`;
      text += '\r\n';
    }
    if (!request.head) text += response.body;
    if (request.output) {
      const path = resolvePath(ctx, request.output);
      try {
        await ctx.fs.writeFile(path, text);
      } catch (error) {
        return fail(ctx, request, 23, `Failure writing output to destination ${request.output}: ${(error as Error).message}`);
      }
    } else ctx.stdout(text);
    if (request.writeOut) ctx.stdout(writeOut(request.writeOut, response.status, url, response.body));
    return 0;
  },
};

function writeOut(format: string, status: number, url: URL, body: string): string {
  return format
    .replace(/%\{http_code\}|%\{response_code\}/g, String(status).padStart(3, '0'))
    .replace(/%\{url_effective\}/g, url.toString())
    .replace(/%\{size_download\}/g, String(new TextEncoder().encode(body).length))
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t');
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
