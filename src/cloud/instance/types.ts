// The data a simulated instance works with: the report of an inspected bundle, the app model derived from its
// source, deployment steps with events and log lines, and the running process. All plain, JSON-safe data.

import type { OptionSettingInput } from '../services/elasticbeanstalk/options/index.ts';
import type { NginxConfigError, ServerRules } from './nginx-rules.ts';

export type EventSeverity = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/** An EB event as an instance causes it: the provider adds time, environment and RequestId. */
export interface InstanceEvent {
  severity: EventSeverity;
  message: string;
}

/** Log files of an AL2023 instance, as `eb logs` shows them. */
export const LOG_FILES = {
  engine: '/var/log/eb-engine.log',
  hooks: '/var/log/eb-hooks.log',
  cfnInit: '/var/log/cfn-init.log',
  cfnInitCmd: '/var/log/cfn-init-cmd.log',
  web: '/var/log/web.stdout.log',
  nginxError: '/var/log/nginx/error.log',
  nginxAccess: '/var/log/nginx/access.log',
} as const;

/** One line of one log file. `at` is epoch ms when known (deployments and requests), absent for bundle inspection. */
export interface LogLine {
  file: string;
  text: string;
  at?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Bundle inspection

export type BundleFailureKind =
  | 'not-a-zip'
  | 'empty'
  | 'too-large'
  | 'parent-folder'
  | 'zip-slip'
  | 'zip-bomb'
  | 'symlink'
  | 'invalid-ebextensions';

export interface BundleFailure {
  kind: BundleFailureKind;
  /** One sentence for a learner: what is wrong and how to fix it. */
  message: string;
  /** The path inside the bundle at fault, when there is one. */
  file?: string;
  /**
   * EB events in order, up to the instance's own failure; the provider adds the operation's conclusion
   * (`Failed to deploy application.`, `Failed to launch environment.`) or marks the version FAILED.
   */
  events: InstanceEvent[];
  logs: LogLine[];
}

export interface BundleEntry {
  /** Path inside the zip, `/`-separated; directories end with `/`. */
  path: string;
  size: number;
  compressedSize: number;
  directory: boolean;
  /** Unix permission bits from the external attributes (undefined when the zip was made without them). */
  mode?: number;
  executable: boolean;
  symlink: boolean;
}

export interface EbextensionsCommand {
  name: string;
  command: string | string[];
  cwd?: string;
  env?: Record<string, string>;
  test?: string;
  ignoreErrors: boolean;
}

export interface EbextensionsContainerCommand extends EbextensionsCommand {
  leaderOnly: boolean;
}

export interface EbextensionsFile {
  path: string;
  content?: string;
  source?: string;
  mode?: string;
  owner?: string;
  group?: string;
  encoding?: string;
}

export interface EbextensionsConfig {
  /** `.ebextensions/01-options.config` */
  file: string;
  format: 'yaml' | 'json';
  /** Set when the file is skipped (unknown top-level key): nothing in it runs. */
  skipped?: { reason: string };
  /** Normalised: namespace defaults to environment properties, values stringified. */
  optionSettings: OptionSettingInput[];
  /** `{ yum: { git: [] } }` */
  packages: Record<string, Record<string, string[]>>;
  groups: Record<string, unknown>;
  users: Record<string, unknown>;
  sources: Record<string, string>;
  files: EbextensionsFile[];
  /** Alphabetical by name, as EB runs them. */
  commands: EbextensionsCommand[];
  services: Record<string, unknown>;
  /** Alphabetical by name. */
  containerCommands: EbextensionsContainerCommand[];
  /** Logical names of CloudFormation `Resources`. */
  resources: string[];
  /** The `Resources` section as written (EB reads its overrides of the load balancer listener). */
  resourceDefinitions?: Record<string, unknown>;
}

export type HookPhase = 'prebuild' | 'predeploy' | 'postdeploy';

export interface HookScript {
  /** `.platform/hooks/prebuild/01_install.sh` */
  path: string;
  phase: HookPhase;
  /** Configuration-deployment hook (`.platform/confighooks/...`). */
  config: boolean;
  executable: boolean;
  /** The `#!` line, when there is one. */
  shebang?: string;
  /** Script text (up to 64 KiB) so the simulation can tell what it does. */
  content: string;
}

export type PlatformHooks = Record<HookPhase, HookScript[]>;

export interface ProxyConfig {
  /** `.platform/nginx/**` and `.platform/httpd/**` files. */
  files: string[];
  /** `.platform/nginx/nginx.conf` replaces the whole default configuration. */
  replacesMainConfig: boolean;
  /** A replacement nginx.conf that forgot `include conf.d/elasticbeanstalk/*.conf;` loses EB's proxy_pass. */
  keepsElasticBeanstalkInclude: boolean;
  /** `client_max_body_size` in bytes from the overrides; nginx's default is 1 MiB. */
  clientMaxBodySize?: number;
  /** Text form as written (`20M`). */
  clientMaxBodySizeText?: string;
  /** Where a proxy_pass override forwards to, when one is set (`proxy_pass http://127.0.0.1:3000;`). */
  proxyPassPort?: number;
  /** The server block's `set`/`if`/`return`/`rewrite`/`location` rules from `conf.d/elasticbeanstalk/*.conf`, when there are any. */
  rules?: ServerRules;
  /** What `nginx -t` refuses in the included files; the deployment fails on it. */
  configError?: NginxConfigError;
}

export interface ProcfileProcess {
  name: string;
  command: string;
  line: number;
}

export interface Procfile {
  processes: ProcfileProcess[];
  /** The `web` process, or the first one (EB's main process). */
  web?: ProcfileProcess;
  /** Lines that do not match `^[A-Za-z0-9_-]+:\s*[^\s].*$`, with their numbers; the deployment fails on them. */
  problems: { line: number; text: string; reason: string }[];
}

export interface BuildfileCommand {
  name: string;
  command: string;
  line: number;
}

// ---------------------------------------------------------------------------------------------------------------
// App model: facts read from the source text (never executed)

export interface SourceRef {
  file: string;
  line: number;
}

export interface EnvRead extends SourceRef {
  name: string;
  /** os.environ.get('X', 'd'), os.getenv('X', 'd'), process.env.X || 'd', process.env.X ?? 'd' */
  hasDefault: boolean;
  /** Read while the module loads (not inside a function or handler), so a missing value matters at start. */
  atStartup: boolean;
  /** Python os.environ['X'] raises; Node code that throws when the value is missing. */
  failsWhenMissing: boolean;
  /** The error the interpreter prints when the value is missing (`KeyError: 'X'`, `Error: X is required`). */
  error?: string;
}

export interface ImportRef extends SourceRef {
  /** Top-level package name: `flask`, `express`, `@aws-sdk/client-s3`. */
  module: string;
  /** Resolved to a file of the bundle (a local module) rather than a package. */
  local: boolean;
}

export interface RouteFact extends SourceRef {
  /** `GET`, `POST`, ... or `*` for any method. */
  method: string;
  /** Path as written: `/`, `/health`, `/pets/<id>`, `/pets/:id`, `/{id}`. */
  path: string;
  /** Status when the source says it plainly (`res.status(201)`, `return "x", 201`). */
  status?: number;
  /** A literal body when the source says it plainly. */
  body?: string;
  contentType?: string;
}

/** A statement of a request handler that can fail while a request runs (read from the source, never executed). */
export interface RequestHazard extends SourceRef {
  /** `open-file`: open()/Path.read_*() of a path for reading; `env-var`: os.environ['X'] without a fallback. */
  kind: 'open-file' | 'env-var';
  /** The path expression as written (`MODEL_PATH`, `"models/breeds-v4.onnx"`), or the variable's name. */
  target: string;
  /** The source line, for the traceback. */
  code: string;
  /** The function the statement is in: the handler, or a helper it calls. */
  function: string;
  /** The calls from the handler down to that helper, outermost first (empty when the handler itself does it). */
  via: (SourceRef & { function: string; code: string })[];
}

/** How a route's handler fails at request time: the answer, and what the app logs (web.stdout.log). */
export interface RequestFailure {
  status: number;
  body: string;
  contentType: string;
  /** The exception, e.g. `FileNotFoundError: [Errno 2] No such file or directory: 'models/breeds-v4.onnx'`. */
  error: string;
  /** `Traceback (most recent call last):`, its frames and the exception line, as the framework logs them. */
  traceback: string[];
  /** Who writes the entry's first line: Flask's app logger, Gunicorn's error log (Uvicorn workers), Uvicorn alone. */
  logger: 'flask' | 'gunicorn' | 'uvicorn';
  /** Process id of the web service (journald prefix) and of the worker that logs. */
  pid: number;
  workerPid: number;
}

export type AppObjectKind = 'flask' | 'fastapi' | 'starlette' | 'django' | 'wsgi-function' | 'asgi-function' | 'other';

export interface PythonModule {
  /** `app/main.py` */
  file: string;
  /** `app.main` */
  module: string;
  imports: ImportRef[];
  envReads: EnvRead[];
  /** Module-level names: app objects and callables; `aliasOf` for `from x import app as application` / `application = app`. */
  objects: { name: string; kind: AppObjectKind; line: number; aliasOf?: { module: string; name: string } }[];
  /** `app.run(port=...)` / `uvicorn.run(...)` under `if __name__ == '__main__'`, for `python app.py` commands. */
  mainRun?: SourceRef & { literal?: number; env?: string; fallback?: number; server: 'flask' | 'uvicorn' | 'other'; host?: BindHost };
  routes: (RouteFact & { object: string; handler?: string; handlerAsync?: boolean; hazards?: RequestHazard[] })[];
  /** Module-level `NAME = expression` assignments the hazards' paths refer to (resolved when the process starts). */
  constants?: Record<string, string>;
  /** First syntax problem spotted (unbalanced brackets, tabs/spaces), if any. */
  syntaxError?: { line: number; message: string };
  /** URL prefixes: `Blueprint(..., url_prefix='/api')`, `APIRouter(prefix='/pets')` (kind `own`), and where a router is mounted (`register_blueprint(bp, url_prefix=...)`, `include_router(router, prefix=...)`, kind `mount`). */
  prefixes?: { object: string; prefix: string; kind: 'own' | 'mount' }[];
}

export interface PythonSource {
  modules: PythonModule[];
  /** Normalised distribution names from requirements.txt; undefined when there is no requirements.txt. */
  requirements?: string[];
  /** Pipfile / pyproject.toml present (EB installs from requirements.txt only on AL2023 unless Pipfile). */
  otherManifests: string[];
}

/**
 * The address a server is told to bind, as written in the source: `'127.0.0.1'` → { literal }, `os.environ.get('HOST',
 * '0.0.0.0')` / `process.env.HOST || 'localhost'` → { env, fallback }. An empty object: an expression the reader cannot
 * evaluate. Absent (on the call): no host argument, so the server's own default applies.
 */
export interface BindHost {
  literal?: string;
  env?: string;
  fallback?: string;
}

export interface NodeFile {
  /** `server.js`, `src/index.mjs` */
  file: string;
  requires: ImportRef[];
  envReads: EnvRead[];
  framework: 'express' | 'http' | 'fastify' | 'koa' | 'none';
  /** ES module syntax (import/export), which changes Node's error texts. */
  esm: boolean;
  /** Directories served by `express.static('public')`, with their URL prefix. */
  staticDirs: { urlPrefix: string; dir: string }[];
  /** A literal or template the listen callback logs, e.g. `Server listening on port ${PORT}`. */
  listenLog?: string;
  /** `app.listen(process.env.PORT || 3000)` → { env: 'PORT', fallback: 3000 }; `listen(3000)` → { literal: 3000 }. */
  listen?: SourceRef & { env?: string; fallback?: number; literal?: number; host?: BindHost };
  routes: RouteFact[];
  syntaxError?: { line: number; message: string };
  /** Routers of other files mounted under a prefix: `app.use('/pets', require('./routes/pets'))`. */
  mounts?: { prefix: string; file: string }[];
}

export interface PackageJson {
  name?: string;
  /** `"type": "module"` makes .js files ES modules. */
  type?: string;
  version?: string;
  main?: string;
  startScript?: string;
  /** dependencies + optionalDependencies (what `npm install --omit=dev` installs). */
  dependencies: string[];
  devDependencies: string[];
  engines?: string;
  /** JSON parse error text, when the file is broken. */
  error?: string;
}

export interface NodeSource {
  packageJson?: PackageJson;
  files: NodeFile[];
}

export interface DockerSource {
  dockerfile?: { from?: string; exposes: number[]; cmd?: string; entrypoint?: string; env: Record<string, string> };
  /** Dockerrun.aws.json v1: first ContainerPort. */
  dockerrunPort?: number;
  /** docker-compose.yml: the host side of the first port mapping to 80, or the first container port. */
  composePort?: number;
  /** The app inside the image, when the Dockerfile copies a Node.js or Python app from the bundle. */
  innerLanguage?: 'nodejs' | 'python';
}

export interface AppSource {
  python?: PythonSource;
  node?: NodeSource;
  docker?: DockerSource;
  /** Source lines the facts cite (imports, environment reads), by file and line number, for interpreter tracebacks. */
  citedLines?: Record<string, Record<number, string>>;
}

// ---------------------------------------------------------------------------------------------------------------
// The report

export interface BundleReport {
  /** False when EB rejects the bundle (version processing FAILED, deployment fails at the start). */
  ok: boolean;
  failure?: BundleFailure;
  /** WARN events that do not stop anything (skipped .ebextensions files, `__MACOSX` entries ...). */
  warnings: InstanceEvent[];
  /** Size of the zip in bytes, and of its contents once extracted. */
  size: number;
  uncompressedSize: number;
  entries: BundleEntry[];
  /** .ebextensions/*.config in alphabetical order, including skipped ones. */
  ebextensions: EbextensionsConfig[];
  hooks: PlatformHooks;
  confighooks: PlatformHooks;
  proxy: ProxyConfig;
  procfile?: Procfile;
  buildfile?: BuildfileCommand[];
  app: AppSource;
}

// ---------------------------------------------------------------------------------------------------------------
// Deployment on one instance

export type DeploymentKind = 'app-deploy' | 'config-deploy' | 'launch';

export interface DeploymentStep {
  /** The eb-engine instruction, e.g. `StageApplication`, `RunAppDeployPreBuildHooks`, `FlipApplication`. */
  name: string;
  /** Step of reference §6.4 (1-10), for the timeline. */
  order: number;
  startedAt: number;
  durationMs: number;
  status: 'ok' | 'failed' | 'skipped';
  events: InstanceEvent[];
  logs: LogLine[];
}

export interface AppRoute {
  method: string;
  path: string;
  status: number;
  body: string;
  contentType: string;
  /** The handler raises on every request (a file missing from the bundle, an unset variable): 500 and a traceback. */
  failure?: RequestFailure;
}

/** The web process as it runs on an instance (plain data, JSON-safe). */
export interface AppProcess {
  instanceId: string;
  versionLabel: string;
  deploymentId: number;
  /** The command that started it, e.g. `gunicorn --bind :8000 application:application` or `npm start`. */
  command: string;
  commandSource: 'Procfile' | 'platform-default';
  /** `exited`: the process died at start (or never started); nginx answers 502. */
  state: 'running' | 'exited';
  exit?: { code: number; error: string; at?: SourceRef };
  /** Port the app listens on (undefined when it never listens). */
  listenPort?: number;
  /**
   * Port the proxy forwards to: the PORT environment property or the platform default (Docker: the container port;
   * ProxyServer none: the process port the load balancer targets). 0 when a replacement nginx.conf dropped EB's
   * `include conf.d/elasticbeanstalk/*.conf;`, so nginx forwards nowhere and answers 404 itself.
   */
  upstreamPort: number;
  proxyServer: 'nginx' | 'apache' | 'none';
  clientMaxBodySize: number;
  /** The nginx server block's rewrite rules (HTTP to HTTPS redirects ...), run before a request reaches the app. */
  nginxRules?: ServerRules;
  /** Routes the app answers; `answersEveryPath` for plain WSGI callables and plain node:http handlers. */
  routes: AppRoute[];
  answersEveryPath: boolean;
  /** What the app answers on every path when `answersEveryPath`. */
  defaultResponse?: AppRoute;
  /** The framework's own answer for an unknown path (Flask's HTML page, FastAPI's JSON, Express's `Cannot GET /x`). */
  notFound: { body: string; contentType: string };
  /** `flask`, `fastapi`, `express`, `http`, ... as read from the source. */
  framework: string;
  /** Every request fails inside the app (an ASGI app under a WSGI server): status, body and the app's log lines. */
  requestFailure?: { status: number; body: string; log: string[] };
  /** Static directories nginx serves (`/static` → `static`), with the files of the bundle under them. */
  staticFiles?: { urlPrefix: string; files: string[] }[];
  startedAt: number;
}

export interface InstanceDeploymentInput {
  report: BundleReport;
  versionLabel: string;
  instanceId: string;
  /** Runs leader_only container commands (one instance per deployment). */
  isLeader: boolean;
  /** Environment properties (`aws:elasticbeanstalk:application:environment`). */
  env: Record<string, string>;
  /** Effective option lookup (WSGIPath, ProxyServer, ...). */
  options: (namespace: string, optionName: string) => string | undefined;
  platform: import('../services/elasticbeanstalk/platforms.ts').PlatformVersion;
  /** Virtual time the deployment starts on this instance (epoch ms); log timestamps and step times derive from it. */
  startedAt: number;
  /** `launch`: a new instance joining (leader_only commands do not run); `config-deploy` runs confighooks. */
  kind?: DeploymentKind;
  deploymentId?: number;
}

export interface InstanceDeploymentResult {
  ok: boolean;
  steps: DeploymentStep[];
  durationMs: number;
  /** Events of every step, in order, ending in `Instance deployment completed successfully.` or the failure. */
  events: InstanceEvent[];
  logs: LogLine[];
  /** The web process when the deployment got as far as starting it (it may have exited at start). */
  process?: AppProcess;
  failure?: { step: string; message: string };
}

export interface AppRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Virtual time of the request (log timestamps). */
  now?: number;
  /** Client address for nginx's access log. */
  clientIp?: string;
}

export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** nginx access/error lines and app log lines the request caused. */
  logs: LogLine[];
}

export interface HealthCheckResult {
  healthy: boolean;
  status: number;
  /** Enhanced-health causes, e.g. `Following services are not running: web.` */
  causes: string[];
}
