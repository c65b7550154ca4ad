// Test harness: runs `eb` in-process against a sandbox cloud on a ManualClock over an in-memory
// workspace, capturing stdout and stderr (the lab terminal's view).
import { InMemoryFs } from 'just-bash';
import git from 'isomorphic-git';
import { clientsForCloud, type AwsClients, type InProcessCloud } from '../aws/index.ts';
import type { WorkspaceFs } from '../workspace/fs.ts';
import { gitFs } from '../workspace/git-fs.ts';
import { runEb, type EbContext } from './index.ts';

/** A stepped clock (the cloud's ManualClock), typed here so this helper does not depend on src/cloud. */
export interface SteppedClock {
  now(): number;
  advance(ms: number): Promise<void>;
}

/** An in-process cloud and its stepped clock; tests make them with createCloud({ clock: new ManualClock() }). */
export interface SteppedCloud {
  cloud: InProcessCloud;
  clock: SteppedClock;
}

export interface EbRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  fs: WorkspaceFs;
  cwd: string;
  clients: AwsClients;
  clock: SteppedClock;
  cloud: InProcessCloud;
  eb(line: string | string[], extra?: Partial<EbContext>): Promise<EbRun>;
  write(files: Record<string, string>): Promise<void>;
  commit(message: string): Promise<string>;
}

/** Splits a command line on spaces, keeping "quoted parts" together. */
export function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

export const nodeApp: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'pettracker-web', version: '1.0.0', scripts: { start: 'node server.js' } }, null, 2),
  'server.js':
    "const http = require('http');\nconst port = process.env.PORT || 8080;\nhttp.createServer((req, res) => { res.end('PetTracker'); }).listen(port);\n",
};

export async function sandbox(
  { cloud, clock }: SteppedCloud,
  options: { files?: Record<string, string>; git?: boolean; cwd?: string } = {},
): Promise<Sandbox> {
  const clients = clientsForCloud(cloud, { region: 'us-east-1' });
  const fs = new InMemoryFs() as unknown as WorkspaceFs;
  const cwd = options.cwd ?? '/home/alex/pettracker-web';
  await fs.mkdir(cwd, { recursive: true });
  const box: Sandbox = {
    fs,
    cwd,
    clients,
    clock,
    cloud,
    async eb(line, extra = {}) {
      let stdout = '';
      let stderr = '';
      const code = await runEb(Array.isArray(line) ? line : words(line), {
        fs,
        cwd,
        env: { NO_COLOR: '1', HOME: '/home/alex' },
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        clients,
        ...extra,
      });
      return { code, stdout, stderr };
    },
    async write(files) {
      for (const [path, content] of Object.entries(files)) {
        const full = `${cwd}/${path}`;
        await fs.mkdir(full.slice(0, full.lastIndexOf('/')), { recursive: true });
        await fs.writeFile(full, content);
      }
    },
    async commit(message) {
      const gfs = gitFs(fs);
      await git.add({ fs: gfs, dir: cwd, filepath: '.' });
      return git.commit({ fs: gfs, dir: cwd, message, author: { name: 'Alex', email: 'alex@pettracker.example', timestamp: Math.floor(clock.now() / 1000), timezoneOffset: 0 } });
    },
  };
  await box.write(options.files ?? nodeApp);
  if (options.git !== false) {
    await git.init({ fs: gitFs(fs), dir: cwd, defaultBranch: 'main' });
    await box.commit('First version of PetTracker web');
  }
  return box;
}
