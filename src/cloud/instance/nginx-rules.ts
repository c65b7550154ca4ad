// The request-handling rules of an instance's nginx server block: `.platform/nginx/conf.d/elasticbeanstalk/*.conf`
// parsed the way nginx reads them (set, if, return, rewrite, break, location), checked as `nginx -t` would, and run per request.

/** A directive's argument as written; `quoted` arguments keep `{`, `;` and spaces literally. */
interface Token {
  text: string;
  quoted: boolean;
  line: number;
}

export type ComparisonOperator = '=' | '!=';
export type MatchOperator = '~' | '~*' | '!~' | '!~*';

export type RuleCondition =
  | { t: 'variable'; name: string }
  | { t: 'compare'; name: string; op: ComparisonOperator; value: string }
  | { t: 'match'; name: string; op: MatchOperator; pattern: string }
  /** `-f`, `!-d` ...: nothing on the instance's disk is modelled, so every file test finds nothing. */
  | { t: 'file'; negated: boolean; test: string; value: string };

export type RuleStatement =
  | { t: 'set'; name: string; value: string }
  | { t: 'if'; condition: RuleCondition; body: RuleStatement[] }
  | { t: 'return'; code: number; text?: string }
  | { t: 'rewrite'; pattern: string; replacement: string; flag: '' | 'last' | 'break' | 'redirect' | 'permanent' }
  | { t: 'break' };

export interface RuleLocation {
  modifier: '' | '=' | '^~' | '~' | '~*';
  pattern: string;
  statements: RuleStatement[];
  /** The location forwards to the app (`proxy_pass`); without it nginx serves files it does not have: 404. */
  proxies: boolean;
  /** `root`, `alias` or `try_files`: files from a directory the sandbox does not model; the app answers instead. */
  servesFiles: boolean;
  file: string;
}

/** The server block's rules in the order nginx runs them. Plain JSON: it travels in the bundle report and the process. */
export interface ServerRules {
  statements: RuleStatement[];
  locations: RuleLocation[];
}

/** A configuration `nginx -t` refuses: the `[emerg]` message and where nginx says it is. */
export interface NginxConfigError {
  /** Path inside the bundle (`.platform/nginx/conf.d/elasticbeanstalk/10-https-redirect.conf`). */
  file: string;
  line: number;
  /** nginx's words without the location, e.g. `unexpected "}"`. */
  message: string;
}

export interface NginxConfigFile {
  /** Path inside the bundle. */
  path: string;
  text: string;
}

const SERVER_INCLUDE_DIR = '.platform/nginx/conf.d/elasticbeanstalk/';
const HTTP_INCLUDE_DIR = '.platform/nginx/conf.d/';
/** Where eb-engine copies `.platform/nginx` before it runs `nginx -t` on it. */
export const NGINX_STAGING_DIR = '/var/proxy/staging/nginx';

/** `nginx: [emerg] unexpected "}" in /var/proxy/staging/nginx/conf.d/elasticbeanstalk/x.conf:4`, as `nginx -t` prints it. */
export function nginxEmergLine(error: NginxConfigError): string {
  return `nginx: [emerg] ${error.message} in ${NGINX_STAGING_DIR}/${error.file.replace(/^\.platform\/nginx\//, '')}:${error.line}`;
}

class ConfigError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading: nginx's tokenizer (ngx_conf_read_token) and block structure.

interface Directive {
  name: string;
  args: Token[];
  /** Line of the `;` or `{` that ended the directive: nginx reports a handler's error there. */
  line: number;
  block?: Directive[];
}

function readDirectives(text: string): Directive[] {
  let i = 0;
  let line = 1;
  const root: Directive[] = [];
  const stack: Directive[][] = [root];
  let args: Token[] = [];
  const finish = (kind: ';' | '{'): void => {
    const [name, ...rest] = args;
    const d: Directive = { name: name.text, args: rest, line };
    stack[stack.length - 1].push(d);
    if (kind === '{') stack.push((d.block = []));
    args = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (ch === ';') {
      if (!args.length) throw new ConfigError(line, 'unexpected ";"');
      finish(';');
      i++;
      continue;
    }
    if (ch === '{') {
      if (!args.length) throw new ConfigError(line, 'unexpected "{"');
      finish('{');
      i++;
      continue;
    }
    if (ch === '}') {
      if (args.length || stack.length === 1) throw new ConfigError(line, 'unexpected "}"');
      stack.pop();
      i++;
      continue;
    }
    const start = line;
    if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ConfigError(line, 'unexpected end of file, expecting ";" or "}"');
        const c = text[i];
        if (c === '\\' && i + 1 < text.length && (text[i + 1] === ch || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (c === '\\' && i + 1 < text.length && (text[i + 1] === 'n' || text[i + 1] === 't' || text[i + 1] === 'r')) {
          value += text[i + 1] === 'n' ? '\n' : text[i + 1] === 't' ? '\t' : '\r';
          i += 2;
          continue;
        }
        if (c === '\n') line++;
        i++;
        if (c === ch) break;
        value += c;
      }
      args.push({ text: value, quoted: true, line: start });
      // nginx needs a space, `;`, `{` or `)` after a closing quote.
      const next = text[i];
      if (next !== undefined && !/[\s;{)]/.test(next)) throw new ConfigError(line, `unexpected "${next}"`);
      continue;
    }
    let word = '';
    let variable = false;
    while (i < text.length) {
      const c = text[i];
      if (c === '{' && variable) {
        // `${name}` is one word.
        const close = text.indexOf('}', i);
        if (close === -1) break;
        word += text.slice(i, close + 1);
        i = close + 1;
        variable = false;
        continue;
      }
      variable = false;
      if (c === '\\' && i + 1 < text.length) {
        word += text[i + 1];
        i += 2;
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ';' || c === '{') break;
      if (c === '$') variable = true;
      word += c;
      i++;
    }
    args.push({ text: word, quoted: false, line: start });
  }
  if (args.length) throw new ConfigError(line, 'unexpected end of file, expecting ";" or "}"');
  if (stack.length > 1) throw new ConfigError(line, 'unexpected end of file, expecting "}"');
  return root;
}

// ---------------------------------------------------------------------------------------------------------------
// Checking: what the rewrite module's directive handlers accept.

/** Variables nginx knows without a `set` (a reference to any other name fails `nginx -t` with `unknown "x" variable`). */
const BUILTIN_VARIABLES = new Set(
  (
    'args binary_remote_addr body_bytes_sent bytes_sent connection connection_requests content_length content_type ' +
    'document_root document_uri host hostname https is_args limit_rate msec nginx_version pid pipe proxy_add_x_forwarded_for ' +
    'proxy_host proxy_port proxy_protocol_addr query_string realpath_root remote_addr remote_port remote_user request ' +
    'request_body request_completion request_filename request_id request_length request_method request_time request_uri ' +
    'scheme server_addr server_name server_port server_protocol status time_iso8601 time_local uri ' +
    'upstream_addr upstream_status upstream_response_time upstream_connect_time upstream_header_time realip_remote_addr ' +
    'ssl_protocol ssl_cipher ssl_server_name gzip_ratio invalid_referer'
  ).split(' '),
);
const VARIABLE_PREFIXES = ['http_', 'arg_', 'cookie_', 'sent_http_', 'sent_trailer_', 'upstream_http_', 'upstream_cookie_', 'upstream_trailer_'];

const VARIABLE_REFERENCE = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*|[0-9]))/g;

function variableKnown(name: string, declared: Set<string>): boolean {
  return /^[0-9]$/.test(name) || BUILTIN_VARIABLES.has(name) || declared.has(name) || VARIABLE_PREFIXES.some((p) => name.startsWith(p) && name.length > p.length);
}

/** nginx compiles regexes with PCRE; JavaScript's syntax differs in `(?P<name>` only, for what configurations use. */
function toJsPattern(pattern: string): string {
  return pattern.replace(/\(\?P</g, '(?<');
}

const compiled = new Map<string, RegExp>();
function regexOf(pattern: string, caseless: boolean): RegExp {
  const key = `${caseless ? 'i' : ''}/${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    re = new RegExp(toJsPattern(pattern), caseless ? 'i' : '');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(key, re);
  }
  return re;
}

function checkRegex(pattern: string, caseless: boolean, line: number): void {
  try {
    regexOf(pattern, caseless);
  } catch (error) {
    // Inferred wording: nginx 1.2x prints PCRE2's own reason, which JavaScript's RegExp words differently.
    const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '') : String(error);
    throw new ConfigError(line, `pcre2_compile() failed: ${reason} in "${pattern}"`);
  }
}

function argCount(d: Directive, ok: (n: number) => boolean): void {
  if (!ok(d.args.length)) throw new ConfigError(d.line, `invalid number of arguments in "${d.name}" directive`);
}

function parseCondition(d: Directive): RuleCondition {
  // ngx_http_rewrite_if_condition: the first argument opens with `(`, the last closes with `)`.
  const values = d.args.map((a) => ({ ...a }));
  if (!values.length || values[0].text[0] !== '(') throw new ConfigError(d.line, `invalid condition "${values[0]?.text ?? ''}"`);
  if (values[0].text === '(') values.shift();
  else values[0].text = values[0].text.slice(1);
  const last = values[values.length - 1];
  if (!last || !last.text.endsWith(')')) throw new ConfigError(d.line, `invalid condition "${last?.text ?? ''}"`);
  if (last.text === ')' && !last.quoted) values.pop();
  else last.text = last.text.slice(0, -1);
  const first = values[0];
  if (!first) throw new ConfigError(d.line, 'invalid condition "("');
  if (first.text.length > 1 && first.text[0] === '$') {
    if (values.length !== 1 && values.length !== 3) throw new ConfigError(d.line, `invalid condition "${first.text}"`);
    const name = first.text.slice(1).replace(/^\{(.*)\}$/, '$1');
    if (values.length === 1) return { t: 'variable', name };
    const op = values[1].text;
    const value = values[2].text;
    if (op === '=' || op === '!=') return { t: 'compare', name, op, value };
    if (op === '~' || op === '~*' || op === '!~' || op === '!~*') {
      checkRegex(value, op.endsWith('*'), d.line);
      return { t: 'match', name, op, pattern: value };
    }
    throw new ConfigError(d.line, `unexpected "${op}" in condition`);
  }
  if (/^!?-[fdex]$/.test(first.text)) {
    if (values.length !== 2) throw new ConfigError(d.line, `invalid condition "${first.text}"`);
    return { t: 'file', negated: first.text.startsWith('!'), test: first.text.replace('!', ''), value: values[1].text };
  }
  throw new ConfigError(d.line, `invalid condition "${first.text}"`);
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

function parseStatements(list: Directive[], out: { statements: RuleStatement[]; locations?: RuleLocation[] }, file: string): void {
  for (const d of list) {
    switch (d.name) {
      case 'set': {
        argCount(d, (n) => n === 2);
        const name = d.args[0].text;
        if (!name.startsWith('$')) throw new ConfigError(d.line, `invalid variable name "${name}"`);
        out.statements.push({ t: 'set', name: name.slice(1), value: d.args[1].text });
        break;
      }
      case 'if': {
        if (!d.block) throw new ConfigError(d.line, 'directive "if" has no opening "{"');
        argCount(d, (n) => n >= 1);
        const body: RuleStatement[] = [];
        const condition = parseCondition(d);
        parseStatements(d.block, { statements: body }, file);
        out.statements.push({ t: 'if', condition, body });
        break;
      }
      case 'return': {
        if (d.block) throw new ConfigError(d.line, 'directive "return" is not terminated by ";"');
        argCount(d, (n) => n === 1 || n === 2);
        const [code, text] = d.args;
        if (/^\d+$/.test(code.text) && Number(code.text) <= 999) {
          out.statements.push({ t: 'return', code: Number(code.text), ...(text ? { text: text.text } : {}) });
        } else if (d.args.length === 1 && /^(https?:\/\/|\$scheme)/.test(code.text)) {
          out.statements.push({ t: 'return', code: 302, text: code.text });
        } else throw new ConfigError(d.line, `invalid return code "${code.text}"`);
        break;
      }
      case 'rewrite': {
        if (d.block) throw new ConfigError(d.line, 'directive "rewrite" is not terminated by ";"');
        argCount(d, (n) => n === 2 || n === 3);
        const flag = d.args[2]?.text ?? '';
        if (flag !== '' && flag !== 'last' && flag !== 'break' && flag !== 'redirect' && flag !== 'permanent') throw new ConfigError(d.line, `invalid parameter "${flag}"`);
        checkRegex(d.args[0].text, false, d.line);
        out.statements.push({ t: 'rewrite', pattern: d.args[0].text, replacement: d.args[1].text, flag });
        break;
      }
      case 'break':
        argCount(d, (n) => n === 0);
        out.statements.push({ t: 'break' });
        break;
      case 'location': {
        if (!d.block) throw new ConfigError(d.line, 'directive "location" has no opening "{"');
        if (!out.locations) throw new ConfigError(d.line, '"location" directive is not allowed here');
        argCount(d, (n) => n === 1 || n === 2);
        const [first, second] = d.args;
        const modifier = (second ? first.text : '') as RuleLocation['modifier'];
        if (second && !['=', '^~', '~', '~*'].includes(modifier)) throw new ConfigError(d.line, `invalid location modifier "${first.text}"`);
        const pattern = second ? second.text : first.text;
        if (modifier === '~' || modifier === '~*') checkRegex(pattern, modifier === '~*', d.line);
        if (out.locations.some((o) => o.pattern === pattern && (o.modifier === modifier || (isPrefix(o) && (modifier === '' || modifier === '^~'))))) {
          throw new ConfigError(d.line, `duplicate location "${pattern}"`);
        }
        const location: RuleLocation = { modifier, pattern, statements: [], proxies: false, servesFiles: false, file };
        for (const inner of d.block) {
          if (inner.name === 'proxy_pass') location.proxies = true;
          if (inner.name === 'root' || inner.name === 'alias' || inner.name === 'try_files') location.servesFiles = true;
        }
        // Nested locations are not modelled; their parent's rules still run.
        parseStatements(d.block.filter((x) => x.name !== 'location'), { statements: location.statements }, file);
        out.locations.push(location);
        break;
      }
      default:
        // Headers, gzip, timeouts, logs, proxy settings: they do not change which answer a request gets here.
        // client_max_body_size and proxy_pass are read by the bundle inspection.
        if (d.block && (d.name === 'server' || d.name === 'http' || d.name === 'events' || d.name === 'upstream')) {
          throw new ConfigError(d.line, `"${d.name}" directive is not allowed here`);
        }
    }
  }
}

function collectVariables(statements: RuleStatement[], declared: Set<string>): void {
  for (const s of statements) {
    if (s.t === 'set') declared.add(s.name);
    if (s.t === 'if') collectVariables(s.body, declared);
  }
}

function checkReferences(statements: RuleStatement[], declared: Set<string>, line: number): void {
  const check = (text: string) => {
    for (const m of text.matchAll(VARIABLE_REFERENCE)) {
      const name = m[1] ?? m[2];
      if (!variableKnown(name, declared)) throw new ConfigError(line, `unknown "${name}" variable`);
    }
  };
  for (const s of statements) {
    if (s.t === 'set') check(s.value);
    else if (s.t === 'return' && s.text !== undefined) check(s.text);
    else if (s.t === 'rewrite') check(s.replacement);
    else if (s.t === 'if') {
      const c = s.condition;
      if (c.t !== 'file') check(`$${c.name}`);
      if (c.t === 'compare') check(c.value);
      if (c.t === 'file') check(c.value);
      checkReferences(s.body, declared, line);
    }
  }
}

/** Directives that belong in a `server` or `location` block, refused at the http level of `conf.d/*.conf`. */
const SERVER_ONLY = new Set(['if', 'return', 'set', 'rewrite', 'location', 'listen', 'server_name', 'break']);

/**
 * Reads the nginx files of a bundle as nginx does: `conf.d/*.conf` at the http level, `conf.d/elasticbeanstalk/*.conf`
 * inside the platform's `server` block, each in file-name order. Returns the server block's rules, or the first
 * error `nginx -t` reports. `platformLocation`: the platform's own `00_application.conf` with `location /` is there.
 */
export function parseServerRules(files: NginxConfigFile[]): { rules?: ServerRules; error?: NginxConfigError } {
  const sorted = [...files].filter((f) => f.path.endsWith('.conf')).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const rules: ServerRules = { statements: [], locations: [] };
  // The platform's 00_application.conf holds `location /` with proxy_pass, unless the bundle replaces that file.
  const replacesApplicationConf = sorted.some((f) => f.path === `${SERVER_INCLUDE_DIR}00_application.conf`);
  if (!replacesApplicationConf) rules.locations.push({ modifier: '', pattern: '/', statements: [], proxies: true, servesFiles: false, file: '(platform) 00_application.conf' });
  let current = '';
  const perFile: { file: NginxConfigFile; blocks: RuleStatement[][] }[] = [];
  try {
    for (const f of sorted) {
      current = f.path;
      const directives = readDirectives(f.text);
      const inServer = f.path.startsWith(SERVER_INCLUDE_DIR) && !f.path.slice(SERVER_INCLUDE_DIR.length).includes('/');
      if (!inServer) {
        if (f.path.startsWith(HTTP_INCLUDE_DIR) && !f.path.slice(HTTP_INCLUDE_DIR.length).includes('/')) {
          const misplaced = directives.find((d) => SERVER_ONLY.has(d.name));
          if (misplaced) throw new ConfigError(misplaced.line, `"${misplaced.name}" directive is not allowed here`);
        }
        continue;
      }
      const statements: RuleStatement[] = [];
      const locationsBefore = rules.locations.length;
      parseStatements(directives, { statements, locations: rules.locations }, f.path);
      rules.statements.push(...statements);
      perFile.push({ file: f, blocks: [statements, ...rules.locations.slice(locationsBefore).map((l) => l.statements)] });
    }
    const declared = new Set<string>();
    collectVariables(rules.statements, declared);
    for (const l of rules.locations) collectVariables(l.statements, declared);
    // nginx resolves variable names once the whole configuration is read, so a `set` in any file declares one.
    for (const { file, blocks } of perFile) {
      current = file.path;
      for (const block of blocks) {
        try {
          checkReferences(block, declared, 0);
        } catch (error) {
          if (error instanceof ConfigError) throw new ConfigError(lineOfVariable(file.text, error.message), error.message);
          throw error;
        }
      }
    }
  } catch (error) {
    if (error instanceof ConfigError) return { error: { file: current, line: error.line, message: error.message } };
    throw error;
  }
  return { rules };
}

function isPrefix(l: RuleLocation): boolean {
  return l.modifier === '' || l.modifier === '^~';
}

function lineOfVariable(text: string, message: string): number {
  const name = /unknown "(.*)" variable/.exec(message)?.[1] ?? '';
  const lines = text.split('\n');
  const at = lines.findIndex((l) => new RegExp(`\\$\\{?${name}(?![A-Za-z0-9_])`).test(l.replace(/#.*/, '')));
  return at === -1 ? 1 : at + 1;
}

/** Whether a bundle path is one nginx reads through the platform's includes. */
export function isIncludedNginxFile(path: string): boolean {
  return path.startsWith(HTTP_INCLUDE_DIR) && path.endsWith('.conf');
}

// ---------------------------------------------------------------------------------------------------------------
// Running: nginx's rewrite phases for one request.

export interface RuleRequest {
  method: string;
  /** The request line's target, query included (`$request_uri`). */
  requestUri: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  remoteAddr: string;
  now: number;
}

/** What the rules decided: nginx answers itself, or the request goes on (perhaps with a rewritten URI) to the app. */
export type RuleOutcome =
  | { t: 'return'; status: number; location?: string; body?: string }
  | { t: 'proxy'; uri: string; args: string }
  /** The location serves files nginx does not have (no proxy_pass): `open() ... failed`, 404. */
  | { t: 'no-file'; uri: string }
  /** More than 10 `rewrite ... last` rounds: nginx answers 500. */
  | { t: 'cycle'; uri: string };

interface RunState {
  request: RuleRequest;
  uri: string;
  args: string;
  vars: Map<string, string>;
  captures: string[];
}

function decodeUri(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function headerOf(headers: Record<string, string>, name: string): string {
  return headers[name] ?? '';
}

function variable(state: RunState, name: string): string {
  if (/^[0-9]$/.test(name)) return state.captures[Number(name)] ?? '';
  const set = state.vars.get(name);
  if (set !== undefined) return set;
  const { request } = state;
  switch (name) {
    case 'host': {
      const host = headerOf(request.headers, 'host').toLowerCase();
      return host.startsWith('[') ? host.replace(/(\]):\d+$/, '$1') : host.replace(/:\d+$/, '');
    }
    case 'request_uri':
      return request.requestUri;
    case 'uri':
    case 'document_uri':
      return state.uri;
    case 'args':
    case 'query_string':
      return state.args;
    case 'is_args':
      return state.args ? '?' : '';
    case 'scheme':
      // TLS ends at the load balancer: nginx on the instance only ever receives plain HTTP.
      return 'http';
    case 'https':
      return '';
    case 'server_port':
      return '80';
    case 'server_protocol':
      return 'HTTP/1.1';
    case 'request_method':
      return request.method;
    case 'remote_addr':
    case 'realip_remote_addr':
      return request.remoteAddr;
    case 'request':
      return `${request.method} ${request.requestUri} HTTP/1.1`;
    case 'content_length':
      return headerOf(request.headers, 'content-length');
    case 'content_type':
      return headerOf(request.headers, 'content-type');
    case 'proxy_add_x_forwarded_for': {
      const xff = headerOf(request.headers, 'x-forwarded-for');
      return xff ? `${xff}, ${request.remoteAddr}` : request.remoteAddr;
    }
    case 'time_iso8601':
      return new Date(request.now).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    case 'msec':
      return (request.now / 1000).toFixed(3);
    case 'document_root':
    case 'realpath_root':
      return '/usr/share/nginx/html';
    case 'request_filename':
      return `/usr/share/nginx/html${state.uri}`;
  }
  if (name.startsWith('http_')) return headerOf(request.headers, name.slice(5).replace(/_/g, '-'));
  if (name.startsWith('arg_')) {
    const wanted = name.slice(4).toLowerCase();
    for (const pair of state.args.split('&')) {
      const eq = pair.indexOf('=');
      if ((eq === -1 ? pair : pair.slice(0, eq)).toLowerCase() === wanted) return eq === -1 ? '' : pair.slice(eq + 1);
    }
    return '';
  }
  if (name.startsWith('cookie_')) {
    const wanted = name.slice(7);
    for (const part of headerOf(request.headers, 'cookie').split(';')) {
      const [k, ...v] = part.trim().split('=');
      if (k === wanted) return v.join('=');
    }
    return '';
  }
  return '';
}

function expand(state: RunState, template: string): string {
  if (!template.includes('$')) return template;
  return template.replace(VARIABLE_REFERENCE, (_, braced: string | undefined, bare: string | undefined) => variable(state, braced ?? bare ?? ''));
}

function conditionHolds(state: RunState, c: RuleCondition): boolean {
  if (c.t === 'file') return c.negated;
  const value = variable(state, c.name);
  if (c.t === 'variable') return value !== '' && value !== '0';
  if (c.t === 'compare') return (value === expand(state, c.value)) === (c.op === '=');
  const match = regexOf(c.pattern, c.op.endsWith('*')).exec(value);
  // A successful match sets $1..$9 for what follows, as PCRE captures do in nginx.
  if (match) state.captures = match.map((m) => m ?? '');
  return (match !== null) === !c.op.startsWith('!');
}

/** nginx's absolute_redirect: a relative Location becomes `http://<Host>/...` (port 80 is left out). */
function absoluteLocation(state: RunState, target: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  return `http://${variable(state, 'host')}${target.startsWith('/') ? '' : '/'}${target}`;
}

/** An outcome where nginx answers itself. */
export type RuleAnswer = Exclude<RuleOutcome, { t: 'proxy' }>;

type StepResult = { t: 'continue' } | { t: 'stop'; last: boolean } | { t: 'answer'; outcome: RuleAnswer };

function run(state: RunState, statements: RuleStatement[]): StepResult {
  for (const s of statements) {
    switch (s.t) {
      case 'set':
        state.vars.set(s.name, expand(state, s.value));
        break;
      case 'break':
        return { t: 'stop', last: false };
      case 'if':
        if (conditionHolds(state, s.condition)) {
          const inner = run(state, s.body);
          if (inner.t !== 'continue') return inner;
        }
        break;
      case 'return': {
        const text = s.text === undefined ? undefined : expand(state, s.text);
        if (REDIRECT_CODES.has(s.code) && text !== undefined) return { t: 'answer', outcome: { t: 'return', status: s.code, location: absoluteLocation(state, text) } };
        return { t: 'answer', outcome: { t: 'return', status: s.code, ...(text !== undefined ? { body: text } : {}) } };
      }
      case 'rewrite': {
        const match = regexOf(s.pattern, false).exec(state.uri);
        if (!match) break;
        state.captures = match.map((m) => m ?? '');
        let replacement = expand(state, s.replacement);
        // A trailing `?` keeps the old arguments off; otherwise they follow the new ones.
        let args = state.args;
        if (replacement.endsWith('?')) {
          replacement = replacement.slice(0, -1);
          args = '';
        }
        const q = replacement.indexOf('?');
        if (q !== -1) {
          args = replacement.slice(q + 1) + (args && !s.replacement.endsWith('?') ? `&${args}` : '');
          replacement = replacement.slice(0, q);
        }
        const external = /^(https?:\/\/|\$scheme)/.test(s.replacement);
        if (external || s.flag === 'redirect' || s.flag === 'permanent') {
          const target = absoluteLocation(state, replacement) + (args ? `?${args}` : '');
          return { t: 'answer', outcome: { t: 'return', status: s.flag === 'permanent' ? 301 : 302, location: target } };
        }
        state.uri = replacement;
        state.args = args;
        if (s.flag === 'last') return { t: 'stop', last: true };
        if (s.flag === 'break') return { t: 'stop', last: false };
        break;
      }
    }
  }
  return { t: 'continue' };
}

/** nginx's location choice: `=` exact, then the longest prefix (final with `^~`), then regexes in order, then that prefix. */
export function findLocation(locations: RuleLocation[], uri: string): RuleLocation | undefined {
  let prefix: RuleLocation | undefined;
  for (const l of locations) {
    if (l.modifier === '=' && l.pattern === uri) return l;
    if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern) && (!prefix || l.pattern.length > prefix.pattern.length)) prefix = l;
  }
  if (prefix?.modifier === '^~') return prefix;
  for (const l of locations) if ((l.modifier === '~' || l.modifier === '~*') && regexOf(l.pattern, l.modifier === '~*').test(uri)) return l;
  return prefix;
}

/** The server-level rules (nginx's server rewrite phase): they run before the location is chosen and the body size checked. */
export function startRules(rules: ServerRules, request: RuleRequest): { state: RunState; answer?: RuleAnswer } {
  const q = request.requestUri.indexOf('?');
  const state: RunState = {
    request,
    uri: decodeUri((q === -1 ? request.requestUri : request.requestUri.slice(0, q)) || '/'),
    args: q === -1 ? '' : request.requestUri.slice(q + 1),
    vars: new Map(),
    captures: [],
  };
  const result = run(state, rules.statements);
  return result.t === 'answer' ? { state, answer: result.outcome } : { state };
}

/** The chosen location's rules (nginx's rewrite phase), then where the request goes. */
export function finishRules(rules: ServerRules, state: RunState): RuleOutcome {
  for (let round = 0; round <= 10; round++) {
    const location = findLocation(rules.locations, state.uri);
    if (!location) return { t: 'no-file', uri: state.uri };
    const result = run(state, location.statements);
    if (result.t === 'answer') return result.outcome;
    if (result.t === 'stop' && result.last) continue;
    if (location.proxies || location.servesFiles) return { t: 'proxy', uri: state.uri, args: state.args };
    return { t: 'no-file', uri: state.uri };
  }
  return { t: 'cycle', uri: state.uri };
}

export type { RunState as RuleRun };
