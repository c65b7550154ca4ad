// Custom checks for the docker-platform lab: the Dockerfile's CMD starts a server on the EXPOSEd port and on every
// interface, the image built from the deployed bundle leaves out local files, and the app answers on its URL.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { unzipSync, strFromU8 } from 'fflate';
import ignore from 'ignore';
import { CheckFailure, defineChecks, fileEvidence, listVersions, readWorkspaceText, requireEnvironment } from '../../src/checks/index.ts';
import type { CheckContext, CheckOutcome, EnvironmentAnswer, Evidence } from '../../src/checks/index.ts';

interface Instruction {
  keyword: string;
  args: string;
  /** Offset of the instruction in the file's text, for file:line evidence. */
  offset: number;
}

/** Dockerfile instructions, with `\` continuations joined and comments skipped (Docker's parser rules). */
export function dockerfileInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const start = offset;
    let line = lines[i].replace(/\r$/, '');
    offset += lines[i].length + 1;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) {
      line = line.replace(/\\\s*$/, ' ');
      i++;
      offset += lines[i].length + 1;
      const next = lines[i].replace(/\r$/, '');
      if (!/^\s*#/.test(next)) line += next;
    }
    const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(line);
    if (m) out.push({ keyword: m[1].toUpperCase(), args: (m[2] ?? '').trim(), offset: start });
  }
  return out;
}

/** An instruction's words: the exec form (a JSON array) or the shell form split on spaces and quotes. */
function words(args: string): string[] {
  if (args.startsWith('[')) {
    try {
      const parsed = JSON.parse(args) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Docker runs a malformed JSON array in the shell form.
    }
  }
  return [...args.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

interface Listen {
  server: string;
  host: string;
  port: number | undefined;
  /** How the address was chosen, for messages: `--bind :8000`, `Gunicorn's default`. */
  from: string;
}

/** Where the Python server a command starts listens (Gunicorn's and Uvicorn's documented defaults are 127.0.0.1:8000). */
export function listenOf(command: string[], env: Record<string, string>): Listen | undefined {
  let w = command;
  if ((w[0] === 'sh' || w[0] === '/bin/sh') && w[1] === '-c' && w[2]) w = words(w[2]);
  while (w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[0])) w = w.slice(1);
  if (w[0] === 'exec') w = w.slice(1);
  if (/^python3?(\.\d+)?$/.test(w[0] ?? '') && w[1] === '-m') w = w.slice(2);
  const server = (w[0] ?? '').split('/').pop() ?? '';
  const expand = (v: string) => v.replace(/\$\{?(\w+)\}?/g, (_, name: string) => env[name] ?? '');
  const flag = (names: string[]): string | undefined => {
    for (let i = 1; i < w.length; i++) {
      for (const n of names) {
        if (w[i] === n) return expand(w[i + 1] ?? '');
        if (n.startsWith('--') && w[i].startsWith(`${n}=`)) return expand(w[i].slice(n.length + 1));
        if (!n.startsWith('--') && w[i].startsWith(n) && w[i].length > n.length) return expand(w[i].slice(n.length));
      }
    }
    return undefined;
  };
  if (server === 'gunicorn') {
    const bind = flag(['--bind', '-b']);
    if (bind === undefined) {
      const port = env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : undefined;
      // Gunicorn binds 0.0.0.0:$PORT when PORT is set, else 127.0.0.1:8000.
      return port ? { server, host: '0.0.0.0', port, from: 'Gunicorn with PORT set' } : { server, host: '127.0.0.1', port: 8000, from: "Gunicorn's default bind" };
    }
    const at = bind.lastIndexOf(':');
    const host = at >= 0 ? bind.slice(0, at) || '0.0.0.0' : bind;
    const port = at >= 0 && /^\d+$/.test(bind.slice(at + 1)) ? Number(bind.slice(at + 1)) : at >= 0 ? undefined : 8000;
    return { server, host, port, from: `--bind ${bind}` };
  }
  if (server === 'uvicorn') {
    const host = flag(['--host']);
    const port = flag(['--port']);
    return {
      server,
      host: host ?? '127.0.0.1',
      port: port === undefined ? 8000 : /^\d+$/.test(port) ? Number(port) : undefined,
      from: [host === undefined ? "Uvicorn's default host" : `--host ${host}`, port === undefined ? "Uvicorn's default port" : `--port ${port}`].join(', '),
    };
  }
  return undefined;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?)$/;
const SERVER = /\b(gunicorn|uvicorn)\b/;

function fail(expected: string, found: string, reason: string, hintLevel: 'nudge' | 'concept' | 'fix', evidence: Evidence[] = []): CheckOutcome {
  return { pass: false, expected, found, reason, hintLevel, evidence };
}

async function dockerfileServesApp(params: Record<string, unknown>, ctx: CheckContext): Promise<CheckOutcome> {
  const path = String(params.path ?? 'Dockerfile');
  const expected = `${path} EXPOSEs the port its CMD's server listens on, the server listens on every interface (not 127.0.0.1), and CMD starts it.`;
  const text = await readWorkspaceText(ctx, path);
  if (text === undefined) {
    const lower = (await ctx.fs.readdir(ctx.workspaceDir)).find((n) => n.toLowerCase() === path.toLowerCase());
    if (lower) return fail(expected, `There is a file ${lower}, but Elastic Beanstalk only looks for ${path}, spelled exactly so.`, 'wrong-name', 'fix');
    return fail(expected, `There is no ${path} in your workspace.`, 'missing-file', 'nudge');
  }
  const instructions = dockerfileInstructions(text);
  const env: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.keyword === 'ENV')) {
    for (const m of i.args.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g)) env[m[1]] = m[2].replace(/^["']|["']$/g, '');
    const single = /^(\w+)\s+([^=\s][\s\S]*)$/.exec(i.args);
    if (single && !i.args.includes('=')) env[single[1]] = single[2];
  }
  const cmd = [...instructions].reverse().find((x) => x.keyword === 'CMD');
  const entrypoint = [...instructions].reverse().find((x) => x.keyword === 'ENTRYPOINT');
  const expose = instructions.find((x) => x.keyword === 'EXPOSE');
  if (!cmd && !entrypoint) {
    const run = instructions.find((x) => x.keyword === 'RUN' && SERVER.test(x.args) && !/\bpip\b/.test(x.args));
    if (run) {
      return fail(expected, `${path} starts the server in a RUN instruction, which runs once while the image is built; it has no CMD, so the container starts nothing.`, 'server-in-run', 'fix', [fileEvidence(path, text, run.offset)]);
    }
    return fail(expected, `${path} has no CMD (or ENTRYPOINT): the container has no command to start.`, 'no-cmd', 'concept');
  }
  const command = [...(entrypoint ? words(entrypoint.args) : []), ...(cmd ? words(cmd.args) : [])];
  const commandEvidence = fileEvidence(path, text, (cmd ?? entrypoint)!.offset);
  const listen = listenOf(command, env);
  if (!listen) {
    return fail(expected, `The container runs \`${command.join(' ')}\`, which does not start Gunicorn or Uvicorn on app.main:app.`, 'wrong-command', 'concept', [commandEvidence]);
  }
  if (!command.some((w) => /(^|\s)app\.main:app$/.test(w))) {
    return fail(expected, `The container starts ${listen.server}, but not on app.main:app (the FastAPI object \`app\` in app/main.py).`, 'wrong-module', 'fix', [commandEvidence]);
  }
  if (listen.server === 'gunicorn' && !command.some((w, i) => /uvicorn\.workers\.UvicornWorker/.test(w) && (/^(-k|--worker-class)/.test(command[i - 1] ?? '') || /^(-k|--worker-class)=?/.test(w)))) {
    return fail(expected, 'Gunicorn starts without Uvicorn\'s worker class, so its WSGI workers call the FastAPI (ASGI) app the wrong way.', 'wsgi-worker', 'fix', [commandEvidence]);
  }
  if (!expose) {
    return fail(expected, `${path} has no EXPOSE, so the proxy has no port to forward to (the deployment fails).`, 'no-expose', 'concept', [commandEvidence]);
  }
  const exposed = Number((/^(\d+)/.exec(words(expose.args)[0] ?? '') ?? [])[1]);
  const exposeEvidence = fileEvidence(path, text, expose.offset);
  if (listen.port === undefined) {
    return fail(expected, `${listen.server}'s ${listen.from} names no port nginx can forward to.`, 'no-port', 'fix', [commandEvidence]);
  }
  if (exposed !== listen.port) {
    return fail(expected, `nginx forwards to port ${Number.isNaN(exposed) ? '(none)' : exposed} (the first EXPOSE), but ${listen.server} listens on port ${listen.port} (${listen.from}).`, 'port-mismatch', 'fix', [exposeEvidence, commandEvidence]);
  }
  if (LOOPBACK.test(listen.host)) {
    return fail(
      expected,
      `${listen.server} listens on ${listen.host}:${listen.port} (${listen.from}): inside a container that is the container's own loopback, which nginx on the instance cannot reach. Listen on 0.0.0.0 (\`--bind :${listen.port}\`${listen.server === 'uvicorn' ? ` or \`--host 0.0.0.0\`` : ''}).`,
      'loopback',
      'fix',
      [commandEvidence],
    );
  }
  return { pass: true, expected, found: `EXPOSE ${exposed}; the CMD starts ${listen.server} on app.main:app, listening on ${listen.host}:${listen.port} (${listen.from}).`, evidence: [exposeEvidence, commandEvidence] };
}

/** The text files of the bundle an environment runs (read from S3 through the SDK, as Elastic Beanstalk does). */
async function deployedBundle(ctx: CheckContext, environment: string, expected: string): Promise<{ label: string; files: Map<string, Uint8Array> }> {
  const env = await requireEnvironment(ctx, environment, expected);
  if (!env.VersionLabel) throw new CheckFailure(fail(expected, `${environment} runs no application version (the sample application).`, 'no-version', 'nudge'));
  const version = (await listVersions(ctx, env.ApplicationName ?? '')).find((v) => v.VersionLabel === env.VersionLabel);
  const bucket = version?.SourceBundle?.S3Bucket;
  const key = version?.SourceBundle?.S3Key;
  if (!bucket || !key) throw new Error(`Version ${env.VersionLabel} of ${environment} has no source bundle in S3`);
  const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const bytes = await out.Body!.transformToByteArray();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (err) {
    throw new CheckFailure(fail(expected, `Version ${env.VersionLabel} is not a valid zip file (${(err as Error).message}).`, 'not-a-zip', 'fix'));
  }
  return { label: `version ${env.VersionLabel}`, files: new Map(Object.entries(files).filter(([name]) => !name.endsWith('/') && !name.startsWith('__MACOSX/'))) };
}

/** Whether a COPY/ADD source (relative to the build context) takes this file. */
function copies(source: string, file: string): boolean {
  const clean = source.replace(/^\.\//, '').replace(/\/+$/, '');
  if (clean === '' || clean === '.') return true;
  if (/[*?[]/.test(clean)) {
    const pattern = new RegExp(`^${clean.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}(/|$)`);
    return pattern.test(file);
  }
  return file === clean || file.startsWith(`${clean}/`);
}

/**
 * Files of the bundle that end up in the image: in the build context (not matched by .dockerignore, read with
 * gitignore rules, which agree with Docker's for the usual `name`, `dir/` and `*.ext` lines) and taken by a COPY
 * or ADD from the context (`--from` copies from another stage).
 */
export function filesInImage(files: string[], dockerfile: string, dockerignore: string | undefined): string[] {
  const ig = ignore();
  // Docker matches .dockerignore lines from the context root; a leading "/" means the same thing.
  if (dockerignore !== undefined) ig.add(dockerignore.split('\n').map((l) => l.trim().replace(/^(!?)\//, '$1')));
  const context = files.filter((f) => !ig.ignores(f));
  const sources = dockerfileInstructions(dockerfile)
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .flatMap((i) => {
      const w = words(i.args);
      if (w.some((x) => x.startsWith('--from'))) return [];
      return w.filter((x) => !x.startsWith('--')).slice(0, -1);
    });
  return context.filter((f) => sources.some((s) => copies(s, f)));
}

async function imageLeavesOut(params: Record<string, unknown>, ctx: CheckContext): Promise<CheckOutcome> {
  const environment = String(params.environment);
  const paths = (params.paths as unknown[]).map(String);
  const expected = `The image ${environment} builds leaves out ${paths.join(' and ')} (by .dockerignore, .ebignore, or COPY lines that do not take them).`;
  const bundle = await deployedBundle(ctx, environment, expected);
  const dockerfile = bundle.files.get('Dockerfile');
  if (!dockerfile) return fail(expected, `${bundle.label}, which ${environment} runs, has no Dockerfile at its root, so no image is built from it.`, 'no-dockerfile', 'nudge');
  const dockerignore = bundle.files.get('.dockerignore');
  const inImage = filesInImage([...bundle.files.keys()], strFromU8(dockerfile), dockerignore ? strFromU8(dockerignore) : undefined);
  const leaked = paths.flatMap((p) => {
    const clean = p.replace(/\/$/, '');
    return inImage.filter((f) => f === clean || f.startsWith(`${clean}/`));
  });
  if (leaked.length) {
    const shown = leaked.slice(0, 5).join(', ') + (leaked.length > 5 ? ` and ${leaked.length - 5} more` : '');
    return fail(
      expected,
      `The image built from ${bundle.label} gets ${shown}: ${dockerignore ? '.dockerignore does not leave them out' : 'the bundle has no .dockerignore'}, and the Dockerfile's COPY takes them from the build context.`,
      'in-image',
      dockerignore ? 'fix' : 'concept',
      leaked.slice(0, 3).map((f) => ({ kind: 'file' as const, text: f, source: `${bundle.label}` })),
    );
  }
  return { pass: true, expected, found: `None of ${paths.join(', ')} reach the image built from ${bundle.label} (${inImage.length} file(s) copied).` };
}

function answerEvidence(url: string, answer: EnvironmentAnswer | { error: string }): Evidence {
  if ('error' in answer) return { kind: 'traffic', text: `GET ${url} → no answer: ${answer.error}`, source: 'request' };
  if (answer.status === 0) return { kind: 'traffic', text: `GET ${url} → no answer: ${answer.connectionError?.message ?? 'no connection'}`, source: 'request' };
  const body = answer.body.replace(/\s+/g, ' ').trim().slice(0, 120);
  return { kind: 'traffic', text: `GET ${url} → ${answer.status}${body ? ` ${body}` : ''}`, source: answer.versionLabel ? `answered by ${answer.versionLabel}` : 'request' };
}

async function healthAnswers(params: Record<string, unknown>, ctx: CheckContext): Promise<CheckOutcome> {
  const environment = String(params.environment);
  const path = String(params.path ?? '/');
  const expected = `GET ${path} on ${environment}'s URL answers 200 from your version.`;
  const env = await requireEnvironment(ctx, environment, expected);
  if (!env.CNAME) return fail(expected, `${environment} has no URL yet (status ${env.Status}).`, 'no-url', 'nudge');
  const request = ctx.clients.sandbox?.request;
  if (!request) throw new Error('This check asks the environment URL through the sandbox cloud, and this backend has no sandbox evidence (use the built-in sandbox or academy cloud).');
  const url = `http://${env.CNAME}${path}`;
  let answer: EnvironmentAnswer | { error: string };
  try {
    answer = await request.call(ctx.clients.sandbox, { url, method: 'GET', headers: { 'user-agent': 'beanstalk-academy-check' } });
  } catch (error) {
    answer = { error: (error as Error).message };
  }
  const evidence = [answerEvidence(url, answer)];
  if ('error' in answer || answer.status === 0) return fail(expected, `Nothing answered GET ${url}.`, 'no-answer', 'concept', evidence);
  if (answer.status !== 200) {
    const why = answer.status === 502 ? ': nginx reached no server on the port it forwards to' : '';
    return fail(expected, `GET ${url} answered ${answer.status}${why}.`, 'wrong-status', 'concept', evidence);
  }
  if (!answer.versionLabel || (ctx.presetVersions.get(env.ApplicationName ?? '') ?? new Set()).has(answer.versionLabel)) {
    return fail(expected, `GET ${url} answered 200, but from ${answer.versionLabel ? `the preset's version ${answer.versionLabel}` : 'no application version'}.`, 'other-version', 'concept', evidence);
  }
  return { pass: true, expected, found: `GET ${url} answered 200 from ${answer.versionLabel}.`, evidence };
}

export default defineChecks({
  'dockerfile-serves-app': dockerfileServesApp,
  'image-leaves-out': imageLeavesOut,
  'health-answers': healthAnswers,
});
