// `curl` for the offline lab: environment URLs (`*.elasticbeanstalk.com`, load balancer names) over http(s) are answered
// by the sandbox's listeners and simulated instances, certificates checked as curl does; other hosts are refused.
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
 -L, --location         follow redirects (e.g. the load balancer's HTTP to HTTPS redirect)
     --max-redirs <n>   give up after n redirects with -L (default 50)
 -k, --insecure         accept a certificate that does not match the host or is not trusted
     --connect-to <h1:p1:h2:p2>  connect to h2:p2 for requests to h1:p1 (a custom domain
                        before its DNS record exists); the certificate is checked against h1
 -v, --verbose          show the connection, TLS certificate and request/response headers
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
  location: boolean;
  maxRedirs: number;
  insecure: boolean;
  verbose: boolean;
  connectTo: string[];
}

const VALUE_OPTIONS: Record<string, keyof CurlRequest | 'header' | 'data' | 'ignored' | 'maxRedirs' | 'connectTo'> = {
  '--max-redirs': 'maxRedirs',
  '--connect-to': 'connectTo',
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
  L: (r) => (r.location = true),
  k: (r) => (r.insecure = true),
  v: (r) => (r.verbose = true),
};

const LONG_FLAGS: Record<string, string> = { '--include': 'i', '--head': 'I', '--silent': 's', '--show-error': 'S', '--fail': 'f', '--location': 'L', '--insecure': 'k', '--verbose': 'v' };

function parseCurlArgs(args: string[]): CurlRequest {
  const request: CurlRequest = { headers: {}, data: [], include: false, head: false, silent: false, showError: false, fail: false, location: false, maxRedirs: 50, insecure: false, verbose: false, connectTo: [] };
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
      else if (valueKind === 'maxRedirs') {
        if (!/^-?\d+$/.test(value)) throw new CommandUsageError(`option --max-redirs: expected a proper numerical parameter\ncurl: try 'curl --help' for more information`, 2);
        request.maxRedirs = Number(value);
      } else if (valueKind === 'connectTo') {
        if (value.split(':').length !== 4) throw new CommandUsageError(`option --connect-to: '${value}' needs the form HOST1:PORT1:HOST2:PORT2 (e.g. pettracker.example:443:my-env.eba-abc123.us-east-1.elasticbeanstalk.com:443)`, 2);
        request.connectTo.push(value);
      }
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
    const sandbox = ctx.clients.sandbox;

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
    let method = request.method ?? (request.head ? 'HEAD' : body !== undefined ? 'POST' : 'GET');
    let text = '';
    let redirects = 0;
    // curl reports URLs as written, an explicit :443 included (WHATWG URL would drop it).
    let effective = url.toString();
    // One transfer per URL; -L starts another for each redirect, as curl does.
    for (;;) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(ctx, request, 1, `Protocol "${url.protocol.slice(0, -1)}" not supported here: use http:// or https://`);
      const target = connectTarget(url, request.connectTo);
      if (!ENVIRONMENT_HOST.test(target.hostname)) {
        return fail(
          ctx,
          request,
          6,
          `Could not resolve host: ${target.hostname} (the lab is offline: curl reaches only your environments' URLs, *.elasticbeanstalk.com; eb status shows yours as CNAME)`,
        );
      }
      if (!sandbox) return fail(ctx, request, 7, `Failed to connect to ${target.hostname}: this lab talks to real AWS, where the lab's curl cannot reach environments; use curl on your own machine`);
      const headers = { host: url.host, 'user-agent': 'curl/8.5.0', accept: '*/*', ...request.headers };
      const verbose = (line: string) => {
        if (request.verbose) ctx.stderr(`${line}\n`);
      };
      let response;
      try {
        response = await sandbox.request({ url: target.toString(), method, headers, ...(body !== undefined ? { body } : {}) });
      } catch (error) {
        const message = error instanceof SandboxControlError ? error.message : (error as Error).message;
        return fail(ctx, request, 7, `Failed to connect to ${target.hostname}: ${message}`);
      }
      if (response.status === 404 && response.body.startsWith('Could not resolve host')) {
        return fail(ctx, request, 6, `${response.body.trim()} Check the URL with eb status (CNAME).`);
      }
      const port = target.port || (target.protocol === 'https:' ? '443' : '80');
      if (response.connectionError) {
        verbose(`*   Trying ${target.hostname}:${port}...`);
        return fail(ctx, request, response.connectionError.kind === 'tls' ? 35 : 7, response.connectionError.message);
      }
      verbose(`* Connected to ${target.hostname} port ${port}`);
      if (url.protocol === 'https:' && response.tls) {
        const tls = response.tls;
        verbose(`* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256 (policy ${tls.sslPolicy})`);
        verbose(`* Server certificate:`);
        verbose(`*  subject: CN=${tls.names[0] ?? ''}`);
        verbose(`*  subjectAltName: ${tls.names.join(', ') || 'none'}`);
        verbose(`*  issuer: ${tls.trusted ? 'C=US; O=Amazon; CN=Amazon RSA 2048 M02' : tls.selfSigned ? `CN=${tls.names[0] ?? ''}` : 'an authority this machine does not trust'}`);
        const problem = !covers(tls.names, url.hostname)
          ? `SSL: no alternative certificate subject name matches target host name '${url.hostname}'`
          : !tls.trusted
            ? `SSL certificate problem: ${tls.selfSigned ? 'self-signed certificate' : 'unable to get local issuer certificate'}`
            : undefined;
        if (problem && !request.insecure) {
          return fail(ctx, request, 60, `${problem}\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.`);
        }
        verbose(problem ? `* ${problem} (continuing anyway: --insecure)` : '*  SSL certificate verify ok.');
      }
      verbose(`> ${method} ${url.pathname}${url.search} HTTP/1.1`);
      for (const [name, value] of Object.entries(headers)) verbose(`> ${name === 'host' ? 'Host' : name}: ${value}`);
      verbose('>');
      verbose(`< HTTP/1.1 ${response.status} ${REASONS[response.status] ?? ''}`.trimEnd());
      for (const [name, value] of Object.entries(response.headers)) verbose(`< ${name}: ${value}`);
      verbose('<');
      const location = response.headers['location'];
      const follow = request.location && location !== undefined && response.status >= 300 && response.status < 400;
      if (request.fail && response.status >= 400) {
        const code = fail(ctx, request, 22, `The requested URL returned error: ${response.status}`);
        if (request.writeOut) ctx.stdout(writeOut(request.writeOut, response.status, effective, response.body, redirects, location === undefined ? undefined : absoluteLocation(location, url)));
        return code;
      }
      if (request.include || request.head) {
        text += `HTTP/1.1 ${response.status} ${REASONS[response.status] ?? ''}`.trimEnd() + '\r\n';
        for (const [name, value] of Object.entries(response.headers)) text += `${name}: ${value}\r\n`;
        text += '\r\n';
      }
      if (follow) {
        if (redirects >= request.maxRedirs) {
          if (request.maxRedirs >= 0) return fail(ctx, request, 47, `Maximum (${request.maxRedirs}) redirects followed`);
        }
        redirects++;
        try {
          effective = absoluteLocation(location, url);
          url = new URL(effective);
        } catch {
          return fail(ctx, request, 3, `URL rejected: Malformed input to a URL function (Location: ${location})`);
        }
        verbose(`* Issue another request to this URL: '${url.toString()}'`);
        // curl turns a POST into a GET for 301, 302 and 303, as browsers do.
        if ((response.status === 301 || response.status === 302 || response.status === 303) && method === 'POST' && request.method === undefined) {
          method = 'GET';
          body = undefined;
          delete request.headers['content-type'];
        }
        continue;
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
      if (request.writeOut) ctx.stdout(writeOut(request.writeOut, response.status, effective, response.body, redirects, location === undefined ? undefined : absoluteLocation(location, url)));
      return 0;
    }
  },
};

/** Where the connection goes: the URL's host and port, unless a --connect-to rule sends it elsewhere. */
function connectTarget(url: URL, rules: readonly string[]): URL {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const rule of rules) {
    const [host1, port1, host2, port2] = rule.split(':');
    if ((host1 === '' || host1.toLowerCase() === url.hostname.toLowerCase()) && (port1 === '' || port1 === port)) {
      const target = new URL(url.toString());
      if (host2) target.hostname = host2;
      if (port2) target.port = port2;
      return target;
    }
  }
  return url;
}

/** Whether one of a certificate's names covers the host (a wildcard covers exactly one leftmost label). */
function covers(names: readonly string[], host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return names.some((n) => {
    const name = n.toLowerCase();
    if (!name.startsWith('*.')) return name === h;
    const rest = name.slice(1);
    return h.endsWith(rest) && h.length > rest.length && !h.slice(0, h.length - rest.length).includes('.');
  });
}

/** A Location header made absolute against the request URL, kept as written when it already is. */
function absoluteLocation(location: string, base: URL): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) ? location : new URL(location, base).toString();
}

function writeOut(format: string, status: number, effective: string, body: string, redirects = 0, location?: string): string {
  return format
    .replace(/%\{http_code\}|%\{response_code\}/g, String(status).padStart(3, '0'))
    .replace(/%\{url_effective\}/g, effective)
    .replace(/%\{num_redirects\}/g, String(redirects))
    .replace(/%\{redirect_url\}/g, location !== undefined && status >= 300 && status < 400 ? location : '')
    .replace(/%\{scheme\}/g, effective.slice(0, effective.indexOf(':')).toUpperCase())
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
