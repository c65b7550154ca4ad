// The Docker platform's reading of a bundle: Dockerfile (FROM, EXPOSE, CMD), Dockerrun.aws.json v1 and
// docker-compose.yml ports, which language runs inside the image so the same app rules apply to it, and
// whether the container's server can be reached from nginx at all.

import { parse as parseYaml } from 'yaml';
import { shellWords, type SourceFiles } from './app-model.ts';
import { parsePythonCommand } from './python-app.ts';
import type { DockerSource } from './types.ts';

function instructionArgs(raw: string): string {
  const t = raw.trim();
  if (t.startsWith('[')) {
    try {
      const arr = JSON.parse(t) as unknown;
      if (Array.isArray(arr)) return arr.map((x) => (/\s/.test(String(x)) ? `'${String(x)}'` : String(x))).join(' ');
    } catch {
      // shell form after all
    }
  }
  return t;
}

export function analyseDocker(files: SourceFiles): DockerSource {
  const out: DockerSource = {};
  const dockerfile = files.text.get('Dockerfile');
  if (dockerfile !== undefined) {
    const joined = dockerfile.replace(/\\\r?\n/g, ' ');
    const df: NonNullable<DockerSource['dockerfile']> = { exposes: [], env: {} };
    for (const line of joined.split(/\r?\n/)) {
      const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
      if (!m || line.trim().startsWith('#')) continue;
      const instr = m[1].toUpperCase();
      if (instr === 'FROM' && df.from === undefined) df.from = m[2].trim().split(/\s+/)[0];
      if (instr === 'EXPOSE') for (const p of m[2].trim().split(/\s+/)) if (/^\d+(\/tcp)?$/.test(p)) df.exposes.push(Number(p.split('/')[0]));
      if (instr === 'CMD') df.cmd = instructionArgs(m[2]);
      if (instr === 'ENV') {
        const rest = m[2].trim();
        const pairs = [...rest.matchAll(/(\w+)=("[^"]*"|'[^']*'|\S+)/g)];
        if (pairs.length) for (const p of pairs) df.env[p[1]] = p[2].replace(/^["']|["']$/g, '');
        else {
          const sp = /^(\w+)\s+(.*)$/.exec(rest);
          if (sp) df.env[sp[1]] = sp[2];
        }
      }
      if (instr === 'ENTRYPOINT') df.entrypoint = instructionArgs(m[2]);
    }
    out.dockerfile = df;
    const image = (df.from ?? '').toLowerCase();
    if (/(^|\/)node(:|$)/.test(image)) out.innerLanguage = 'nodejs';
    else if (/(^|\/)python(:|$)/.test(image)) out.innerLanguage = 'python';
  }
  const dockerrun = files.text.get('Dockerrun.aws.json');
  if (dockerrun !== undefined) {
    try {
      const d = JSON.parse(dockerrun) as { Ports?: { ContainerPort?: number | string }[] };
      const p = d.Ports?.[0]?.ContainerPort;
      if (p !== undefined && /^\d+$/.test(String(p))) out.dockerrunPort = Number(p);
    } catch {
      // reported by the deployment (invalid Dockerrun.aws.json)
    }
  }
  const compose = files.text.get('docker-compose.yml') ?? files.text.get('docker-compose.yaml');
  if (compose !== undefined) {
    try {
      const c = parseYaml(compose) as { services?: Record<string, { ports?: (string | number)[] }> };
      for (const svc of Object.values(c?.services ?? {})) {
        const first = svc?.ports?.[0];
        if (first === undefined) continue;
        const parts = String(first).split(':');
        out.composePort = Number(parts.length > 1 ? parts[parts.length - 2] : parts[0]);
        break;
      }
    } catch {
      // reported by the deployment
    }
  }
  return out;
}

/** The command the container runs (ENTRYPOINT + CMD, as Docker joins them). */
export function containerCommand(docker: DockerSource): string | undefined {
  const df = docker.dockerfile;
  if (!df) return undefined;
  const parts = [df.entrypoint, df.cmd].filter((x): x is string => Boolean(x));
  if (!parts.length) return undefined;
  const words = shellWords(parts.join(' '));
  // `sh -c "npm start"` runs its argument.
  if ((words[0] === 'sh' || words[0] === '/bin/sh') && words[1] === '-c' && words[2]) return words[2];
  return parts.join(' ');
}

/** 127.0.0.0/8, `localhost` and ::1: addresses only the container itself can reach. */
export function isLoopbackAddress(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?|::ffff:127\.\d+\.\d+\.\d+)$/i.test(host.trim());
}

/**
 * Whether the container's web server listens only on the container's own loopback. Inferred from Docker's bridge
 * networking (AWS does not document this case): nginx on the instance connects to the container through its network
 * interface, and the container's loopback is not the host's, so such a server refuses every request: the deployment
 * succeeds and the health checks get 502. On the Node.js and Python platforms nginx shares the host with the app,
 * so there loopback is right; this rule is for the Docker platform only.
 *
 * `listenHost` is the address the started process binds, read from its command or source (Gunicorn's --bind or its
 * 127.0.0.1:8000 / 0.0.0.0:$PORT default, Uvicorn's --host or 127.0.0.1, Flask's app.run(host=...) or 127.0.0.1,
 * Node's listen(port, host) or `::`, Fastify's localhost). Without it, the command alone decides, for Gunicorn
 * and Uvicorn; other servers are not judged.
 */
export function listensOnContainerLoopback(command: string, innerLanguage: string | undefined, env: Record<string, string>, listenHost?: string): boolean {
  if (listenHost !== undefined) return isLoopbackAddress(listenHost);
  if (innerLanguage !== 'python') return false;
  const cmd = parsePythonCommand(command, env);
  if ((cmd.server !== 'gunicorn' && cmd.server !== 'uvicorn') || cmd.unixSocket || cmd.error) return false;
  const host = cmd.host ?? (cmd.server === 'gunicorn' && env.PORT && /^\d+$/.test(env.PORT) ? '0.0.0.0' : '127.0.0.1');
  return isLoopbackAddress(host);
}
