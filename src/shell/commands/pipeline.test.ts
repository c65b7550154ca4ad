import { describe, it, expect } from 'vitest';
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { APP, labWithEnvironment, labShell } from '../test/lab.ts';

const WORKFLOW = `name: Deploy
on:
  push:
    branches: [main]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: bash tests/check.sh
  staging:
    needs: test
    runs-on: ubuntu-latest
    environment: staging
    permissions:
      id-token: write
      contents: read
    steps:
      - uses: actions/checkout@v4
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: us-east-1
      - run: eb init pettracker-web --platform node.js --region "$AWS_REGION"
      - run: eb deploy pettracker-web-staging --label "web-\${GITHUB_SHA::7}"
  production:
    needs: staging
    environment: production
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: eb init pettracker-web --platform node.js --region us-east-1
      - run: eb deploy pettracker-web-prod --version "web-\${GITHUB_SHA::7}"
`;
const CHECK = `set -e\ngrep -q "app.listen" server.js\necho "tests passed"\n`;

async function versionOf(clients: Awaited<ReturnType<typeof labShell>>['clients'], name: string) {
  const out = await clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [name] }));
  return out.Environments?.[0]?.VersionLabel;
}

describe('git push with workflows', () => {
  it('runs tests, deploys to staging, waits for approval, then ships the same label to production', async () => {
    const lab = await labWithEnvironment();
    const { shell, fs } = lab;
    expect((await shell.exec('eb create pettracker-web-prod')).exitCode).toBe(0);
    await fs.mkdir(`${APP}/.github/workflows`, { recursive: true });
    await fs.mkdir(`${APP}/tests`, { recursive: true });
    await fs.writeFile(`${APP}/.github/workflows/deploy.yml`, WORKFLOW);
    await fs.writeFile(`${APP}/tests/check.sh`, CHECK);
    expect((await shell.exec('git init -q && git add . && git commit -q -m "Pipeline"')).exitCode).toBe(0);
    expect((await shell.exec('git init --bare /srv/git/pettracker-web.git')).stdout).toBe('Initialized empty Git repository in /srv/git/pettracker-web.git/\n');
    await shell.exec('git remote add origin /srv/git/pettracker-web.git');
    expect((await shell.exec('git remote -v')).stdout).toContain('origin\t/srv/git/pettracker-web.git (push)');

    const push = await shell.exec('git push -u origin main');
    expect(push.stderr).toBe('');
    expect(push.exitCode).toBe(0);
    expect(push.stdout).toContain(' * [new branch]      main -> main');
    expect(push.stdout).toContain('[test] tests passed');
    expect(push.stdout).toContain('[production] waiting for a review to deploy to production: approve it with  pipeline approve 1');
    const sha = (await shell.exec('git rev-parse HEAD')).stdout.trim();
    const label = `web-${sha.slice(0, 7)}`;
    expect(await versionOf(lab.clients, 'pettracker-web-staging')).toBe(label);
    expect(await versionOf(lab.clients, 'pettracker-web-prod')).not.toBe(label);
    expect((await shell.exec('pipeline runs')).stdout).toContain('#1  waiting     Deploy');

    const approve = await shell.exec('pipeline approve 1');
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toContain('Run #1: success');
    expect(await versionOf(lab.clients, 'pettracker-web-prod')).toBe(label);
    const logs = (await shell.exec('pipeline logs 1 test')).stdout;
    expect(logs).toContain('tests passed');
    expect((await shell.exec('pipeline approve 1')).stderr).toContain('run #1 is not waiting for a review (it is success)');
    expect((await shell.exec('git push')).stdout).toContain('Everything up-to-date');
  });

  it('stops at a failing test and never deploys; reports workflow errors with file and line', async () => {
    const lab = await labShell();
    const { shell, fs } = lab;
    await fs.mkdir(`${APP}/.github/workflows`, { recursive: true });
    await fs.mkdir(`${APP}/tests`, { recursive: true });
    await fs.writeFile(`${APP}/.github/workflows/deploy.yml`, WORKFLOW);
    await fs.writeFile(`${APP}/tests/check.sh`, 'echo "FAIL: server.js does not listen"; exit 1\n');
    await shell.exec('git init -q && git add . && git commit -q -m one && git init --bare -q /srv/git/r.git && git remote add origin /srv/git/r.git');
    const push = await shell.exec('git push origin main');
    expect(push.exitCode).toBe(1);
    expect(push.stdout).toContain('[test] Error: Process completed with exit code 1.');
    expect(push.stdout).toContain('[staging] skipped: a job it needs did not succeed');
    expect(push.stdout).toContain('Run #1: failure');

    await fs.writeFile(`${APP}/.github/workflows/deploy.yml`, WORKFLOW.replace('actions/checkout@v4', 'actions/setup-node@v4'));
    await shell.exec('git commit -q -am two');
    const bad = await shell.exec('git push');
    expect(bad.stderr).toContain('pipeline: .github/workflows/deploy.yml:9: jobs.test.steps[0].uses: actions/setup-node@v4 is not available');
  });

  it('explains a missing remote', async () => {
    const { shell } = await labShell();
    await shell.exec('git init -q && git add . && git commit -q -m one');
    expect((await shell.exec('git push')).stderr).toContain('fatal: No configured push destination: this lab has none');
    await shell.exec('git remote add origin /srv/git/nowhere.git');
    expect((await shell.exec('git push origin main')).stderr).toContain("fatal: '/srv/git/nowhere.git' does not appear to be a git repository");
    expect((await shell.exec('git remote add gh https://github.com/a/b.git')).stderr).toContain('the lab is offline');
  });
});
