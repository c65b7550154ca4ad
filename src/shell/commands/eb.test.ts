import { describe, it, expect } from 'vitest';
import { InMemoryFs } from 'just-bash';
import { createCloud, ManualClock } from '../../cloud/index.ts';
import { clientsForCloud } from '../../aws/index.ts';
import { createLabShell } from '../index.ts';

const APP = '/home/learner/first-deploy';

async function labWithNodeApp() {
  const fs = new InMemoryFs();
  await fs.mkdir(APP, { recursive: true });
  await fs.writeFile(`${APP}/package.json`, JSON.stringify({ name: 'pettracker-web', scripts: { start: 'node server.js' } }));
  await fs.writeFile(`${APP}/server.js`, "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 8080);\n");
  const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
  const shell = createLabShell({ fs, clients: clientsForCloud(cloud, { region: 'us-east-1' }), cwd: APP });
  return { fs, shell };
}

describe('eb in the lab shell', () => {
  it('runs init and create against the lab cloud, streaming create’s events as they happen', async () => {
    const { fs, shell } = await labWithNodeApp();
    const init = await shell.exec('eb init pettracker-web --platform node.js --region us-east-1');
    expect(init.stderr).toBe('');
    expect(init.exitCode).toBe(0);
    expect(await fs.readFile(`${APP}/.elasticbeanstalk/config.yml`)).toContain('application_name: pettracker-web');

    const chunks: string[] = [];
    const create = await shell.exec('eb create pettracker-web-staging', { onStdout: (t) => chunks.push(t) });
    expect(create.exitCode).toBe(0);
    // Streamed: many separate writes, the first long before the last, ending on the success event.
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks[0]).toMatch(/^Creating application version archive/);
    expect(create.stdout.trimEnd()).toMatch(/Successfully launched environment: pettracker-web-staging$/);
    expect(chunks.join('')).toBe(create.stdout);

    // In a command substitution eb's output feeds the pipeline, as solve.sh scripts rely on.
    const label = await shell.exec(`label=$(eb status | sed -n 's/^ *Deployed Version: *//p'); echo "version=$label"`);
    expect(label.stdout).toMatch(/^version=app-[0-9a-f_-]+\n$/);
  });

  it('passes eb’s usage errors and exit codes through', async () => {
    const { shell } = await labWithNodeApp();
    const bad = await shell.exec('eb frobnicate');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("invalid choice: 'frobnicate'");
    const status = await shell.exec('eb status');
    expect(status.exitCode).not.toBe(0);
    expect(status.stderr).toMatch(/^ERROR: /m);
  });

  it('Ctrl-C stops a waiting eb create and the shell goes on', async () => {
    const { shell } = await labWithNodeApp();
    await shell.exec('eb init pettracker-web --platform node.js --region us-east-1');
    const controller = new AbortController();
    let seen = '';
    const create = await shell.exec('eb create pettracker-web-staging', {
      signal: controller.signal,
      onStdout: (t) => {
        seen += t;
        if (seen.includes('Printing Status:')) controller.abort();
      },
    });
    expect(create.exitCode).toBe(130);
    expect(create.stdout).not.toContain('Successfully launched environment');
    expect((await shell.exec('echo ready')).stdout).toBe('ready\n');
  });

  it('completes eb subcommands and flags', async () => {
    const { shell } = await labWithNodeApp();
    expect((await shell.complete('eb dep', 6)).candidates).toEqual(['deploy']);
    const flags = await shell.complete('eb deploy --st', 14);
    expect(flags).toMatchObject({ replaceFrom: 10, candidates: expect.arrayContaining(['--staged']) });
  });
});
