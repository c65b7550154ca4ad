// Cloud check kinds against a real in-process sandbox, through the AWS SDK, on a stepped clock.
import { describe, it, expect, beforeAll } from 'vitest';
import { UpdateEnvironmentCommand } from '@aws-sdk/client-elastic-beanstalk';
import { createCloud, ManualClock, type CloudSnapshot } from '../../cloud/index.ts';
import { clientsForCloud, type AwsClients } from '../../aws/index.ts';
import { applyPreset } from '../preset.ts';
import { runChecks } from '../runner.ts';
import type { CheckResult } from '../types.ts';
import { labWithChecks, workspaceWith } from '../test-helpers.ts';

const APP_FILES = {
  'preset/good/package.json': JSON.stringify({ name: 'pettracker-web', scripts: { start: 'node server.js' } }),
  'preset/good/server.js': "const http = require('http');\nhttp.createServer((req, res) => res.end('ok')).listen(process.env.PORT || 8080);\n",
  'preset/bad-port/package.json': JSON.stringify({ name: 'pettracker-web', scripts: { start: 'node server.js' } }),
  'preset/bad-port/server.js': "const http = require('http');\nhttp.createServer((req, res) => res.end('ok')).listen(3000);\n",
};

const PRESET = {
  applications: [{ name: 'pettracker-web' }],
  versions: [
    { application: 'pettracker-web', label: 'v1', bundle: { dir: 'preset/good' } },
    { application: 'pettracker-web', label: 'v2-wrapped', bundle: { dir: 'preset/good', parentFolder: 'pettracker-web' } },
    { application: 'pettracker-web', label: 'v3-port-3000', bundle: { dir: 'preset/bad-port' } },
  ],
  environments: [
    { application: 'pettracker-web', name: 'pettracker-web-staging', version: 'v1', platform: 'node.js-22', optionSettings: [{ namespace: 'aws:elasticbeanstalk:application:environment', option: 'LOG_LEVEL', value: 'info' }] },
    { application: 'pettracker-web', name: 'pettracker-web-broken', version: 'v3-port-3000', platform: 'node.js-22' },
    { application: 'pettracker-web', name: 'pettracker-web-basic', version: 'v1', platform: 'node.js-22', enhancedHealth: false },
    {
      application: 'pettracker-web',
      name: 'pettracker-web-fleet',
      version: 'v1',
      platform: 'node.js-22',
      optionSettings: [
        { namespace: 'aws:autoscaling:asg', option: 'MinSize', value: '2' },
        { namespace: 'aws:autoscaling:asg', option: 'MaxSize', value: '2' },
        { namespace: 'aws:elasticbeanstalk:command', option: 'DeploymentPolicy', value: 'Rolling' },
        { namespace: 'aws:elasticbeanstalk:command', option: 'BatchSizeType', value: 'Fixed' },
        { namespace: 'aws:elasticbeanstalk:command', option: 'BatchSize', value: '1' },
      ],
    },
  ],
};

// The preset is applied once; each test restores the snapshot into a fresh cloud, as verify does.
let snapshot: CloudSnapshot;
let presetFinishedAt = 0;

function freshClients(): AwsClients {
  const clock = new ManualClock(snapshot.time);
  const cloud = createCloud({ clock });
  cloud.restore(snapshot);
  return clientsForCloud(cloud, { region: 'us-east-1' });
}

async function check(kind: string, params: Record<string, unknown>, clients = freshClients()): Promise<CheckResult> {
  // An empty preset keeps these labs' preset versions out of "versions you created" unless a test says so.
  const lab = labWithChecks([{ kind, params }], {}, APP_FILES);
  const run = await runChecks(lab, { fs: await workspaceWith({}), clients, presetFinishedAt });
  return run.results[0];
}

beforeAll(async () => {
  const clock = new ManualClock();
  const cloud = createCloud({ clock });
  const clients = clientsForCloud(cloud, { region: 'us-east-1' });
  const lab = labWithChecks([{ kind: 'file-exists', params: { path: 'x' } }], { preset: PRESET }, APP_FILES);
  presetFinishedAt = (await applyPreset(lab, clients)).finishedAt;
  snapshot = cloud.snapshot();
});

describe('applications and versions', () => {
  it('application-exists: pass, missing (nudge) and a near miss (fix)', async () => {
    expect((await check('application-exists', { application: 'pettracker-web' })).status).toBe('pass');
    expect(await check('application-exists', { application: 'pettracker-ml' })).toMatchObject({ status: 'fail', reason: 'missing', hintLevel: 'nudge' });
    expect(await check('application-exists', { application: 'PetTracker_Web' })).toMatchObject({ status: 'fail', reason: 'wrong-name', hintLevel: 'fix' });
  });

  it('version-exists and version-processed, with the failure events as evidence', async () => {
    expect((await check('version-exists', { application: 'pettracker-web', label: 'v1' })).status).toBe('pass');
    expect(await check('version-exists', { application: 'pettracker-web', label: 'v9' })).toMatchObject({ status: 'fail', hintLevel: 'nudge' });
    expect((await check('version-processed', { application: 'pettracker-web', label: 'v1' })).status).toBe('pass');
    const wrapped = await check('version-processed', { application: 'pettracker-web', label: 'v2-wrapped' });
    expect(wrapped).toMatchObject({ status: 'fail', reason: 'failed', hintLevel: 'fix' });
    expect(wrapped.evidence.map((e) => e.text).join('\n')).toMatch(/pettracker-web\//);
    expect(await check('version-processed', { application: 'nope' })).toMatchObject({ status: 'fail', reason: 'missing' });
  });

  it('bundle checks read a version’s bundle from S3', async () => {
    expect(await check('bundle-no-parent-folder', { bundle: { latestVersionOf: 'pettracker-web', excludePreset: false } })).toMatchObject({ status: 'pass' });
    const wrappedLab = await check('bundle-root-contains', { bundle: { deployedTo: 'pettracker-web-staging' }, paths: ['package.json'] });
    expect(wrappedLab.status).toBe('pass');
    expect(wrappedLab.evidence[0].text).toContain('package.json');
  });
});

describe('environments', () => {
  it('environment-status can ask for a terminated environment', async () => {
    const clients = freshClients();
    const { TerminateEnvironmentCommand } = await import('@aws-sdk/client-elastic-beanstalk');
    await clients.eb.send(new TerminateEnvironmentCommand({ EnvironmentName: 'pettracker-web-basic' }));
    await clients.sleep(20 * 60_000);
    expect((await check('environment-status', { environment: 'pettracker-web-basic', status: 'Terminated' }, clients)).status).toBe('pass');
    expect(await check('environment-status', { environment: 'pettracker-web-basic', status: 'Ready' }, clients)).toMatchObject({ status: 'fail', reason: 'terminated', hintLevel: 'concept' });
    expect((await check('environment-status', { environment: 'pettracker-web-staging', status: 'Terminated' }, clients)).status).toBe('fail');
  });

  it('environment-status and environment-platform', async () => {
    expect((await check('environment-status', { environment: 'pettracker-web-staging', status: 'Ready' })).status).toBe('pass');
    expect(await check('environment-status', { environment: 'pettracker-web-prod', status: 'Ready' })).toMatchObject({ status: 'fail', reason: 'no-environment', hintLevel: 'nudge' });
    const platform = await check('environment-platform', { environment: 'pettracker-web-staging', platform: 'running Node\\.js 22$' });
    expect(platform.status).toBe('pass');
    expect(await check('environment-platform', { environment: 'pettracker-web-staging', platform: 'running Node\\.js 20$' })).toMatchObject({ status: 'fail', hintLevel: 'fix' });
  });

  it('environment-health: Green passes; a Red environment fails with its causes as evidence', async () => {
    expect((await check('environment-health', { environment: 'pettracker-web-staging', health: 'Green' })).status).toBe('pass');
    const red = await check('environment-health', { environment: 'pettracker-web-broken', health: 'Green' });
    expect(red).toMatchObject({ status: 'fail', reason: 'wrong-health', hintLevel: 'concept' });
    expect(red.evidence.length).toBeGreaterThan(0);
  });

  it('option-setting and env-var-set read the effective configuration', async () => {
    const ns = 'aws:elasticbeanstalk:application:environment';
    expect((await check('env-var-set', { environment: 'pettracker-web-staging', name: 'LOG_LEVEL', equals: 'info' })).status).toBe('pass');
    expect(await check('env-var-set', { environment: 'pettracker-web-staging', name: 'log_level' })).toMatchObject({ status: 'fail', reason: 'wrong-name', hintLevel: 'fix' });
    expect(await check('env-var-set', { environment: 'pettracker-web-staging', name: 'DATABASE_URL' })).toMatchObject({ status: 'fail', reason: 'not-set', hintLevel: 'concept' });
    expect(await check('env-var-set', { environment: 'pettracker-web-staging', name: 'LOG_LEVEL', equals: 'debug' })).toMatchObject({ status: 'fail', reason: 'wrong-value', hintLevel: 'fix' });
    expect((await check('option-setting', { environment: 'pettracker-web-staging', namespace: ns, option: 'LOG_LEVEL', equals: 'info' })).status).toBe('pass');
    const policy = await check('option-setting', { environment: 'pettracker-web-staging', namespace: 'aws:elasticbeanstalk:command', option: 'DeploymentPolicy', equals: 'Immutable' });
    expect(policy).toMatchObject({ status: 'fail', hintLevel: 'concept' });
  });

  it('version-deployed: the preset’s version is not the learner’s; a deployed label is', async () => {
    expect((await check('version-deployed', { environment: 'pettracker-web-staging', label: 'v1' })).status).toBe('pass');
    expect(await check('version-deployed', { environment: 'pettracker-web-staging', label: 'v4' })).toMatchObject({ status: 'fail', reason: 'other-version', hintLevel: 'concept' });
  });

  it('under basic health, version-deployed and environment-health still grade', async () => {
    const deployed = await check('version-deployed', { environment: 'pettracker-web-basic', label: 'v1' });
    expect(deployed.status, JSON.stringify(deployed)).toBe('pass');
    expect(deployed.found).toContain('basic health');
    expect((await check('environment-health', { environment: 'pettracker-web-basic', health: 'Green' })).status).toBe('pass');
    expect((await check('instance-count', { environment: 'pettracker-web-basic', min: 1, max: 1 })).status).toBe('pass');
  });

  it('version-deployed names a mixed fleet after a rolling deploy that stopped halfway', async () => {
    const clients = freshClients();
    await clients.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-web-fleet', VersionLabel: 'v3-port-3000' }));
    await clients.sleep(30 * 60_000);
    const mixed = await check('version-deployed', { environment: 'pettracker-web-fleet', label: 'v3-port-3000' }, clients);
    expect(mixed, JSON.stringify(mixed)).toMatchObject({ status: 'fail', reason: 'mixed-fleet', hintLevel: 'fix' });
    // The evidence lists each instance with the version it runs: one on the new version, one left on the old.
    const lanes = mixed.evidence.map((e) => e.text);
    expect(lanes.some((t) => t.includes(': v3-port-3000 ('))).toBe(true);
    expect(lanes.some((t) => t.includes(': v1 ('))).toBe(true);
  });

  it('instance-count and event-seen', async () => {
    expect((await check('instance-count', { environment: 'pettracker-web-staging', min: 1, max: 4 })).status).toBe('pass');
    expect(await check('instance-count', { environment: 'pettracker-web-staging', min: 3, max: 4 })).toMatchObject({ status: 'fail', reason: 'too-few', hintLevel: 'fix' });
    const launched = await check('event-seen', { environment: 'pettracker-web-staging', pattern: '^Successfully launched environment', afterPreset: false });
    expect(launched.status).toBe('pass');
    expect(launched.evidence[0].source).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO$/);
    expect(await check('event-seen', { environment: 'pettracker-web-staging', pattern: '^Successfully launched environment' })).toMatchObject({ status: 'fail', reason: 'not-seen' });
  });

  it('a deploy after the preset is seen by event-seen and version-deployed', async () => {
    const clients = freshClients();
    await clients.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-web-staging', VersionLabel: 'v3-port-3000' }));
    await clients.sleep(15 * 60_000);
    const completed = await check('event-seen', { environment: 'pettracker-web-staging', pattern: '^Environment update completed successfully\\.$' }, clients);
    expect(completed.status).toBe('pass');
    // The severity floor: an INFO event does not satisfy a check that wants ERROR or worse.
    expect((await check('event-seen', { environment: 'pettracker-web-staging', pattern: 'update completed', severity: 'ERROR' }, clients)).status).toBe('fail');
    const deployed = await check('version-deployed', { environment: 'pettracker-web-staging', label: 'v3-port-3000' }, clients);
    expect(deployed.status).toBe('pass');
    expect(deployed.evidence[0]).toMatchObject({ kind: 'timeline' });
    expect(deployed.evidence[0].text).toContain('v3-port-3000');
  });

  it('no-failed-requests reads sandbox traffic', async () => {
    const clients = freshClients();
    await clients.sandbox!.probe('pettracker-web-staging', 2);
    await clients.sleep(30_000);
    const ok = await check('no-failed-requests', { environment: 'pettracker-web-staging', minRequests: 10 }, clients);
    expect(ok.status).toBe('pass');
    const broken = freshClients();
    await broken.sandbox!.probe('pettracker-web-broken', 2);
    await broken.sleep(30_000);
    const failing = await check('no-failed-requests', { environment: 'pettracker-web-broken' }, broken);
    expect(failing).toMatchObject({ status: 'fail', reason: 'failed-requests', hintLevel: 'concept' });
    expect(failing.evidence[0]).toMatchObject({ kind: 'traffic' });
    expect(failing.evidence[0].text).toMatch(/^502/);
    expect(await check('no-failed-requests', { environment: 'pettracker-web-staging' })).toMatchObject({ status: 'fail', reason: 'too-few-requests', hintLevel: 'nudge' });
  });

  it('no-failed-requests over the last deployment only counts requests inside it', async () => {
    const clients = freshClients();
    await clients.sandbox!.probe('pettracker-web-staging', 2);
    await clients.sleep(30_000);
    expect(await check('no-failed-requests', { environment: 'pettracker-web-staging', window: 'last-deploy' }, clients)).toMatchObject({ status: 'fail', reason: 'no-deploy', hintLevel: 'nudge' });
    // A deploy of a version whose app listens on the wrong port: requests during it start failing.
    await clients.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'pettracker-web-staging', VersionLabel: 'v3-port-3000' }));
    await clients.sleep(10 * 60_000);
    const during = await check('no-failed-requests', { environment: 'pettracker-web-staging', window: 'last-deploy' }, clients);
    expect(during.found).toMatch(/during your last deployment/);
    expect(during.evidence.some((e) => e.kind === 'event' && e.text === 'Environment update is starting.')).toBe(true);
    // All at once: the instance stops answering while it deploys, so the window shows the outage.
    expect(during).toMatchObject({ status: 'fail', reason: 'failed-requests', hintLevel: 'concept' });
    // Only the requests inside the deployment count (2 rps for seconds), not the ten minutes after it.
    const counted = Number(/of (\d+) request/.exec(during.found)?.[1]);
    expect(counted).toBeGreaterThan(0);
    expect(counted).toBeLessThan(200);
  });
});
