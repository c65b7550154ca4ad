// Bundle inspection: zip validity and safety, .ebextensions, platform hooks, proxy overrides, Procfile, Buildfile
// and the app model, read once per application version (EB's "Process=true" validation and every deployment).

import type { PlatformVersion } from '../services/elasticbeanstalk/platforms.ts';
import { validateOptionSettings, type OptionContext, type OptionSettingInput } from '../services/elasticbeanstalk/options/index.ts';
import type { SourceFiles } from './app-model.ts';
import { analyseDocker } from './docker-app.ts';
import { parseConfigFile } from './ebextensions.ts';
import { isIncludedNginxFile, parseServerRules } from './nginx-rules.ts';
import { analyseNode } from './node-app.ts';
import { parseBuildfile, parseProcfile } from './procfile.ts';
import { analysePython } from './python-app.ts';
import type {
  AppSource,
  BundleEntry,
  BundleFailure,
  BundleFailureKind,
  BundleReport,
  HookPhase,
  HookScript,
  InstanceEvent,
  LogLine,
  PlatformHooks,
  ProxyConfig,
} from './types.ts';
import { LOG_FILES } from './types.ts';
import { findOverlappingEntry, readEntry, readZip, ZipFormatError, type ZipEntry } from './zip.ts';

/** Limits EB (and our browser-hosted extraction) apply to a bundle. */
export const BUNDLE_LIMITS = {
  /** 512 MiB: the console, the docs and the EB CLI agree. */
  maxBundleBytes: 536_870_912,
  /** What an instance's staging volume holds once extracted. */
  maxExtractedBytes: 2 * 1024 * 1024 * 1024,
  /** Compression ratio above which a large entry is treated as a zip bomb (deflate tops out near 1032:1). */
  maxEntryRatio: 1000,
  /** Entries smaller than this are never called bombs, whatever their ratio. */
  ratioCheckFromBytes: 1024 * 1024,
  maxEntries: 100_000,
  /** Largest file the instance reads as text for the app model. */
  maxTextFileBytes: 1024 * 1024,
} as const;

const NGINX_DEFAULT_BODY = 1024 * 1024;

export interface InspectOptions {
  /** Goes into EB's event texts (`... in application version v1 contains invalid YAML or JSON ...`). */
  versionLabel?: string;
}

const emptyHooks = (): PlatformHooks => ({ prebuild: [], predeploy: [], postdeploy: [] });

function emptyReport(size: number): BundleReport {
  return {
    ok: true,
    warnings: [],
    size,
    uncompressedSize: 0,
    entries: [],
    ebextensions: [],
    hooks: emptyHooks(),
    confighooks: emptyHooks(),
    proxy: { files: [], replacesMainConfig: false, keepsElasticBeanstalkInclude: true },
    app: {},
  };
}

// The instance cannot stage the bundle: eb-engine's StageApplication error, then the standard deployment failure.
// The first event's wording is ours (EB's own text for these cases is not documented); it follows EB's
// "Instance deployment ..." style and names what to fix.
function stageFailure(kind: BundleFailureKind, message: string, detail: string, file?: string): BundleFailure {
  const logs: LogLine[] = [
    { file: LOG_FILES.engine, text: '[INFO] Executing instruction: StageApplication' },
    { file: LOG_FILES.engine, text: `[ERROR] An error occurred during execution of command [app-deploy] - [StageApplication]. Stop running the command. Error: ${detail}` },
  ];
  return {
    kind,
    message,
    ...(file ? { file } : {}),
    events: [
      { severity: 'ERROR', message: `Instance deployment failed to extract the application source bundle: ${message}` },
      { severity: 'ERROR', message: "Instance deployment failed. For details, see 'eb-engine.log'." },
    ],
    logs,
  };
}

function fail(report: BundleReport, failure: BundleFailure): BundleReport {
  return { ...report, ok: false, failure };
}

const TEXT_FILE = /(^Procfile$|^Buildfile$|^requirements\.txt$|^package\.json$|^Dockerfile$|^Dockerrun\.aws\.json$|^docker-compose\.ya?ml$|^cron\.yaml$|^Pipfile$|^pyproject\.toml$|\.py$|\.(c|m)?js$|\.txt$|\.json$|^\.platform\/|^\.ebextensions\/)/;

function wantsText(path: string): boolean {
  if (path.startsWith('node_modules/') || path.startsWith('__MACOSX/')) return false;
  if (/^bin\/[^/.]+$/.test(path)) return true; // express-generator's bin/www and similar entry scripts
  if (/\.(c|m)?js$/.test(path) && /(^|\/)(dist|build|public|static|vendor)\//.test(path)) return false;
  return TEXT_FILE.test(path);
}

function isExecutable(mode: number | undefined): boolean {
  return mode !== undefined && (mode & 0o111) !== 0;
}

function parseSize(text: string): number | undefined {
  const m = /^(\d+)([kKmMgG]?)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2].toLowerCase();
  return Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : unit === 'g' ? 1024 * 1024 * 1024 : 1);
}

function proxyConfigOf(texts: Map<string, string>, paths: string[]): ProxyConfig {
  const files = paths.filter((p) => p.startsWith('.platform/nginx/') || p.startsWith('.platform/httpd/')).filter((p) => !p.endsWith('/'));
  const out: ProxyConfig = { files, replacesMainConfig: files.includes('.platform/nginx/nginx.conf'), keepsElasticBeanstalkInclude: true };
  for (const f of files.filter((p) => p.startsWith('.platform/nginx/')).sort()) {
    const text = texts.get(f) ?? '';
    const body = [...text.matchAll(/^\s*client_max_body_size\s+([^;\s]+)\s*;/gm)].pop();
    if (body) {
      const bytes = parseSize(body[1]);
      if (bytes !== undefined) {
        out.clientMaxBodySize = bytes === 0 ? Number.MAX_SAFE_INTEGER : bytes;
        out.clientMaxBodySizeText = body[1];
      }
    }
    const pass = /proxy_pass\s+http:\/\/(?:127\.0\.0\.1|localhost):(\d+)/.exec(text);
    if (pass) out.proxyPassPort = Number(pass[1]);
  }
  if (out.replacesMainConfig) {
    out.keepsElasticBeanstalkInclude = /include\s+conf\.d\/elasticbeanstalk\/\*\.conf\s*;/.test(texts.get('.platform/nginx/nginx.conf') ?? '');
  }
  // A replacement nginx.conf without EB's includes never reads the conf.d files.
  const included = files.filter((p) => isIncludedNginxFile(p) && (!out.replacesMainConfig || out.keepsElasticBeanstalkInclude));
  if (included.length) {
    const parsed = parseServerRules(included.map((path) => ({ path, text: texts.get(path) ?? '' })));
    if (parsed.error) out.configError = parsed.error;
    else if (parsed.rules && (parsed.rules.statements.length || parsed.rules.locations.some((l) => !l.file.startsWith('(platform)')))) out.rules = parsed.rules;
  }
  return out;
}

function hooksOf(entries: BundleEntry[], texts: Map<string, string>, root: '.platform/hooks' | '.platform/confighooks'): PlatformHooks {
  const out = emptyHooks();
  for (const phase of ['prebuild', 'predeploy', 'postdeploy'] as HookPhase[]) {
    const dir = `${root}/${phase}/`;
    const scripts: HookScript[] = entries
      .filter((e) => !e.directory && e.path.startsWith(dir) && !e.path.slice(dir.length).includes('/'))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      .map((e) => {
        const content = (texts.get(e.path) ?? '').slice(0, 64 * 1024);
        const shebang = /^#![^\n]*/.exec(content)?.[0];
        return { path: e.path, phase, config: root === '.platform/confighooks', executable: e.executable, content, ...(shebang ? { shebang } : {}) };
      });
    out[phase] = scripts;
  }
  return out;
}

/** The app model's source facts for the platform family. */
export function analyseApp(files: SourceFiles, platform: PlatformVersion): AppSource {
  const lang = platform.branch.language;
  let app: AppSource = {};
  if (lang === 'python') app = { python: analysePython(files) };
  else if (lang === 'nodejs') app = { node: analyseNode(files) };
  else if (lang === 'docker' || lang === 'ecs') {
    const docker = analyseDocker(files);
    if (docker.innerLanguage === 'python') app = { docker, python: analysePython(files) };
    else if (docker.innerLanguage === 'nodejs') app = { docker, node: analyseNode(files) };
    else app = { docker };
  }
  const cited: Record<string, Record<number, string>> = {};
  const split = new Map<string, string[]>();
  const cite = (file: string, line: number) => {
    const text = files.text.get(file);
    if (text === undefined) return;
    let lines = split.get(file);
    if (!lines) split.set(file, (lines = text.split(/\r?\n/)));
    (cited[file] ??= {})[line] = lines[line - 1] ?? '';
  };
  for (const m of app.python?.modules ?? []) {
    for (const r of [...m.imports, ...m.envReads]) cite(m.file, r.line);
    if (m.syntaxError) cite(m.file, m.syntaxError.line);
  }
  for (const f of app.node?.files ?? []) {
    for (const r of [...f.requires, ...f.envReads]) cite(f.file, r.line);
    if (f.syntaxError) cite(f.file, f.syntaxError.line);
  }
  if (Object.keys(cited).length) app.citedLines = cited;
  return app;
}

/** Inspects a source bundle for a platform. Pure; never throws on bad input (the report says what is wrong). */
export function inspectBundle(bytes: Uint8Array, platform: PlatformVersion, options: InspectOptions = {}): BundleReport {
  const label = options.versionLabel ?? 'the application version';
  const report = emptyReport(bytes.length);
  if (bytes.length > BUNDLE_LIMITS.maxBundleBytes) {
    return fail(
      report,
      stageFailure(
        'too-large',
        `The source bundle is ${bytes.length} bytes; the limit is 512 MB (536,870,912 bytes). Leave build output, node_modules and data files out of the zip (.ebignore).`,
        `source bundle of ${bytes.length} bytes exceeds the maximum size of 536870912 bytes`,
      ),
    );
  }
  let archive;
  try {
    archive = readZip(bytes);
  } catch (err) {
    const detail = err instanceof ZipFormatError ? err.message : String(err);
    return fail(
      report,
      stageFailure('not-a-zip', `The source bundle is not a valid ZIP archive (${detail.split('.')[0]}). Upload a .zip made with zip, eb deploy or git archive --format=zip.`, `cannot unzip source bundle: ${detail}`),
    );
  }
  const files = archive.entries.filter((e) => !e.directory);
  if (archive.entries.length > BUNDLE_LIMITS.maxEntries) {
    return fail(report, stageFailure('zip-bomb', `The source bundle has ${archive.entries.length} entries; more than ${BUNDLE_LIMITS.maxEntries} is refused as a zip bomb.`, 'too many entries in source bundle'));
  }
  report.entries = archive.entries.map((e: ZipEntry) => ({
    path: e.name,
    size: e.size,
    compressedSize: e.compressedSize,
    directory: e.directory,
    ...(e.unixMode !== undefined ? { mode: e.unixMode & 0o7777 } : {}),
    executable: isExecutable(e.unixMode),
    symlink: e.symlink,
  }));
  report.uncompressedSize = files.reduce((n, e) => n + e.size, 0);
  if (files.length === 0) {
    return fail(report, stageFailure('empty', 'The source bundle is empty. Zip the files of your application (not an empty folder).', 'source bundle contains no files'));
  }
  const slip = archive.entries.find((e) => e.name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(e.name) || e.name.split(/[\\/]/).includes('..'));
  if (slip) {
    return fail(
      report,
      stageFailure('zip-slip', `The entry '${slip.name}' points outside the application folder (an absolute path or '..'). Rebuild the zip from inside your project folder.`, `illegal file path in source bundle: ${slip.name}`, slip.name),
    );
  }
  const link = archive.entries.find((e) => e.symlink);
  if (link) {
    return fail(
      report,
      stageFailure('symlink', `The entry '${link.name}' is a symbolic link. EB does not deploy links from a bundle; zip the file it points to instead (zip without -y).`, `source bundle contains a symbolic link: ${link.name}`, link.name),
    );
  }
  if (report.uncompressedSize > BUNDLE_LIMITS.maxExtractedBytes) {
    return fail(
      report,
      stageFailure('zip-bomb', `The source bundle expands to ${report.uncompressedSize} bytes, more than the instance's staging space; it is refused as a zip bomb.`, `cannot unzip source bundle: write error (disk full?).  Continue? (y/n/^C) n`),
    );
  }
  const bomb = files.find((e) => e.size > BUNDLE_LIMITS.ratioCheckFromBytes && e.size / Math.max(1, e.compressedSize) > BUNDLE_LIMITS.maxEntryRatio);
  if (bomb) {
    return fail(
      report,
      stageFailure('zip-bomb', `The entry '${bomb.name}' expands ${Math.round(bomb.size / Math.max(1, bomb.compressedSize))} times (${bomb.compressedSize} → ${bomb.size} bytes); it is refused as a zip bomb.`, `suspicious compression ratio in ${bomb.name}`, bomb.name),
    );
  }
  const overlap = findOverlappingEntry(archive);
  if (overlap) {
    return fail(report, stageFailure('zip-bomb', `The entry '${overlap}' shares its data with another entry (an overlapping-file zip bomb).`, `invalid zip file with overlapped components (possible zip bomb): ${overlap}`, overlap));
  }

  // A parent folder instead of files at the root: every file sits under one top-level folder.
  const meaningful = files.filter((e) => !e.name.startsWith('__MACOSX/') && !/(^|\/)\.DS_Store$/.test(e.name));
  const tops = new Set(meaningful.map((e) => e.name.split('/')[0]));
  const atRoot = meaningful.some((e) => !e.name.includes('/'));
  if (!atRoot && tops.size === 1) {
    const folder = [...tops][0];
    if (folder !== '.ebextensions' && folder !== '.platform') {
      return fail(report, {
        kind: 'parent-folder',
        message: `All files of the bundle are inside the folder '${folder}/'. EB expects your application files (Procfile, package.json, application.py ...) at the root of the zip: zip the contents of the folder, not the folder.`,
        file: `${folder}/`,
        // Wording ours, in EB's "Instance deployment: ... The deployment failed." style (EB's own text is not documented).
        events: [
          {
            severity: 'ERROR',
            message: `Instance deployment: The source bundle has a single top-level folder '${folder}/' instead of your application files at its root. Zip the contents of the folder, not the folder itself. The deployment failed.`,
          },
          { severity: 'ERROR', message: "Instance deployment failed. For details, see 'eb-engine.log'." },
        ],
        logs: [
          { file: LOG_FILES.engine, text: '[INFO] Executing instruction: StageApplication' },
          { file: LOG_FILES.engine, text: `[ERROR] An error occurred during execution of command [app-deploy] - [StageApplication]. Stop running the command. Error: the source bundle contains only the top-level directory ${folder}/; application files must be at the root of the bundle` },
        ],
      });
    }
  }

  if (meaningful.some((e) => e.name.startsWith('__MACOSX/')) || files.some((e) => e.name.startsWith('__MACOSX/'))) {
    report.warnings.push({ severity: 'WARN', message: "The source bundle contains '__MACOSX/' entries (macOS Finder metadata). They are deployed as files; build the zip with `zip -r -X` or `eb deploy` to leave them out." });
  }

  // Text of the files the instance reads.
  const texts = new Map<string, string>();
  const decoder = new TextDecoder('utf-8');
  for (const e of files) {
    if (!wantsText(e.name) || e.size > BUNDLE_LIMITS.maxTextFileBytes) continue;
    try {
      texts.set(e.name, decoder.decode(readEntry(bytes, e, BUNDLE_LIMITS.maxTextFileBytes)));
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err);
      const lying = /declared size/.test(detail);
      return fail(
        report,
        stageFailure(lying ? 'zip-bomb' : 'not-a-zip', lying ? `The entry '${e.name}' expands past the size its header declares (a zip bomb).` : `The entry '${e.name}' cannot be extracted: ${detail}`, `cannot unzip source bundle: ${detail}`, e.name),
      );
    }
  }
  const paths = new Set(files.map((e) => e.name));
  for (const d of archive.entries.filter((e) => e.directory)) paths.add(d.name.replace(/\/$/, ''));

  // .ebextensions/*.config, alphabetical; the first invalid one fails the deployment.
  const configs = files.filter((e) => /^\.ebextensions\/[^/]+\.config$/.test(e.name)).map((e) => e.name).sort();
  for (const file of configs) {
    const parsed = parseConfigFile(file, texts.get(file) ?? '', label);
    if (!parsed.ok) {
      return fail(
        { ...report, ebextensions: report.ebextensions },
        {
          kind: 'invalid-ebextensions',
          message: `${file} is neither valid YAML nor valid JSON (${parsed.detail.split('\n')[0]}). Fix the file: YAML indents with spaces, never tabs.`,
          file,
          events: [parsed.event],
          logs: [
            { file: LOG_FILES.engine, text: '[INFO] Executing instruction: PreBuildEbExtension' },
            { file: LOG_FILES.engine, text: `[ERROR] An error occurred during execution of command [app-deploy] - [PreBuildEbExtension]. Stop running the command. Error: ${parsed.event.message}` },
          ],
        },
      );
    }
    if (parsed.warning) report.warnings.push(parsed.warning);
    report.ebextensions.push(parsed.config);
  }

  report.hooks = hooksOf(report.entries, texts, '.platform/hooks');
  report.confighooks = hooksOf(report.entries, texts, '.platform/confighooks');
  report.proxy = proxyConfigOf(texts, [...paths]);
  if (texts.has('Procfile')) report.procfile = parseProcfile(texts.get('Procfile')!);
  else if (paths.has('Procfile')) report.procfile = { processes: [], problems: [{ line: 0, text: '', reason: 'the Procfile is too large to read' }] };
  if (texts.has('Buildfile')) report.buildfile = parseBuildfile(texts.get('Buildfile')!).commands;
  report.app = analyseApp({ text: texts, paths }, platform);
  return report;
}

/** The option_settings of the bundle's .ebextensions in application order (later files win), skipped files left out. */
export function bundleOptionSettings(report: BundleReport): OptionSettingInput[] {
  return report.ebextensions.filter((c) => !c.skipped).flatMap((c) => c.optionSettings);
}

/**
 * Events for .ebextensions option_settings that fail validation: `"option_settings" in one of the configuration
 * files failed validation. More details to follow.` then the specific error. Empty when they are all valid.
 */
export function checkBundleOptionSettings(report: BundleReport, ctx: OptionContext): InstanceEvent[] {
  for (const config of report.ebextensions) {
    if (config.skipped) continue;
    const problems = validateOptionSettings(config.optionSettings, ctx).filter((p) => p.severity === 'error');
    if (problems.length) {
      return [
        { severity: 'ERROR', message: '"option_settings" in one of the configuration files failed validation. More details to follow.' },
        ...problems.map((p): InstanceEvent => ({ severity: 'ERROR', message: p.message.replace(/^Configuration validation exception: /, '') })),
      ];
    }
  }
  return [];
}
