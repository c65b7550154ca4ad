// End to end: the `eb` bin as a child process (`node bin/eb.mjs ...` in a temp project) against the
// sandbox cloud's HTTP host on port 0, configured the way a learner's machine is (AWS_ENDPOINT_URL).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, truncateSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import git from 'isomorphic-git';
import nodeFs from 'node:fs';
import { createCloud } from '../cloud/index.ts';
import { startCloudServer, type CloudServer } from '../cloud/server.ts';
import { nodeApp, words } from './test-helpers.ts';

const bin = resolve(import.meta.dirname, '../../bin/eb.mjs');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('eb bin over HTTP', () => {
  let server: CloudServer;
  let project: string;
  let home: string;

  beforeAll(async () => {
    server = await startCloudServer({ cloud: createCloud({ speed: 2000, log: () => undefined }), port: 0 });
    home = mkdtempSync(join(tmpdir(), 'eb-home-'));
    project = join(home, 'pettracker-web');
    mkdirSync(project);
    for (const [path, content] of Object.entries(nodeApp)) writeFileSync(join(project, path), content);
    await git.init({ fs: nodeFs, dir: project, defaultBranch: 'main' });
    await git.add({ fs: nodeFs, dir: project, filepath: '.' });
    await git.commit({ fs: nodeFs, dir: project, message: 'First version', author: { name: 'Alex', email: 'alex@example.org' } });
  });

  afterAll(async () => {
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  function eb(line: string, env: Record<string, string> = { AWS_ENDPOINT_URL: server.url }): Promise<Result> {
    return new Promise((done) => {
      execFile(
        process.execPath,
        [bin, ...words(line)],
        {
          cwd: project,
          env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', ...env },
          timeout: 60_000,
        },
        (error, stdout, stderr) => done({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('runs init, create, status, a refused deploy and terminate, with the real exit codes', async () => {
    const init = await eb('init -p node.js pettracker-web --region us-east-1');
    expect(init.stderr.replace(/^\(node:\d+\) .*\n(?:.*\n)*?.*trace-warnings.*\n/m, '')).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toBe('Application pettracker-web has been created.\n');
    expect(readFileSync(join(project, '.elasticbeanstalk/config.yml'), 'utf8')).toContain('application_name: pettracker-web');

    const create = await eb(`create pettracker-web-staging --single --endpoint-url ${server.url}`, {});
    expect(create.code).toBe(0);
    expect(create.stdout).toContain('Environment details for: pettracker-web-staging');
    expect(create.stdout).toMatch(/INFO    Successfully launched environment: pettracker-web-staging\n$/);

    const status = await eb('status --json');
    expect(status.code).toBe(0);
    const env = JSON.parse(status.stdout);
    expect(env.Status).toBe('Ready');
    expect(env.VersionLabel).toMatch(/^app-[0-9a-f]{4}-\d{6}_\d{12}$/);

    const missing = await eb('deploy pettracker-web-nope');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('ERROR: NotFoundError - Environment "pettracker-web-nope" not Found.\n');

    // A 600 MB artifact (sparse, so it costs no disk) is refused before anything is read or uploaded.
    writeFileSync(join(project, 'big.zip'), '');
    truncateSync(join(project, 'big.zip'), 600 * 1024 * 1024);
    const config = readFileSync(join(project, '.elasticbeanstalk/config.yml'), 'utf8');
    writeFileSync(join(project, '.elasticbeanstalk/config.yml'), `${config}deploy:\n  artifact: big.zip\n`);
    const tooBig = await eb('deploy');
    expect(tooBig.code).toBe(4);
    expect(tooBig.stderr).toContain('ERROR: FileTooLargeError - Archive cannot be any larger than 512MB\n');
    writeFileSync(join(project, '.elasticbeanstalk/config.yml'), config);

    const unreachable = await eb('status', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^ERROR: Having trouble communicating with AWS\..*http:\/\/127\.0\.0\.1:9/m);

    const terminate = await eb('terminate --force');
    expect(terminate.code).toBe(0);
    expect(terminate.stdout).toMatch(/terminateEnvironment completed successfully\.\n$/);
  }, 120_000);
});
