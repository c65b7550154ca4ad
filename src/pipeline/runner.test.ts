import { describe, it, expect } from 'vitest';
import { InMemoryFs } from 'just-bash';
import { approveRun, listRuns, readJobLog, startRun, type RunnerHost } from './runner.ts';
import { parseWorkflow } from './workflow.ts';

const SOURCE = `name: CI
on: push
env:
  STAGE: ci
jobs:
  deploy:
    needs: test
    environment: production
    env:
      TARGET: prod-\${{ github.sha }}
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          aws-access-key-id: \${{ secrets.KEY_ID }}
          aws-secret-access-key: \${{ secrets.SECRET }}
          aws-region: eu-west-1
      - run: deploy $TARGET
  test:
    steps:
      - uses: actions/checkout@v4
      - run: test $STAGE
        env:
          EXTRA: \${{ env.STAGE }}-x
`;

/** A host whose shell records each script with the variables it saw, failing scripts that contain "fail". */
function host(secrets: Record<string, string> = { KEY_ID: 'AKIDEXAMPLE', SECRET: 's3cr3t' }) {
  const scripts: { script: string; env: Record<string, string> }[] = [];
  const output: string[] = [];
  const fs = new InMemoryFs();
  const runner: RunnerHost = {
    fs,
    runsDir: '/home/learner/.pipeline/runs',
    async runScript(script, options) {
      scripts.push({ script, env: options.env });
      options.output(`ran ${script}\n`);
      return script.includes('fail') ? 3 : 0;
    },
    async checkout(_sha, dir) {
      await fs.writeFile(`${dir}/README`, 'x');
      return 1;
    },
    secrets: async () => secrets,
    output: (text) => output.push(text),
  };
  return { runner, scripts, output };
}

const push = { sha: 'abcdef0123456789', branch: 'main', repository: 'app', now: new Date(0) };

describe('pipeline runner', () => {
  it('runs jobs in needs order, substitutes expressions, and waits for approval before production', async () => {
    const { runner, scripts, output } = host();
    const workflow = parseWorkflow('.github/workflows/ci.yml', SOURCE);
    const run = await startRun(runner, workflow, SOURCE, push);
    expect(run.status).toBe('waiting');
    expect(run.jobs.map((j) => [j.id, j.status])).toEqual([['test', 'success'], ['deploy', 'waiting']]);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]).toMatchObject({ script: 'test $STAGE', env: { STAGE: 'ci', EXTRA: 'ci-x', GITHUB_SHA: push.sha, CI: 'true' } });
    expect(output.join('')).toContain('[deploy] waiting for a review to deploy to production: approve it with  pipeline approve 1');

    const approved = await approveRun(runner, 1, 'maya');
    expect(approved.status).toBe('success');
    expect(scripts[1]).toMatchObject({ script: 'deploy $TARGET', env: { TARGET: `prod-${push.sha}`, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_REGION: 'eu-west-1' } });
    const [stored] = await listRuns(runner);
    expect(stored.jobs.find((j) => j.id === 'deploy')).toMatchObject({ approvedBy: 'maya', status: 'success' });
    expect(stored.jobs.flatMap((j) => j.steps.map((s) => s.seq))).toEqual([1, 2, 3, 4]);
    expect(await readJobLog(runner, 1, 'test')).toContain('ran test $STAGE');
    await expect(approveRun(runner, 1, 'maya')).rejects.toThrow('run #1 is not waiting for a review (it is success)');
    await expect(approveRun(runner, 7, 'maya')).rejects.toThrow('there is no run #7');
  });

  it('fails a step on a non-zero exit, skips the rest of the job and the jobs that need it', async () => {
    const { runner } = host();
    const source = SOURCE.replace('test $STAGE', 'fail the tests');
    const run = await startRun(runner, parseWorkflow('ci.yml', source), source, push);
    expect(run.status).toBe('failure');
    expect(run.jobs.map((j) => [j.id, j.status])).toEqual([['test', 'failure'], ['deploy', 'skipped']]);
    expect(await readJobLog(runner, 1, 'test')).toContain('Error: Process completed with exit code 3.');
  });

  it('fails configure-aws-credentials without credentials or a role, as the action does', async () => {
    const { runner, scripts } = host({});
    const source = SOURCE.replace('environment: production', 'environment: staging');
    const run = await startRun(runner, parseWorkflow('ci.yml', source), source, push);
    expect(run.jobs.find((j) => j.id === 'deploy')?.status).toBe('failure');
    expect(await readJobLog(runner, 1, 'deploy')).toContain('Error: Credentials could not be loaded');
    expect(scripts.map((s) => s.script)).toEqual(['test $STAGE']);
  });

  it('assumes an OIDC role only when the job may request its token (permissions id-token: write)', async () => {
    const role = `      - uses: aws-actions/configure-aws-credentials@v5
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: eu-west-1
      - run: deploy`;
    const workflow = (top: string, job: string) => `name: CD\non: push\n${top}jobs:\n  deploy:\n${job}    steps:\n${role}\n`;
    const outcome = async (source: string) => {
      const { runner, scripts } = host({});
      const run = await startRun(runner, parseWorkflow('cd.yml', source), source, push);
      return { status: run.jobs[0].status, log: await readJobLog(runner, 1, 'deploy'), scripts: scripts.map((x) => x.script) };
    };
    // No permissions anywhere: id-token is none, and the action says so in its own words.
    const none = await outcome(workflow('', ''));
    expect(none.status).toBe('failure');
    expect(none.log).toContain('Did you mean to set the `id-token` permission?');
    expect(none.log).toContain('Error: Credentials could not be loaded, please check your action inputs: Could not load credentials from any providers');
    expect(none.scripts).toEqual([]);
    // Granted for the workflow, or by write-all: the role is assumed and the next step runs.
    for (const granted of [workflow('permissions:\n  id-token: write\n  contents: read\n', ''), workflow('permissions: write-all\n', '')]) {
      const ok = await outcome(granted);
      expect(ok.status).toBe('success');
      expect(ok.log).toContain('Assuming role arn:aws:iam::123456789012:role/deploy');
      expect(ok.scripts).toEqual(['deploy']);
    }
    // A job's permissions replace the workflow's entirely: contents: read alone takes id-token away again.
    const replaced = await outcome(workflow('permissions:\n  id-token: write\n', '    permissions:\n      contents: read\n'));
    expect(replaced.status).toBe('failure');
  });
});
