// The Python rules of the app model: read modules (imports, environment reads, app objects, routes) from source
// text, then start the web process under Gunicorn, Uvicorn or `python app.py` the way it would fail or run on EB.

import {
  APP_ROOT,
  balancedArgs,
  computedBody,
  expandEnv,
  gunicornTime,
  literalToJson,
  resolveBindHost,
  shellWords,
  splitArgs,
  splitEnvAssignments,
  stringLiteral,
  type SourceFiles,
  type StartContext,
  type StartOutcome,
} from './app-model.ts';
import type { AppObjectKind, AppRoute, BindHost, EnvRead, ImportRef, PythonModule, PythonSource, RequestFailure, RequestHazard, RouteFact } from './types.ts';

const STDLIB = new Set(
  (
    '__future__ abc aifc argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 ' +
    'cProfile calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser ' +
    'contextlib contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest ' +
    'email encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath ' +
    'getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http imaplib imghdr imp importlib inspect io ipaddress ' +
    'itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap modulefinder ' +
    'multiprocessing netrc nntplib ntpath numbers opcode operator optparse os pathlib pdb pickle pickletools pipes pkgutil ' +
    'platform plistlib poplib posix posixpath pprint profile pstats pty pwd py_compile pyclbr pydoc queue quopri random re ' +
    'readline reprlib resource rlcompleter runpy sched secrets select selectors shelve shlex shutil signal site smtplib sndhdr ' +
    'socket socketserver spwd sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct ' +
    'subprocess sunau symtable sys sysconfig syslog tabnanny tarfile telnetlib tempfile termios textwrap this threading time ' +
    'timeit tkinter token tokenize tomllib trace traceback tracemalloc tty turtle types typing unicodedata unittest urllib uu ' +
    'uuid venv warnings wave weakref webbrowser wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo _thread'
  ).split(' '),
);

/** Import name → the distributions that provide it, where the two differ. */
const DISTRIBUTIONS_OF: Record<string, string[]> = {
  yaml: ['pyyaml'],
  dotenv: ['python-dotenv'],
  sklearn: ['scikit-learn'],
  bs4: ['beautifulsoup4'],
  PIL: ['pillow'],
  psycopg2: ['psycopg2', 'psycopg2-binary'],
  psycopg: ['psycopg', 'psycopg-binary'],
  cv2: ['opencv-python', 'opencv-python-headless', 'opencv-contrib-python'],
  jwt: ['pyjwt'],
  dateutil: ['python-dateutil'],
  google: ['protobuf', 'google-cloud-storage', 'google-api-python-client', 'google-auth'],
  attr: ['attrs'],
  MySQLdb: ['mysqlclient'],
  pymysql: ['pymysql'],
  magic: ['python-magic'],
  jose: ['python-jose'],
  multipart: ['python-multipart'],
  socketio: ['python-socketio', 'flask-socketio'],
  engineio: ['python-engineio'],
  serial: ['pyserial'],
  tensorflow: ['tensorflow', 'tensorflow-cpu', 'tf-nightly'],
  torch: ['torch'],
  dns: ['dnspython'],
  Crypto: ['pycryptodome'],
  OpenSSL: ['pyopenssl'],
  flask_sqlalchemy: ['flask-sqlalchemy'],
  flask_cors: ['flask-cors'],
  flask_login: ['flask-login'],
  flask_migrate: ['flask-migrate'],
  flask_wtf: ['flask-wtf'],
  pkg_resources: ['setuptools'],
  setuptools: ['setuptools'],
  slugify: ['python-slugify'],
  docx: ['python-docx'],
  redis: ['redis'],
  kafka: ['kafka-python'],
  jinja2: ['jinja2'],
  markupsafe: ['markupsafe'],
  werkzeug: ['werkzeug'],
  pydantic_settings: ['pydantic-settings'],
  rest_framework: ['djangorestframework'],
  corsheaders: ['django-cors-headers'],
  storages: ['django-storages'],
  whitenoise: ['whitenoise'],
};

/** Distributions that bring others with them (so `import werkzeug` works with only Flask declared). */
const BRINGS: Record<string, string[]> = {
  flask: ['werkzeug', 'jinja2', 'itsdangerous', 'click', 'markupsafe', 'blinker'],
  fastapi: ['starlette', 'pydantic', 'pydantic-core', 'typing-extensions', 'anyio', 'sniffio', 'idna', 'annotated-types'],
  starlette: ['anyio', 'sniffio', 'idna'],
  uvicorn: ['h11', 'click'],
  requests: ['urllib3', 'idna', 'certifi', 'charset-normalizer'],
  boto3: ['botocore', 's3transfer', 'jmespath', 'python-dateutil', 'urllib3', 'six'],
  botocore: ['jmespath', 'python-dateutil', 'urllib3', 'six'],
  django: ['asgiref', 'sqlparse'],
  gunicorn: ['packaging'],
  'flask-sqlalchemy': ['sqlalchemy', 'flask', 'werkzeug', 'jinja2', 'itsdangerous', 'click', 'markupsafe', 'blinker', 'greenlet', 'typing-extensions'],
  sqlalchemy: ['greenlet', 'typing-extensions'],
  pandas: ['numpy', 'python-dateutil', 'pytz', 'tzdata', 'six'],
  'scikit-learn': ['numpy', 'scipy', 'joblib', 'threadpoolctl'],
  scipy: ['numpy'],
  tensorflow: ['numpy', 'protobuf', 'keras', 'h5py', 'six', 'absl-py'],
  torch: ['numpy', 'typing-extensions', 'sympy', 'networkx', 'jinja2', 'filelock'],
  httpx: ['httpcore', 'anyio', 'idna', 'certifi', 'sniffio', 'h11'],
  'pydantic-settings': ['pydantic', 'python-dotenv'],
  celery: ['kombu', 'billiard', 'vine', 'click'],
  'python-jose': ['ecdsa', 'rsa', 'pyasn1'],
};

/** Installed in the platform's virtual environment whatever the bundle says. */
const PLATFORM_PROVIDED = new Set(['gunicorn', 'packaging', 'pip', 'setuptools', 'wheel']);

export function normaliseDistribution(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Distribution names from requirements.txt text (`-r` includes resolved through `readFile`). */
export function parseRequirements(text: string, readFile: (path: string) => string | undefined, seen = new Set<string>()): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(?:-r|--requirement)\s*=?\s*(\S+)/.exec(line);
    if (include) {
      if (!seen.has(include[1])) {
        seen.add(include[1]);
        const inner = readFile(include[1]);
        if (inner !== undefined) out.push(...parseRequirements(inner, readFile, seen));
      }
      continue;
    }
    if (line.startsWith('-e') || line.startsWith('--editable')) {
      const egg = /#egg=([A-Za-z0-9._-]+)/.exec(raw);
      if (egg) out.push(normaliseDistribution(egg[1]));
      continue;
    }
    if (line.startsWith('-')) continue;
    const at = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*@/.exec(line);
    const m = at ?? /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line);
    if (m) out.push(normaliseDistribution(m[1]));
  }
  return out;
}

/** Distribution names in a Pipfile's [packages] table (dev-packages are not installed). */
export function parsePipfile(text: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      inPackages = section[1].trim() === 'packages';
      continue;
    }
    const m = inPackages ? /^"?([A-Za-z0-9][A-Za-z0-9._-]*)"?\s*=/.exec(line) : null;
    if (m) out.push(normaliseDistribution(m[1]));
  }
  return out;
}

function moduleNameOf(file: string): string {
  return file.replace(/\.py$/, '').replace(/\/__init__$/, '').split('/').join('.');
}

interface Line {
  n: number;
  indent: number;
  text: string;
}

// Source lines without comments and without the inside of triple-quoted strings; continuation lines joined.
function logicalLines(text: string): Line[] {
  let unclosed: { line: number; text: string } | undefined;
  const out: Line[] = [];
  const raw = text.split(/\r?\n/);
  let inTriple: string | null = null;
  let pending: Line | null = null;
  let depth = 0;
  for (let i = 0; i < raw.length; i++) {
    let s = raw[i];
    if (inTriple) {
      const end = s.indexOf(inTriple);
      if (end < 0) continue;
      s = s.slice(end + 3);
      inTriple = null;
      if (!s.trim()) continue;
    }
    // Drop comments and note unterminated triple quotes (indexes only; slicing once keeps this linear).
    let cut = s.length;
    let tail = '';
    let quote: string | null = null;
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (quote) {
        if (c === 92) j++;
        else if (s.startsWith(quote, j)) {
          j += quote.length - 1;
          quote = null;
        }
        continue;
      }
      if (c === 35) {
        cut = j;
        break;
      }
      if (c === 34 || c === 39) {
        const q = s.slice(j, j + 3);
        if (q === '"""' || q === "'''") {
          const close = s.indexOf(q, j + 3);
          if (close < 0) {
            inTriple = q;
            cut = j;
            tail = `${q}${q}`;
            break;
          }
          j = close + 2;
          continue;
        }
        quote = s[j];
        continue;
      }
      if (c === 40 || c === 91 || c === 123) depth++;
      else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
    }
    const cleaned = s.slice(0, cut) + tail;
    if (pending) {
      pending.text += ` ${cleaned.trim()}`;
    } else {
      if (!cleaned.trim()) continue;
      pending = { n: i + 1, indent: cleaned.length - cleaned.trimStart().length, text: cleaned.trimEnd() };
    }
    if (depth === 0 && !cleaned.endsWith('\\')) {
      out.push(pending);
      pending = null;
    } else if (cleaned.endsWith('\\')) {
      pending.text = pending.text.slice(0, -1);
    }
  }
  if (pending) {
    out.push(pending);
    if (depth > 0) unclosed = { line: pending.n, text: pending.text };
  }
  lastUnclosed = unclosed;
  return out;
}

let lastUnclosed: { line: number; text: string } | undefined;

function isLocalModule(name: string, files: SourceFiles, relativeTo?: string): boolean {
  const base = relativeTo ? `${relativeTo}/` : '';
  const path = `${base}${name.split('.').join('/')}`;
  if (files.paths.has(`${path}.py`) || files.paths.has(`${path}/__init__.py`)) return true;
  for (const p of files.paths) if (p.startsWith(`${path}/`) && p.endsWith('.py')) return true;
  return false;
}

function resolveRelative(fromModule: string, isPackage: boolean, dots: number, rest: string): string {
  const parts = fromModule.split('.');
  const pkg = isPackage ? parts : parts.slice(0, -1);
  const base = pkg.slice(0, Math.max(0, pkg.length - (dots - 1)));
  return [...base, ...(rest ? rest.split('.') : [])].filter(Boolean).join('.');
}

const ENV_SUBSCRIPT = /\b(?:os\.)?environ\[\s*(['"])(\w+)\1\s*\](?!\s*=[^=])/g;
const ENV_GET = /\b(?:os\.environ\.get|os\.getenv|getenv|environ\.get)\(\s*(['"])(\w+)\1\s*(,\s*[^)]*)?\)/g;

/** Reads one Python module's facts. */
// A host argument as far as the module lets us read it: a string, `os.environ.get('HOST', '0.0.0.0')` /
// `os.getenv(...)` / `os.environ['HOST']`, or a module-level name bound to one of those. `None` means the default.
function pythonBindHost(expr: string, lines: Line[], depthLeft = 2): BindHost | undefined {
  const e = expr.trim();
  if (e === 'None') return undefined;
  const literal = stringLiteral(e);
  if (literal !== undefined) return { literal };
  const env = /^(?:os\.)?(?:environ\.get|getenv)\(\s*['"](\w+)['"]\s*(?:,\s*(['"])([^'"]*)\2\s*)?\)$/.exec(e) ?? /^(?:os\.)?environ\[\s*['"](\w+)['"]\s*\]$/.exec(e);
  if (env) return { env: env[1], ...(env[3] !== undefined ? { fallback: env[3] } : {}) };
  if (/^[A-Za-z_]\w*$/.test(e) && depthLeft > 0) {
    const assign = lines.filter((l) => l.indent === 0).map((l) => new RegExp(`^${e}\\s*(?::\\s*[\\w.]+\\s*)?=\\s*([^=].*)$`).exec(l.text.trim())).find(Boolean);
    if (assign) return pythonBindHost(assign[1], lines, depthLeft - 1);
  }
  return {};
}

export function analysePythonModule(file: string, text: string, files: SourceFiles): PythonModule {
  const module = moduleNameOf(file);
  const isPackage = file.endsWith('__init__.py');
  const rawLines = text.split(/\r?\n/);
  const lines = logicalLines(text);
  const unclosed = lastUnclosed;
  const imports: ImportRef[] = [];
  const envReads: EnvRead[] = [];
  const objects: PythonModule['objects'] = [];
  const routes: PythonModule['routes'] = [];
  let mainRun: PythonModule['mainRun'];

  // Functions defined at module level and the ones called while the module loads (app factories).
  const functions = new Map<string, { start: number; end: number; body: Line[] }>();
  for (let i = 0; i < lines.length; i++) {
    const m = /^(?:async\s+)?def\s+(\w+)\s*\(/.exec(lines[i].text);
    if (lines[i].indent === 0 && m) {
      let j = i + 1;
      while (j < lines.length && lines[j].indent > 0) j++;
      functions.set(m[1], { start: i, end: j, body: lines.slice(i + 1, j) });
    }
  }
  const calledAtLoad = new Set<string>();
  for (const l of lines) {
    if (l.indent !== 0 || /^(?:async\s+)?def\s|^class\s|^@/.test(l.text)) continue;
    for (const call of l.text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) if (functions.has(call[1])) calledAtLoad.add(call[1]);
  }
  const inFactory = new Uint8Array(lines.length);
  for (const name of calledAtLoad) {
    const f = functions.get(name)!;
    inFactory.fill(1, f.start + 1, f.end);
  }
  const startupLine = (l: Line, index: number): boolean => {
    if (l.indent === 0) return true;
    return inFactory[index] === 1;
  };
  let mainBlock = -1;
  lines.forEach((l, i) => {
    if (l.indent === 0 && /^if\s+__name__\s*==\s*['"]__main__['"]\s*:/.test(l.text)) mainBlock = i;
  });
  let mainEnd = mainBlock + 1;
  while (mainBlock >= 0 && mainEnd < lines.length && lines[mainEnd].indent > 0) mainEnd++;
  const inMain = (i: number) => mainBlock >= 0 && i > mainBlock && i < mainEnd;

  const addImport = (name: string, line: number, relative: boolean) => {
    const top = name.split('.')[0];
    if (!top) return;
    const local = relative || isLocalModule(top, files);
    // A local import loads the whole dotted path (pets.views runs pets/__init__.py, then pets/views.py).
    imports.push({ module: local ? name : top, line, file, local });
  };

  lines.forEach((l, i) => {
    const startup = startupLine(l, i);
    const t = l.text.trim();
    // Imports run at load only when they are at module level or in a factory called at load.
    if (startup) {
      const imp = /^import\s+(.+)$/.exec(t);
      if (imp) {
        for (const part of imp[1].split(',')) addImport(part.trim().split(/\s+as\s+/)[0].trim(), l.n, false);
      }
      const from = /^from\s+(\.*)([\w.]*)\s+import\s+(.+)$/.exec(t);
      if (from) {
        const dots = from[1].length;
        const target = dots ? resolveRelative(module, isPackage, dots, from[2]) : from[2];
        if (dots) imports.push({ module: target, line: l.n, file, local: true });
        else addImport(target, l.n, false);
        // `from pets import routes` imports the submodule pets.routes when there is one.
        for (const n of from[3].replace(/[()]/g, '').split(',')) {
          const sub = n.trim().split(/\s+as\s+/)[0].trim();
          if (sub && sub !== '*' && target && isLocalModule(`${target}.${sub}`, files)) imports.push({ module: `${target}.${sub}`, line: l.n, file, local: true });
        }
        if (l.indent === 0) {
          const names = from[3].replace(/[()]/g, '').split(',');
          for (const n of names) {
            const [orig, alias] = n.trim().split(/\s+as\s+/).map((x) => x.trim());
            if (!orig || orig === '*') continue;
            const local = dots > 0 || isLocalModule(target.split('.')[0], files);
            if (local) objects.push({ name: alias ?? orig, kind: 'other', line: l.n, aliasOf: { module: target, name: orig } });
          }
        }
      }
    }
    // Environment reads.
    for (const m of l.text.matchAll(ENV_SUBSCRIPT)) {
      envReads.push({ name: m[2], file, line: l.n, hasDefault: false, atStartup: startup, failsWhenMissing: true });
    }
    for (const m of l.text.matchAll(ENV_GET)) {
      envReads.push({ name: m[2], file, line: l.n, hasDefault: Boolean(m[3]), atStartup: startup, failsWhenMissing: false });
    }
    if (l.indent === 0) {
      const assign = /^(\w+)\s*(?::\s*[\w.[\]]+\s*)?=\s*(.+)$/.exec(t);
      if (assign && !/^[=]/.test(assign[2])) {
        const [, name, expr] = assign;
        let kind: AppObjectKind = 'other';
        if (/\bFlask\s*\(/.test(expr)) kind = 'flask';
        else if (/\bFastAPI\s*\(/.test(expr)) kind = 'fastapi';
        else if (/\bStarlette\s*\(/.test(expr)) kind = 'starlette';
        else if (/get_wsgi_application\s*\(/.test(expr)) kind = 'django';
        else if (/get_asgi_application\s*\(/.test(expr)) kind = 'asgi-function';
        else {
          const call = /^(\w+)\s*\(/.exec(expr);
          const fn = call ? functions.get(call[1]) : undefined;
          if (fn) {
            const body = fn.body.map((b) => b.text).join('\n');
            if (/\bFlask\s*\(/.test(body)) kind = 'flask';
            else if (/\bFastAPI\s*\(/.test(body)) kind = 'fastapi';
          } else if (/^\w+$/.test(expr.trim())) {
            const target = objects.find((o) => o.name === expr.trim());
            objects.push({ name, kind: target?.kind ?? 'other', line: l.n, aliasOf: target ? { module, name: expr.trim() } : undefined });
            return;
          }
        }
        objects.push({ name, kind, line: l.n });
      }
      const def = /^(async\s+)?def\s+(\w+)\s*\(([^)]*)\)/.exec(t);
      if (def) {
        const params = def[3].split(',').map((p) => p.trim().split(/[:=]/)[0].trim());
        let kind: AppObjectKind = 'other';
        if (!def[1] && params.length === 2 && /start_response/.test(params[1])) kind = 'wsgi-function';
        if (def[1] && params.length === 3 && params[0] === 'scope') kind = 'asgi-function';
        objects.push({ name: def[2], kind, line: l.n });
        if (kind === 'wsgi-function') {
          const fn = functions.get(def[2]);
          const body = (fn?.body ?? []).map((b) => b.text).join('\n');
          const status = /start_response\(\s*['"](\d{3})/.exec(body);
          const ret = /return\s*\[\s*(b?(['"])(?:(?!\2)[^\\]|\\.)*\2)\s*\]/.exec(body);
          const literal = ret ? stringLiteral(ret[1].replace(/^b/, '')) : undefined;
          routes.push({ object: def[2], method: '*', path: '*', file, line: l.n, ...(status ? { status: Number(status[1]) } : {}), ...(literal !== undefined ? { body: literal, contentType: 'text/html' } : {}) });
        }
      }
      const cls = /^class\s+(\w+)/.exec(t);
      if (cls) objects.push({ name: cls[1], kind: 'other', line: l.n });
    }
    // Routes: decorators on any router-like object.
    const deco = /^@(\w+)\.(route|get|post|put|delete|patch|head|options|api_route)\s*\(/.exec(t);
    if (deco) {
      const args = balancedArgs(t, t.indexOf('(')) ?? '';
      const parts = splitArgs(args);
      const path = stringLiteral(parts[0] ?? '') ?? '/';
      let methods = [deco[2].toUpperCase()];
      if (deco[2] === 'route' || deco[2] === 'api_route') {
        const mm = /methods\s*=\s*[[(]([^\])]*)[\])]/.exec(args);
        methods = mm ? mm[1].split(',').map((x) => (stringLiteral(x.trim()) ?? '').toUpperCase()).filter(Boolean) : ['GET'];
      }
      const statusArg = /status_code\s*=\s*(\d{3})/.exec(args);
      const fact = routeResponse(lines, i, deco[1]);
      const handler = handlerHazards(lines, i, functions, file, rawLines);
      for (const method of methods) {
        routes.push({
          object: deco[1],
          method,
          path,
          file,
          line: l.n,
          ...fact,
          ...(statusArg ? { status: Number(statusArg[1]) } : {}),
          ...(handler ? { handler: handler.name, ...(handler.async ? { handlerAsync: true } : {}), ...(handler.hazards.length ? { hazards: handler.hazards } : {}) } : {}),
        });
      }
    }
    // `app.run(...)` / `uvicorn.run(...)` under `if __name__ == '__main__':`.
    if (inMain(i) && !mainRun) {
      const run = /\b(\w+)\.run\s*\(/.exec(t);
      if (run) {
        const args = balancedArgs(t, t.indexOf('(', run.index)) ?? '';
        const server = run[1] === 'uvicorn' ? 'uvicorn' : objects.some((o) => o.name === run[1] && o.kind === 'flask') ? 'flask' : 'other';
        const portExpr = /port\s*=\s*([^,]+(?:\([^)]*\))?)/.exec(args)?.[1] ?? '';
        const literal = /^\s*(\d+)\s*$/.exec(portExpr);
        const env = /(?:environ\.get|getenv|environ\[)\(?\s*['"](\w+)['"]\s*(?:,\s*['"]?(\d+)['"]?)?/.exec(portExpr);
        // The bind address: `host=...`, or Flask's first positional parameter (`app.run('0.0.0.0', 8080)`).
        const argList = splitArgs(args);
        const hostArg = argList.find((a) => /^host\s*=[^=]/.test(a))?.replace(/^host\s*=\s*/, '') ?? (server === 'flask' && argList[0] && !/^\w+\s*=[^=]/.test(argList[0]) ? argList[0] : undefined);
        const host = hostArg !== undefined ? pythonBindHost(hostArg, lines) : undefined;
        mainRun = {
          file,
          line: l.n,
          server,
          ...(literal ? { literal: Number(literal[1]) } : {}),
          ...(env ? { env: env[1], ...(env[2] ? { fallback: Number(env[2]) } : {}) } : {}),
          ...(host ? { host } : {}),
        };
      }
    }
  });

  // Route prefixes of blueprints and routers, and where they are mounted.
  const prefixes: NonNullable<PythonModule['prefixes']> = [];
  for (const l of lines) {
    const own = /^(\w+)\s*=\s*(?:[\w.]+\.)?(Blueprint|APIRouter)\s*\((.*)\)\s*$/.exec(l.text.trim());
    if (own) {
      const p = new RegExp(`${own[2] === 'Blueprint' ? 'url_prefix' : 'prefix'}\\s*=\\s*['"]([^'"]*)['"]`).exec(own[3]);
      if (p) prefixes.push({ object: own[1], prefix: p[1], kind: 'own' });
    }
    const mount = /\.(register_blueprint|include_router)\s*\(\s*([\w.]+)\s*(?:,(.*))?\)/.exec(l.text);
    if (mount) {
      const p = /(?:url_prefix|prefix)\s*=\s*['"]([^'"]*)['"]/.exec(mount[3] ?? '');
      prefixes.push({ object: mount[2].split('.').pop()!, prefix: p ? p[1] : '', kind: 'mount' });
    }
  }

  // Django: urls.py `path('pets/', view)` patterns are the routes.
  if (/(^|\/)urls\.py$/.test(file)) {
    for (const m of text.matchAll(/\b(?:re_)?path\(\s*r?(['"])([^'"]*)\1/g)) {
      routes.push({ object: 'urlpatterns', method: '*', path: `/${m[2].replace(/^\^/, '').replace(/\$$/, '')}`, file, line: text.slice(0, m.index).split('\n').length });
    }
  }
  // An opening bracket that is never closed: Python refuses the whole module.
  let syntaxError: PythonModule['syntaxError'];
  if (unclosed) {
    const raw = text.split(/\r?\n/)[unclosed.line - 1] ?? '';
    const opener = /[([{]/.exec(raw.replace(/(['"]).*?\1/g, (m) => ' '.repeat(m.length)));
    syntaxError = { line: unclosed.line, message: `'${opener ? opener[0] : '('}' was never closed` };
  }
  // Module-level assignments a hazard's path may name (MODEL_PATH = os.environ.get(...), BASE_DIR = Path(__file__).parent).
  const constants: Record<string, string> = {};
  if (routes.some((r) => r.hazards?.some((h) => h.kind === 'open-file'))) {
    for (const l of lines) {
      const assign = l.indent === 0 ? /^([A-Za-z_]\w*)\s*(?::\s*[\w.[\]]+\s*)?=\s*([^=].*)$/.exec(l.text.trim()) : null;
      if (assign) constants[assign[1]] = assign[2].trim();
    }
  }
  return {
    file,
    module,
    imports,
    envReads,
    objects,
    routes,
    ...(Object.keys(constants).length ? { constants } : {}),
    ...(mainRun ? { mainRun } : {}),
    ...(prefixes.length ? { prefixes } : {}),
    ...(syntaxError ? { syntaxError } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Request-time failures: what a handler does on every request that can raise (never executed, read from source)

const OPEN_CALL = /\b(?:io\.)?open\s*\(/g;
const PATH_READ = /\b(?:pathlib\.)?Path\s*\(/g;
const FILE_ERRORS = /\b(?:FileNotFoundError|OSError|IOError|EnvironmentError|Exception|BaseException)\b/;
const KEY_ERRORS = /\b(?:KeyError|LookupError|Exception|BaseException)\b/;

/** The hazards of the function decorated at `decoratorIndex`, in the order they run, helpers it calls included. */
function handlerHazards(
  lines: Line[],
  decoratorIndex: number,
  functions: Map<string, { start: number; end: number; body: Line[] }>,
  file: string,
  rawLines: string[],
): { name: string; async: boolean; hazards: RequestHazard[] } | undefined {
  let d = decoratorIndex + 1;
  while (d < lines.length && lines[d].text.trim().startsWith('@')) d++;
  const def = lines[d];
  const m = def ? /^\s*(async\s+)?def\s+(\w+)/.exec(def.text) : null;
  if (!def || !m) return undefined;
  let end = d + 1;
  while (end < lines.length && lines[end].indent > def.indent) end++;
  const hazards = hazardsIn(lines.slice(d + 1, end), m[2], functions, file, rawLines, [], new Set([m[2]]));
  return { name: m[2], async: Boolean(m[1]), hazards };
}

function hazardsIn(
  body: Line[],
  fn: string,
  functions: Map<string, { start: number; end: number; body: Line[] }>,
  file: string,
  rawLines: string[],
  via: RequestHazard['via'],
  visiting: Set<string>,
): RequestHazard[] {
  const out: RequestHazard[] = [];
  const code = (n: number) => rawLines[n - 1]?.trim() ?? '';
  body.forEach((l, k) => {
    const found: { at: number; hazard?: RequestHazard; call?: string }[] = [];
    const here = { file, line: l.n, code: code(l.n), function: fn, via };
    for (const m of l.text.matchAll(OPEN_CALL)) {
      if (m.index > 0 && /[\w.]/.test(l.text[m.index - 1]) && !l.text.slice(0, m.index).endsWith('io.')) continue;
      const args = splitArgs(balancedArgs(l.text, m.index + m[0].length - 1) ?? '');
      const mode = args.find((a) => /^mode\s*=/.test(a))?.replace(/^mode\s*=\s*/, '') ?? (args[1] && !/^\w+\s*=/.test(args[1]) ? args[1] : undefined);
      if (!args[0] || (mode && /[wax+]/.test(stringLiteral(mode) ?? 'w'))) continue;
      if (!guarded(body, k, 'file')) found.push({ at: m.index, hazard: { kind: 'open-file', target: args[0], ...here } });
    }
    for (const m of l.text.matchAll(PATH_READ)) {
      const inner = balancedArgs(l.text, m.index + m[0].length - 1);
      if (inner === undefined) continue;
      const after = l.text.slice(m.index + m[0].length + inner.length);
      if (!/^\)\s*\.\s*(?:read_bytes|read_text|open)\s*\(/.test(after)) continue;
      if (/^\)\s*\.\s*open\s*\(\s*['"][wax]/.test(after)) continue;
      if (!guarded(body, k, 'file')) found.push({ at: m.index, hazard: { kind: 'open-file', target: `Path(${inner})`, ...here } });
    }
    for (const m of l.text.matchAll(ENV_SUBSCRIPT)) {
      if (!guarded(body, k, 'env', m[2])) found.push({ at: m.index, hazard: { kind: 'env-var', target: m[2], ...here } });
    }
    for (const m of l.text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)) {
      if (functions.has(m[1]) && !visiting.has(m[1]) && via.length < 4 && !/^\s*(?:async\s+)?def\s/.test(l.text)) found.push({ at: m.index, call: m[1] });
    }
    found.sort((a, b) => a.at - b.at);
    for (const f of found) {
      if (f.hazard) out.push(f.hazard);
      else if (f.call) {
        const helper = functions.get(f.call)!;
        if (guarded(body, k, 'file') && guarded(body, k, 'env')) continue;
        const next = new Set(visiting).add(f.call);
        const inner = hazardsIn(helper.body, f.call, functions, file, rawLines, [...via, { file, line: l.n, code: code(l.n), function: fn }], next);
        // A helper called inside a try that catches the error does not fail the request.
        out.push(...inner.filter((h) => !guarded(body, k, h.kind === 'open-file' ? 'file' : 'env', h.target)));
      }
    }
  });
  return out;
}

/** Whether the statement at body[k] sits in a try that catches the error, or under an `if` that tests for it first. */
function guarded(body: Line[], k: number, kind: 'file' | 'env', name?: string): boolean {
  const indent = body[k].indent;
  let inner = indent;
  for (let j = k - 1; j >= 0; j--) {
    const l = body[j];
    if (l.indent >= inner) continue;
    inner = l.indent;
    const t = l.text.trim();
    if (/^try\s*:/.test(t)) {
      for (let e = k + 1; e < body.length && body[e].indent >= l.indent; e++) {
        if (body[e].indent !== l.indent) continue;
        const clause = body[e].text.trim();
        if (!/^(except|else|finally)\b/.test(clause)) break;
        if (/^except\s*:/.test(clause) || (/^except\b/.test(clause) && (kind === 'file' ? FILE_ERRORS : KEY_ERRORS).test(clause))) return true;
      }
    }
    if (/^(?:if|elif)\b/.test(t)) {
      if (kind === 'file' && /\b(?:exists|isfile|is_file)\s*\(/.test(t)) return true;
      if (kind === 'env' && name && new RegExp(`['"]${name}['"]\\s+in\\s+(?:os\\.)?environ`).test(t)) return true;
    }
    if (inner === 0) break;
  }
  return false;
}


// What the decorated function returns, when it is a literal.
function routeResponse(lines: Line[], decoratorIndex: number, objectName: string): Partial<RouteFact> {
  let d = decoratorIndex + 1;
  while (d < lines.length && lines[d].text.trim().startsWith('@')) d++;
  const def = lines[d];
  if (!def || !/^\s*(async\s+)?def\s/.test(def.text)) return {};
  for (let j = d + 1; j < lines.length && lines[j].indent > def.indent; j++) {
    const r = /^\s*return\s+(.+)$/.exec(lines[j].text);
    if (!r) continue;
    let expr = r[1].trim();
    let status: number | undefined;
    const tuple = /^(.*),\s*(\d{3})\s*$/.exec(expr);
    if (tuple) {
      expr = tuple[1].trim();
      status = Number(tuple[2]);
    }
    const jsonify = /^jsonify\s*\(/.exec(expr);
    if (jsonify) {
      const inner = balancedArgs(expr, expr.indexOf('(')) ?? '';
      const kw = /^\s*\w+\s*=/.test(inner) ? `{${splitArgs(inner).map((a) => a.replace(/^(\w+)\s*=\s*/, '"$1": ')).join(', ')}}` : inner;
      const body = literalToJson(kw, true, true);
      return { ...(status ? { status } : {}), ...(body !== undefined ? { body: `${body}\n`, contentType: 'application/json' } : { contentType: 'application/json' }) };
    }
    const str = stringLiteral(expr);
    if (str !== undefined) return { ...(status ? { status } : {}), body: str, contentType: 'text/html; charset=utf-8' };
    if (/^[{[]/.test(expr)) {
      const body = literalToJson(expr, true, false);
      if (body !== undefined) return { ...(status ? { status } : {}), body, contentType: 'application/json', ...(objectName ? {} : {}) };
    }
    return status ? { status } : {};
  }
  return {};
}

/** Reads every Python module and requirements.txt of a bundle. */
export function analysePython(files: SourceFiles): PythonSource {
  const modules: PythonModule[] = [];
  for (const [path, text] of files.text) {
    if (path.endsWith('.py') && !path.startsWith('.ebextensions/') && !path.startsWith('.platform/')) modules.push(analysePythonModule(path, text, files));
  }
  modules.sort((a, b) => a.file.localeCompare(b.file));
  const req = files.text.get('requirements.txt');
  const pipfile = files.text.get('Pipfile');
  const otherManifests = ['Pipfile', 'Pipfile.lock', 'pyproject.toml', 'setup.py'].filter((p) => files.paths.has(p));
  // EB installs from requirements.txt; without one, a Pipfile's [packages] (pipenv) on AL2023.
  const requirements = req !== undefined ? parseRequirements(req, (p) => files.text.get(p)) : pipfile !== undefined ? parsePipfile(pipfile) : undefined;
  return { modules, ...(requirements ? { requirements } : {}), otherManifests };
}

// ---------------------------------------------------------------------------------------------------------------
// Starting the process

export type PythonServer = 'gunicorn' | 'uvicorn' | 'python';

interface PythonCommand {
  server: PythonServer | 'unknown';
  program: string;
  appModule?: string;
  appObject?: string;
  factory?: boolean;
  /** The script for `python app.py`. */
  script?: string;
  port?: number;
  host?: string;
  /** `--bind unix:/tmp/x.sock`: nothing listens on a TCP port. */
  unixSocket?: boolean;
  asgiWorker?: boolean;
  error?: string;
}

/** The default web command on the Python platform (Gunicorn serving WSGIPath). */
export function defaultPythonCommand(wsgiPath: string | undefined, numProcesses = '1', numThreads = '15'): string {
  const spec = (wsgiPath || 'application').trim();
  const [modPart, obj] = spec.includes(':') ? spec.split(':') : [spec, 'application'];
  const module = modPart.replace(/\.py$/, '').replace(/\//g, '.');
  return `gunicorn --bind 127.0.0.1:8000 --workers=${numProcesses} --threads=${numThreads} ${module}:${obj || 'application'}`;
}

function parseAppSpec(spec: string): { module: string; object: string; factory: boolean } {
  const [mod, objRaw] = spec.split(':');
  const object = (objRaw ?? 'application').trim();
  const factory = /\(\s*\)$/.test(object);
  return { module: mod.replace(/\.py$/, '').replace(/\//g, '.'), object: object.replace(/\(.*\)$/, ''), factory };
}

function parseBind(value: string, out: PythonCommand): void {
  if (value.startsWith('unix:')) {
    out.unixSocket = true;
    return;
  }
  const m = /^(?:\[?([^\]]*)\]?)?:?(\d*)$/.exec(value.includes(':') ? value : `${value}:`);
  const port = /:(\d+)$/.exec(value)?.[1];
  if (port) out.port = Number(port);
  else if (/^\d+$/.test(value)) out.port = Number(value);
  else if (m && !port) out.error = `Error: '${value}' is not a valid port number.`;
  out.host = value.includes(':') ? value.slice(0, value.lastIndexOf(':')) || '0.0.0.0' : value;
}

export function parsePythonCommand(command: string, env: Record<string, string>): PythonCommand {
  const { rest } = splitEnvAssignments(shellWords(expandEnv(command, env)));
  let words = rest;
  if (/^python3?(\.\d+)?$/.test(words[0] ?? '') && words[1] === '-m' && (words[2] === 'gunicorn' || words[2] === 'uvicorn')) words = words.slice(2);
  const program = words[0] ?? '';
  const base = program.split('/').pop() ?? '';
  if (base === 'gunicorn') {
    const out: PythonCommand = { server: 'gunicorn', program };
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      const eq = w.indexOf('=');
      const flag = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
      const inline = w.startsWith('--') && eq > 0 ? w.slice(eq + 1) : undefined;
      const take = () => inline ?? words[++i] ?? '';
      if (flag === '-b' || flag === '--bind') parseBind(take(), out);
      else if (w.startsWith('-b') && w.length > 2) parseBind(w.slice(2), out);
      else if (flag === '-k' || flag === '--worker-class') out.asgiWorker = /uvicorn/i.test(take());
      else if (['-w', '--workers', '--threads', '--chdir', '--pythonpath', '-t', '--timeout', '--log-level', '-c', '--config', '--access-logfile', '--error-logfile', '--max-requests', '-e', '--env', '--name', '-n'].includes(flag)) take();
      else if (w.startsWith('-')) continue;
      else {
        const spec = parseAppSpec(w);
        out.appModule = spec.module;
        out.appObject = spec.object;
        out.factory = spec.factory;
      }
    }
    if (out.port === undefined && !out.unixSocket) out.port = env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : 8000;
    if (!out.appModule) out.error = 'Error: No application module specified.';
    return out;
  }
  if (base === 'uvicorn') {
    const out: PythonCommand = { server: 'uvicorn', program, port: 8000, host: '127.0.0.1' };
    for (let i = 1; i < words.length; i++) {
      const w = words[i];
      const eq = w.indexOf('=');
      const flag = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
      const inline = w.startsWith('--') && eq > 0 ? w.slice(eq + 1) : undefined;
      const take = () => inline ?? words[++i] ?? '';
      if (flag === '--port') {
        const v = take();
        if (/^\d+$/.test(v)) out.port = Number(v);
        else out.error = `Error: Invalid value for '--port': '${v}' is not a valid integer.`;
      } else if (flag === '--host') out.host = take();
      else if (flag === '--uds') (take(), (out.unixSocket = true));
      else if (flag === '--factory') out.factory = true;
      else if (['--workers', '--log-level', '--root-path', '--proxy-headers', '--forwarded-allow-ips', '--app-dir', '--env-file'].includes(flag)) {
        if (flag !== '--proxy-headers') take();
      } else if (w.startsWith('-')) continue;
      else {
        const spec = parseAppSpec(w);
        out.appModule = spec.module;
        out.appObject = spec.object === 'application' && !w.includes(':') ? '' : spec.object;
        if (!w.includes(':')) out.error = `Error loading ASGI app. Import string "${w}" must be in format "<module>:<attribute>".`;
      }
    }
    if (!out.appModule && !out.error) out.error = "Error: Missing argument 'APP'.";
    return out;
  }
  if (/^python3?(\.\d+)?$/.test(base)) {
    const script = words.slice(1).find((w) => !w.startsWith('-'));
    return { server: 'python', program, script };
  }
  return { server: 'unknown', program };
}

function distributionsSatisfied(source: PythonSource): Set<string> {
  const have = new Set<string>(PLATFORM_PROVIDED);
  const queue = [...(source.requirements ?? [])];
  while (queue.length) {
    const d = queue.pop()!;
    if (have.has(d)) continue;
    have.add(d);
    for (const x of BRINGS[d] ?? []) queue.push(x);
  }
  return have;
}

function importSatisfied(module: string, have: Set<string>): boolean {
  const top = module.split('.')[0];
  if (STDLIB.has(top)) return true;
  const candidates = DISTRIBUTIONS_OF[top] ?? [normaliseDistribution(top)];
  return candidates.some((d) => have.has(d)) || have.has(normaliseDistribution(top));
}

type Frame = { file: string; line: number; code: string };

interface LoadFailure {
  error: string;
  frames: Frame[];
  at: { file: string; line: number };
  /** Python reports a syntax error without `in <module>` for the failing file, with a caret under the code. */
  syntax?: boolean;
}

const splitCache = new WeakMap<SourceFiles, Map<string, string[]>>();

function sourceLine(files: SourceFiles, file: string, line: number): string {
  let byFile = splitCache.get(files);
  if (!byFile) splitCache.set(files, (byFile = new Map()));
  let lines = byFile.get(file);
  if (!lines) byFile.set(file, (lines = (files.text.get(file) ?? '').split(/\r?\n/)));
  return lines[line - 1]?.trim() ?? '';
}

/** Loads a module the way Python would at start: statements in order, first failure wins; local imports recurse. */
function loadModule(
  name: string,
  source: PythonSource,
  files: SourceFiles,
  env: Record<string, string>,
  have: Set<string>,
  loaded: Map<string, PythonModule>,
  stack: Frame[],
): LoadFailure | undefined {
  if (loaded.has(name)) return undefined;
  const mod = source.modules.find((m) => m.module === name);
  if (!mod) return undefined;
  loaded.set(name, mod);
  if (mod.syntaxError) {
    const code = sourceLine(files, mod.file, mod.syntaxError.line);
    const frame: Frame = { file: mod.file, line: mod.syntaxError.line, code };
    return { error: `SyntaxError: ${mod.syntaxError.message}`, frames: [...stack, frame], at: frame, syntax: true };
  }
  // Parent packages load first (`import app.main` runs app/__init__.py).
  const parts = name.split('.');
  for (let i = 1; i < parts.length; i++) {
    const parent = parts.slice(0, i).join('.');
    const f = loadModule(parent, source, files, env, have, loaded, stack);
    if (f) return f;
  }
  const steps: ({ kind: 'import'; ref: ImportRef } | { kind: 'env'; ref: EnvRead })[] = [
    ...mod.imports.map((ref) => ({ kind: 'import' as const, ref })),
    ...mod.envReads.filter((r) => r.atStartup).map((ref) => ({ kind: 'env' as const, ref })),
  ].sort((a, b) => a.ref.line - b.ref.line);
  for (const step of steps) {
    const frame: Frame = { file: mod.file, line: step.ref.line, code: sourceLine(files, mod.file, step.ref.line) };
    if (step.kind === 'env') {
      if (step.ref.failsWhenMissing && env[step.ref.name] === undefined) {
        return { error: `KeyError: '${step.ref.name}'`, frames: [...stack, frame], at: frame };
      }
      continue;
    }
    const ref = step.ref;
    if (ref.local) {
      const target = source.modules.find((m) => m.module === ref.module || m.module.startsWith(`${ref.module}.`));
      if (!target && !isLocalModule(ref.module, files)) {
        return { error: `ModuleNotFoundError: No module named '${ref.module}'`, frames: [...stack, frame], at: frame };
      }
      const f = loadModule(ref.module, source, files, env, have, loaded, [...stack, frame]);
      if (f) return f;
      continue;
    }
    if (!importSatisfied(ref.module, have)) {
      return { error: `ModuleNotFoundError: No module named '${ref.module}'`, frames: [...stack, frame], at: frame };
    }
  }
  return undefined;
}

function findObject(source: PythonSource, module: string, name: string, depth = 0): { kind: AppObjectKind; module: PythonModule } | undefined {
  const mod = source.modules.find((m) => m.module === module);
  if (!mod || depth > 10) return undefined;
  const obj = [...mod.objects].reverse().find((o) => o.name === name);
  if (!obj) return undefined;
  if (obj.aliasOf) {
    const target = findObject(source, obj.aliasOf.module, obj.aliasOf.name, depth + 1);
    if (target) return target;
    // `from app import app` where app is a package whose __init__ defines it.
    return { kind: obj.kind, module: mod };
  }
  return { kind: obj.kind, module: mod };
}

function traceback(frames: Frame[], server: PythonServer, runtimeVersion: string, syntax = false): string[] {
  const minor = runtimeVersion.split('.').slice(0, 2).join('.');
  const site = `/var/app/venv/staging-LQM1lest/lib64/python${minor}/site-packages`;
  const lib = `/usr/lib64/python${minor}`;
  const head: string[] =
    server === 'gunicorn'
      ? [
          `  File "${site}/gunicorn/arbiter.py", line 608, in spawn_worker`,
          '    worker.init_process()',
          `  File "${site}/gunicorn/workers/gthread.py", line 94, in init_process`,
          '    super().init_process()',
          `  File "${site}/gunicorn/workers/base.py", line 135, in init_process`,
          '    self.load_wsgi()',
          `  File "${site}/gunicorn/workers/base.py", line 147, in load_wsgi`,
          '    self.wsgi = self.app.wsgi()',
          `  File "${site}/gunicorn/app/wsgiapp.py", line 66, in load`,
          '    return self.load_wsgiapp()',
          `  File "${site}/gunicorn/util.py", line 370, in import_app`,
          '    mod = importlib.import_module(module)',
          `  File "${lib}/importlib/__init__.py", line 88, in import_module`,
          '    return _bootstrap._gcd_import(name[level:], package, level)',
          '  File "<frozen importlib._bootstrap>", line 1387, in _gcd_import',
          '  File "<frozen importlib._bootstrap>", line 1360, in _find_and_load',
          '  File "<frozen importlib._bootstrap>", line 1331, in _find_and_load_unlocked',
          '  File "<frozen importlib._bootstrap>", line 935, in _load_unlocked',
          '  File "<frozen importlib._bootstrap_external>", line 1026, in exec_module',
          '  File "<frozen importlib._bootstrap>", line 488, in _call_with_frames_removed',
        ]
      : server === 'uvicorn'
        ? [
            `  File "${site}/uvicorn/importer.py", line 19, in import_from_string`,
            '    module = importlib.import_module(module_str)',
            `  File "${lib}/importlib/__init__.py", line 88, in import_module`,
            '    return _bootstrap._gcd_import(name[level:], package, level)',
            '  File "<frozen importlib._bootstrap_external>", line 1026, in exec_module',
            '  File "<frozen importlib._bootstrap>", line 488, in _call_with_frames_removed',
          ]
        : [];
  const user = frames.flatMap((f, i) =>
    syntax && i === frames.length - 1
      ? [`  File "${APP_ROOT}/${f.file}", line ${f.line}`, `    ${f.code}`, `    ${' '.repeat(Math.max(0, f.code.search(/[([{]/)))}^`]
      : [`  File "${APP_ROOT}/${f.file}", line ${f.line}, in <module>`, `    ${f.code}`],
  );
  return ['Traceback (most recent call last):', ...head, ...user];
}

const FLASK_404 =
  '<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n';
const FASTAPI_404 = '{"detail":"Not Found"}';
const DJANGO_404 =
  '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n';

/** Starts the Python web process for a command. Never throws; the outcome says how it ran or died. */
export function startPythonApp(source: PythonSource, files: SourceFiles, ctx: StartContext): StartOutcome {
  const cmd = parsePythonCommand(ctx.command, ctx.env);
  const t = gunicornTime(ctx.now);
  const pid = ctx.pid;
  const base: StartOutcome = { running: false, stdout: [], routes: [], answersEveryPath: false, notFound: { body: FLASK_404, contentType: 'text/html; charset=utf-8' }, framework: 'python' };
  const have = distributionsSatisfied(source);

  if (cmd.server === 'unknown') {
    const exists = files.paths.has(cmd.program.replace(/^\.\//, ''));
    const error = exists ? `/bin/sh: line 1: ${cmd.program}: Permission denied` : `/bin/sh: line 1: ${cmd.program}: command not found`;
    return { ...base, exit: { code: exists ? 126 : 127, error }, stdout: [error] };
  }
  if (cmd.server === 'uvicorn' && !have.has('uvicorn')) {
    const error = `/bin/sh: line 1: ${cmd.program}: command not found`;
    return { ...base, exit: { code: 127, error }, stdout: [error] };
  }
  if (cmd.error) {
    return { ...base, exit: { code: cmd.server === 'gunicorn' ? 1 : 2, error: cmd.error }, stdout: [cmd.error] };
  }
  if (cmd.asgiWorker && !have.has('uvicorn')) {
    const error = "ModuleNotFoundError: No module named 'uvicorn'";
    return {
      ...base,
      exit: { code: 1, error },
      stdout: [
        "Error: class uri 'uvicorn.workers.UvicornWorker' invalid or not found: ",
        '',
        '[Traceback (most recent call last):',
        `  File "/var/app/venv/staging-LQM1lest/lib64/python${ctx.runtimeVersion.split('.').slice(0, 2).join('.')}/site-packages/gunicorn/util.py", line 99, in load_class`,
        "    mod = importlib.import_module('.'.join(components))",
        `${error}`,
        ']',
      ],
    };
  }

  const loaded = new Map<string, PythonModule>();
  let entryModule: string;
  if (cmd.server === 'python') {
    const script = (cmd.script ?? '').replace(/^\.\//, '');
    if (!script || !files.paths.has(script)) {
      const error = `python3: can't open file '${APP_ROOT}/${script}': [Errno 2] No such file or directory`;
      return { ...base, exit: { code: 2, error }, stdout: [error] };
    }
    entryModule = script.replace(/\.py$/, '').replace(/\//g, '.');
  } else {
    entryModule = cmd.appModule!;
  }

  const entryExists = source.modules.some((m) => m.module === entryModule);
  // Gunicorn's documented default bind is 127.0.0.1:8000, or 0.0.0.0:$PORT when PORT is set and --bind is not.
  const gunicornHost = cmd.host !== undefined && cmd.host !== '' ? cmd.host : cmd.host === '' || (ctx.env.PORT && /^\d+$/.test(ctx.env.PORT)) ? '0.0.0.0' : '127.0.0.1';
  const bootLines = (): string[] =>
    cmd.server === 'gunicorn'
      ? [
          `[${t}] [${pid}] [INFO] Starting gunicorn 23.0.0`,
          `[${t}] [${pid}] [INFO] Listening at: ${cmd.unixSocket ? 'unix:/run/gunicorn.sock' : `http://${gunicornHost}:${cmd.port}`} (${pid})`,
          `[${t}] [${pid}] [INFO] Using worker: ${cmd.asgiWorker ? 'uvicorn.workers.UvicornWorker' : 'gthread'}`,
          `[${t}] [${pid + 9}] [INFO] Booting worker with pid: ${pid + 9}`,
        ]
      : cmd.server === 'uvicorn'
        ? []
        : [];
  const serverFails = (lines: string[], error: string, at?: { file: string; line: number }): StartOutcome => {
    if (cmd.server === 'gunicorn') {
      return {
        ...base,
        exit: { code: 3, error, ...(at ? { at } : {}) },
        stdout: [
          ...bootLines(),
          `[${t}] [${pid + 9}] [ERROR] Exception in worker process`,
          ...lines,
          `[${t}] [${pid + 9}] [INFO] Worker exiting (pid: ${pid + 9})`,
          `[${t}] [${pid}] [ERROR] Worker (pid:${pid + 9}) exited with code 3`,
          `[${t}] [${pid}] [ERROR] Shutting down: Master`,
          `[${t}] [${pid}] [ERROR] Reason: Worker failed to boot.`,
        ],
      };
    }
    if (cmd.server === 'uvicorn') {
      return { ...base, exit: { code: 1, error, ...(at ? { at } : {}) }, stdout: [...lines] };
    }
    return { ...base, exit: { code: 1, error, ...(at ? { at } : {}) }, stdout: lines };
  };

  if (!entryExists) {
    const missingPkg = entryModule.split('.')[0];
    const top = source.modules.some((m) => m.module === missingPkg);
    const error = `ModuleNotFoundError: No module named '${top ? entryModule : missingPkg}'`;
    if (cmd.server === 'uvicorn') {
      const msg = `ERROR:    Error loading ASGI app. Could not import module "${entryModule}".`;
      return { ...base, exit: { code: 1, error: msg }, stdout: [msg] };
    }
    return serverFails([...traceback([], 'gunicorn', ctx.runtimeVersion), error], error);
  }

  const failure = loadModule(entryModule, source, files, ctx.env, have, loaded, []);
  if (failure) {
    return serverFails([...traceback(failure.frames, cmd.server, ctx.runtimeVersion, failure.syntax), failure.error], failure.error, { file: failure.at.file, line: failure.at.line });
  }

  // The app object.
  let kind: AppObjectKind = 'other';
  let framework = 'python';
  const entry = source.modules.find((m) => m.module === entryModule)!;
  if (cmd.server !== 'python') {
    const obj = findObject(source, entryModule, cmd.appObject ?? 'application');
    if (!obj) {
      if (cmd.server === 'uvicorn') {
        const msg = `ERROR:    Error loading ASGI app. Attribute "${cmd.appObject}" not found in module "${entryModule}".`;
        return { ...base, exit: { code: 1, error: msg }, stdout: [msg] };
      }
      const error = `Failed to find attribute '${cmd.appObject}' in '${entryModule}'.`;
      return {
        ...base,
        exit: { code: 4, error },
        stdout: [
          ...bootLines(),
          `[${t}] [${pid + 9}] [ERROR] ${error}`,
          `[${t}] [${pid + 9}] [INFO] Worker exiting (pid: ${pid + 9})`,
          `[${t}] [${pid}] [ERROR] Worker (pid:${pid + 9}) exited with code 4`,
          `[${t}] [${pid}] [ERROR] Shutting down: Master`,
          `[${t}] [${pid}] [ERROR] Reason: App failed to load.`,
        ],
      };
    }
    kind = obj.kind;
  } else {
    kind = entry.objects.find((o) => o.kind === 'flask' || o.kind === 'fastapi')?.kind ?? 'other';
  }
  framework = kind === 'flask' || kind === 'fastapi' || kind === 'starlette' || kind === 'django' ? kind : kind === 'wsgi-function' ? 'wsgi' : kind === 'asgi-function' ? 'asgi' : 'python';

  // The port it listens on.
  let listenPort: number | undefined = cmd.unixSocket ? undefined : cmd.port;
  let listenHost: string | undefined = cmd.unixSocket ? undefined : cmd.server === 'gunicorn' ? gunicornHost : cmd.host;
  let stdout: string[];
  if (cmd.server === 'python') {
    const run = entry.mainRun;
    if (!run) {
      // The script runs to its end and exits: nothing keeps listening.
      const error = 'Process exited with status 0 without starting a server (no app.run(...) under if __name__ == "__main__").';
      return { ...base, exit: { code: 0, error }, stdout: [] };
    }
    const fromEnv = run.env ? ctx.env[run.env] : undefined;
    listenPort = run.literal ?? (fromEnv && /^\d+$/.test(fromEnv) ? Number(fromEnv) : (run.fallback ?? (run.server === 'uvicorn' ? 8000 : 5000)));
    // Flask's app.run() and uvicorn.run() both bind 127.0.0.1 unless given a host (their documented defaults);
    // other servers' run() defaults are not modelled.
    listenHost = resolveBindHost(run.host, ctx.env, run.server === 'other' ? undefined : '127.0.0.1');
    const shown = listenHost ?? '127.0.0.1';
    // Werkzeug names every address for 0.0.0.0/::; the third line it prints (the machine's own address) is left out.
    const flaskRunning = shown === '0.0.0.0' || shown === '::' ? [` * Running on all addresses (${shown})`, ` * Running on http://127.0.0.1:${listenPort}`] : [` * Running on http://${shown}:${listenPort}`];
    stdout =
      run.server === 'uvicorn'
        ? [`INFO:     Started server process [${pid}]`, 'INFO:     Waiting for application startup.', 'INFO:     Application startup complete.', `INFO:     Uvicorn running on http://${shown}:${listenPort} (Press CTRL+C to quit)`]
        : [` * Serving Flask app '${entry.module}'`, ' * Debug mode: off', 'WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.', ...flaskRunning, 'Press CTRL+C to quit'];
  } else if (cmd.server === 'uvicorn') {
    stdout = [`INFO:     Started server process [${pid}]`, 'INFO:     Waiting for application startup.', 'INFO:     Application startup complete.', `INFO:     Uvicorn running on http://${cmd.host}:${listenPort} (Press CTRL+C to quit)`];
  } else {
    stdout = bootLines();
  }

  // Routes of every module that loaded.
  const allFacts = [...loaded.values()].flatMap((m) => m.routes);
  const everyPath = allFacts.find((r) => r.path === '*' && r.object === cmd.appObject);
  const loadedModules = [...loaded.values()];
  const prefixOf = (object: string, module: PythonModule): string => {
    const own = module.prefixes?.find((p) => p.kind === 'own' && p.object === object)?.prefix ?? '';
    const mount = loadedModules.flatMap((m) => m.prefixes ?? []).find((p) => p.kind === 'mount' && p.object === object)?.prefix ?? '';
    return `${mount}${own}`;
  };
  // Django loads its URLconf on the first request, not at import: every urls.py counts.
  const routeModules = kind === 'django' ? [...loadedModules, ...source.modules.filter((m) => !loaded.has(m.module) && /(^|\/)urls\.py$/.test(m.file))] : loadedModules;
  const routeFacts = routeModules.flatMap((m) =>
    m.routes.filter((r) => r.path !== '*').map((r) => {
      const prefix = prefixOf(r.object, m);
      return { ...(prefix ? { ...r, path: `${prefix}${r.path === '/' && prefix ? '' : r.path}` || '/' } : r), module: m };
    }),
  );
  const json = framework === 'fastapi' || framework === 'starlette';
  const failureContext: FailureContext = { server: cmd.server, framework, env: ctx.env, files, pid, runtimeVersion: ctx.runtimeVersion };
  const routes: AppRoute[] = routeFacts.map(({ module, ...r }) => {
    const failure = r.hazards ? requestFailure(r.hazards, module, failureContext, r.handlerAsync === true) : undefined;
    return {
      method: r.method,
      path: r.path,
      status: r.status ?? (r.method === 'POST' && json ? 200 : 200),
      body: r.body !== undefined ? (json && r.contentType !== 'application/json' ? JSON.stringify(r.body) : r.body) : computedBody(r.method, r.path, r),
      contentType: r.body !== undefined ? (json ? 'application/json' : (r.contentType ?? 'text/html; charset=utf-8')) : 'text/plain; charset=utf-8',
      ...(failure ? { failure } : {}),
    };
  });
  const answersEveryPath = kind === 'wsgi-function' || kind === 'asgi-function' || kind === 'other' || (kind === 'django' && routes.length === 0);
  const outcome: StartOutcome = {
    running: true,
    stdout,
    listenPort,
    ...(listenHost !== undefined ? { listenHost } : {}),
    routes,
    answersEveryPath,
    notFound: json
      ? { body: FASTAPI_404, contentType: 'application/json' }
      : kind === 'django'
        ? { body: DJANGO_404, contentType: 'text/html; charset=utf-8' }
        : { body: FLASK_404, contentType: 'text/html; charset=utf-8' },
    framework,
  };
  if (answersEveryPath) {
    const ref = entry.objects.find((o) => o.name === cmd.appObject) ?? entry.objects[0];
    outcome.defaultResponse =
      everyPath?.body !== undefined
        ? { method: '*', path: '*', status: everyPath.status ?? 200, body: everyPath.body, contentType: everyPath.contentType ?? 'text/html' }
        : { method: '*', path: '*', status: everyPath?.status ?? 200, body: computedBody('*', '*', { file: entry.file, line: ref?.line ?? 1 }), contentType: 'text/plain; charset=utf-8' };
  }
  const asgiApp = kind === 'fastapi' || kind === 'starlette' || kind === 'asgi-function';
  const wsgiApp = kind === 'flask' || kind === 'django' || kind === 'wsgi-function';
  if (cmd.server === 'gunicorn' && !cmd.asgiWorker && asgiApp) {
    const cls = kind === 'fastapi' ? 'FastAPI' : kind === 'starlette' ? 'Starlette' : cmd.appObject;
    outcome.requestFailure = {
      status: 500,
      body: '<html>\n  <head>\n    <title>Internal Server Error</title>\n  </head>\n  <body>\n    <h1><p>Internal Server Error</p></h1>\n    \n  </body>\n</html>\n',
      log: [`[${t}] [${pid + 9}] [ERROR] Error handling request /`, 'Traceback (most recent call last):', `TypeError: ${cls}.__call__() missing 1 required positional argument: 'send'`],
    };
  }
  if ((cmd.server === 'uvicorn' || cmd.asgiWorker) && wsgiApp) {
    const cls = kind === 'flask' ? 'Flask' : kind === 'django' ? 'WSGIHandler' : cmd.appObject;
    outcome.requestFailure = {
      status: 500,
      body: 'Internal Server Error',
      log: ['ERROR:    Exception in ASGI application', 'Traceback (most recent call last):', `TypeError: ${cls}.__call__() missing 1 required positional argument: 'start_response'`],
    };
  }
  return outcome;
}

// ---------------------------------------------------------------------------------------------------------------
// Request-time failures, decided when the process starts (its environment and the bundle's files are known then)

interface FailureContext {
  server: PythonServer;
  framework: string;
  env: Record<string, string>;
  files: SourceFiles;
  pid: number;
  runtimeVersion: string;
}

const FLASK_500 =
  '<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an internal error and was unable to complete your request. Either the server is overloaded or there is an error in the application.</p>\n';

/** Python's repr() of a str, as exception messages show paths and keys. */
function pyRepr(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\');
  return value.includes("'") && !value.includes('"') ? `"${escaped}"` : `'${escaped.replace(/'/g, "\\'")}'`;
}

function posixNormalise(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  return `${absolute ? '/' : ''}${out.join('/')}`;
}

function joinPosix(parts: string[]): string {
  let path = '';
  for (const p of parts) path = p.startsWith('/') || !path ? p : `${path.replace(/\/+$/, '')}/${p}`;
  return path;
}

/**
 * The value of a path expression as the running process would compute it: string literals, module constants,
 * os.environ.get/os.getenv with a fallback, os.path.join/dirname/abspath, __file__, Path(...) with `/` and
 * `.parent`. Undefined when the expression is beyond that (the model then assumes the read succeeds).
 */
export function evaluatePathExpression(expr: string, module: PythonModule, env: Record<string, string>, depth = 0): string | undefined {
  const e = expr.trim();
  if (depth > 8 || !e) return undefined;
  const literal = stringLiteral(e);
  if (literal !== undefined) return literal;
  if (e === '__file__') return `${APP_ROOT}/${module.file}`;
  // Top-level `/` (pathlib): every part must resolve.
  const parts = splitTopLevel(e, '/');
  if (parts.length > 1) {
    const values = parts.map((p) => evaluatePathExpression(p, module, env, depth + 1));
    return values.every((v) => v !== undefined) ? joinPosix(values as string[]) : undefined;
  }
  const parent = /^(.*)\.parent$/.exec(e);
  if (parent) {
    const v = evaluatePathExpression(parent[1], module, env, depth + 1);
    return v === undefined ? undefined : posixNormalise(v).replace(/\/[^/]*$/, '') || '/';
  }
  const resolved = /^(.*)\.(?:resolve|absolute)\(\s*\)$/.exec(e);
  if (resolved) {
    const v = evaluatePathExpression(resolved[1], module, env, depth + 1);
    return v === undefined ? undefined : posixNormalise(v.startsWith('/') ? v : `${APP_ROOT}/${v}`);
  }
  const call = /^([\w.]+)\s*\(/.exec(e);
  if (call && balancedArgs(e, call[0].length - 1) !== undefined && e.endsWith(')') && balancedArgs(e, call[0].length - 1)!.length === e.length - call[0].length - 1) {
    const args = splitArgs(balancedArgs(e, call[0].length - 1)!);
    const arg = (i: number) => (args[i] === undefined ? undefined : evaluatePathExpression(args[i], module, env, depth + 1));
    switch (call[1]) {
      case 'os.environ.get':
      case 'environ.get':
      case 'os.getenv':
      case 'getenv': {
        const name = stringLiteral(args[0] ?? '');
        if (name === undefined) return undefined;
        if (env[name] !== undefined) return env[name];
        const fallback = args[1]?.replace(/^default\s*=\s*/, '');
        return fallback === undefined ? undefined : evaluatePathExpression(fallback, module, env, depth + 1);
      }
      case 'os.path.join':
      case 'path.join': {
        const values = args.map((_, i) => arg(i));
        return values.every((v) => v !== undefined) ? joinPosix(values as string[]) : undefined;
      }
      case 'os.path.dirname':
      case 'path.dirname': {
        const v = arg(0);
        return v === undefined ? undefined : v.includes('/') ? v.replace(/\/[^/]*$/, '') || '/' : '';
      }
      case 'os.path.abspath':
      case 'os.path.realpath': {
        const v = arg(0);
        return v === undefined ? undefined : posixNormalise(v.startsWith('/') ? v : `${APP_ROOT}/${v}`);
      }
      case 'Path':
      case 'pathlib.Path':
      case 'PurePath': {
        if (args.length === 0) return '.';
        const values = args.map((_, i) => arg(i));
        return values.every((v) => v !== undefined) ? joinPosix(values as string[]) : undefined;
      }
      case 'str':
      case 'os.fspath':
        return arg(0);
      default:
        return undefined;
    }
  }
  const subscript = /^(?:os\.)?environ\[\s*(['"])(\w+)\1\s*\]$/.exec(e);
  if (subscript) return env[subscript[2]];
  if (/^[A-Za-z_]\w*$/.test(e) && module.constants?.[e] !== undefined) return evaluatePathExpression(module.constants[e], module, env, depth + 1);
  return undefined;
}

function splitTopLevel(expr: string, op: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && c === op && expr[i + 1] !== op && expr[i - 1] !== op) {
      out.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  out.push(expr.slice(start));
  return out.map((p) => p.trim());
}

/** The bundle path a runtime path names (cwd /var/app/current), or undefined for paths outside the app. */
function bundlePathOf(path: string): string | undefined {
  const absolute = path.startsWith('/') ? posixNormalise(path) : posixNormalise(`${APP_ROOT}/${path}`);
  return absolute.startsWith(`${APP_ROOT}/`) ? absolute.slice(APP_ROOT.length + 1) : undefined;
}

/** The first hazard of a handler that fails with this process's environment and bundle, as the framework reports it. */
function requestFailure(hazards: RequestHazard[], module: PythonModule, ctx: FailureContext, asyncHandler: boolean): RequestFailure | undefined {
  for (const h of hazards) {
    let error: string | undefined;
    let inner: string[] = [];
    if (h.kind === 'env-var') {
      if (ctx.env[h.target] !== undefined) continue;
      error = `KeyError: ${pyRepr(h.target)}`;
      inner = ['  File "<frozen os>", line 716, in __getitem__'];
    } else {
      const path = evaluatePathExpression(h.target, module, ctx.env);
      if (path === undefined) continue;
      const inBundle = bundlePathOf(path);
      if (inBundle === undefined || ctx.files.paths.has(inBundle)) continue;
      const dirInBundle = [...ctx.files.paths].some((p) => p.startsWith(`${inBundle}/`));
      error = dirInBundle ? `IsADirectoryError: [Errno 21] Is a directory: ${pyRepr(path)}` : `FileNotFoundError: [Errno 2] No such file or directory: ${pyRepr(path)}`;
    }
    const frames = [...h.via, { file: h.file, line: h.line, code: h.code, function: h.function }].flatMap((f) => [`  File "${APP_ROOT}/${f.file}", line ${f.line}, in ${f.function}`, `    ${f.code}`]);
    const flask = ctx.framework === 'flask';
    const asgi = ctx.framework === 'fastapi' || ctx.framework === 'starlette';
    if (!flask && !asgi) return undefined;
    const site = `/var/app/venv/staging-LQM1lest/lib64/python${ctx.runtimeVersion.split('.').slice(0, 2).join('.')}/site-packages`;
    const framework = flask ? flaskFrames(site) : asgiFrames(site, asyncHandler);
    return {
      status: 500,
      body: flask ? FLASK_500 : 'Internal Server Error',
      contentType: flask ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      error,
      traceback: ['Traceback (most recent call last):', ...framework, ...frames, ...inner, error],
      logger: flask ? 'flask' : ctx.server === 'gunicorn' ? 'gunicorn' : 'uvicorn',
      pid: ctx.pid,
      workerPid: ctx.server === 'gunicorn' ? ctx.pid + 9 : ctx.pid,
    };
  }
  return undefined;
}

function flaskFrames(site: string): string[] {
  return [
    `  File "${site}/flask/app.py", line 1511, in wsgi_app`,
    '    response = self.full_dispatch_request()',
    `  File "${site}/flask/app.py", line 919, in full_dispatch_request`,
    '    rv = self.handle_user_exception(e)',
    `  File "${site}/flask/app.py", line 917, in full_dispatch_request`,
    '    rv = self.dispatch_request()',
    `  File "${site}/flask/app.py", line 902, in dispatch_request`,
    '    return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)  # type: ignore[no-any-return]',
  ];
}

function asgiFrames(site: string, asyncHandler: boolean): string[] {
  const head = [
    `  File "${site}/uvicorn/protocols/http/h11_impl.py", line 403, in run_asgi`,
    '    result = await app(  # type: ignore[func-returns-value]',
    `  File "${site}/uvicorn/middleware/proxy_headers.py", line 60, in __call__`,
    '    return await self.app(scope, receive, send)',
    `  File "${site}/fastapi/applications.py", line 1054, in __call__`,
    '    await super().__call__(scope, receive, send)',
    `  File "${site}/starlette/applications.py", line 113, in __call__`,
    '    await self.middleware_stack(scope, receive, send)',
    `  File "${site}/starlette/middleware/errors.py", line 186, in __call__`,
    '    raise exc',
    `  File "${site}/starlette/middleware/errors.py", line 164, in __call__`,
    '    await self.app(scope, receive, _send)',
    `  File "${site}/starlette/middleware/exceptions.py", line 62, in __call__`,
    '    await wrap_app_handling_exceptions(self.app, conn)(scope, receive, send)',
    `  File "${site}/starlette/_exception_handler.py", line 53, in wrapped_app`,
    '    raise exc',
    `  File "${site}/starlette/_exception_handler.py", line 42, in wrapped_app`,
    '    await app(scope, receive, sender)',
    `  File "${site}/starlette/routing.py", line 715, in __call__`,
    '    await self.middleware_stack(scope, receive, send)',
    `  File "${site}/starlette/routing.py", line 735, in app`,
    '    await route.handle(scope, receive, send)',
    `  File "${site}/starlette/routing.py", line 288, in handle`,
    '    await self.app(scope, receive, send)',
    `  File "${site}/starlette/routing.py", line 76, in app`,
    '    await wrap_app_handling_exceptions(app, request)(scope, receive, send)',
    `  File "${site}/starlette/_exception_handler.py", line 53, in wrapped_app`,
    '    raise exc',
    `  File "${site}/starlette/_exception_handler.py", line 42, in wrapped_app`,
    '    await app(scope, receive, sender)',
    `  File "${site}/starlette/routing.py", line 73, in app`,
    '    response = await f(request)',
    `  File "${site}/fastapi/routing.py", line 301, in app`,
    '    raw_response = await run_endpoint_function(',
  ];
  // An `async def` endpoint is awaited in the event loop; a plain `def` one runs in Starlette's thread pool.
  if (asyncHandler) return [...head, `  File "${site}/fastapi/routing.py", line 212, in run_endpoint_function`, '    return await dependant.call(**values)'];
  return [
    ...head,
    `  File "${site}/fastapi/routing.py", line 214, in run_endpoint_function`,
    '    return await run_in_threadpool(dependant.call, **values)',
    `  File "${site}/starlette/concurrency.py", line 37, in run_in_threadpool`,
    '    return await anyio.to_thread.run_sync(func)',
    `  File "${site}/anyio/to_thread.py", line 56, in run_sync`,
    '    return await get_async_backend().run_sync_in_worker_thread(',
    `  File "${site}/anyio/_backends/_asyncio.py", line 2461, in run_sync_in_worker_thread`,
    '    return await future',
    `  File "${site}/anyio/_backends/_asyncio.py", line 962, in run`,
    '    result = context.run(func, *args)',
  ];
}

/** The lines the app writes for a failed request (without the journald prefix), at the request's time. */
export function requestFailureLog(failure: RequestFailure, method: string, path: string, now: number, clientIp = '127.0.0.1'): string[] {
  const d = new Date(now);
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  switch (failure.logger) {
    case 'flask':
      // Flask's default handler: [%(asctime)s] %(levelname)s in %(module)s: %(message)s
      return [`[${gunicornTime(now).replace(' +0000', '')},${ms}] ERROR in app: Exception on ${path} [${method}]`, ...failure.traceback];
    case 'gunicorn':
      return [`[${gunicornTime(now)}] [${failure.workerPid}] [ERROR] Exception in ASGI application`, ...failure.traceback];
    case 'uvicorn': {
      const access = `INFO:     ${clientIp}:${40000 + (now % 20000)} - "${method} ${path} HTTP/1.1" 500 Internal Server Error`;
      return ['ERROR:    Exception in ASGI application', ...failure.traceback, access];
    }
  }
}
