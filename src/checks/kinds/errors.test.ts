// Every check kind turns an exception (a broken filesystem, an unreachable cloud) into status `error`,
// never into the learner's `fail`; and every kind has a sample here, so a new kind cannot skip this.
import { describe, it, expect } from 'vitest';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { S3Client } from '@aws-sdk/client-s3';
import { CHECK_KINDS, type CheckKind } from '../../course/lab-schema.ts';
import type { WorkspaceFs } from '../../workspace/fs.ts';
import { runChecks } from '../runner.ts';
import type { CheckClients } from '../types.ts';
import { labWithChecks } from '../test-helpers.ts';

const env = 'pettracker-web-staging';
const SAMPLES: Record<CheckKind, Record<string, unknown>> = {
  'file-exists': { path: 'Procfile' },
  'file-absent': { path: 'node_modules' },
  'file-contains': { path: 'requirements.txt', text: 'uvicorn' },
  'file-matches': { path: 'requirements.txt', pattern: '^uvicorn' },
  'yaml-path-equals': { path: '.elasticbeanstalk/config.yml', at: 'global.application_name', equals: 'pettracker-web' },
  'json-path-equals': { path: 'package.json', at: 'scripts.start', equals: 'node server.js' },
  'procfile-process': { command: '^gunicorn' },
  'bundle-root-contains': { bundle: { zip: 'app.zip' }, paths: ['package.json'] },
  'bundle-no-parent-folder': { bundle: { latestVersionOf: 'pettracker-web' } },
  'bundle-excludes': { bundle: { deployedTo: env }, paths: ['node_modules'] },
  'ebextensions-option': { namespace: 'aws:elasticbeanstalk:environment:proxy', option: 'ProxyServer' },
  'application-exists': { application: 'pettracker-web' },
  'version-exists': { application: 'pettracker-web' },
  'version-processed': { application: 'pettracker-web' },
  'environment-status': { environment: env },
  'environment-health': { environment: env },
  'environment-platform': { environment: env, platform: 'Node\\.js 22' },
  'option-setting': { environment: env, namespace: 'aws:elasticbeanstalk:command', option: 'DeploymentPolicy', equals: 'Rolling' },
  'env-var-set': { environment: env, name: 'MODEL_PATH' },
  'version-deployed': { environment: env },
  'event-seen': { environment: env, pattern: 'Environment update completed' },
  'no-failed-requests': { environment: env },
  'instance-count': { environment: env, min: 2 },
  custom: { name: 'explodes' },
};

const broken = (): never => {
  throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
};
const brokenFs: WorkspaceFs = {
  readFile: async () => broken(),
  readFileBuffer: async () => broken(),
  writeFile: async () => broken(),
  exists: async () => broken(),
  stat: async () => broken(),
  mkdir: async () => broken(),
  readdir: async () => broken(),
  rm: async () => broken(),
  chmod: async () => broken(),
};

const unreachable: CheckClients = {
  region: 'us-east-1',
  eb: new ElasticBeanstalkClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }),
  s3: new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true }),
  sandbox: null,
  now: () => 0,
};

describe('an exception inside a check is an error, never a fail', () => {
  it('has a sample for every kind', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...CHECK_KINDS].sort());
  });

  it('with a broken filesystem and an unreachable cloud, every kind reports error with a message', async () => {
    const lab = labWithChecks(
      CHECK_KINDS.map((kind) => ({ kind, params: SAMPLES[kind] })),
      {},
      { 'checks.ts': '' },
    );
    const run = await runChecks(lab, {
      fs: brokenFs,
      clients: unreachable,
      presetFinishedAt: 0,
      customChecks: { explodes: async () => broken() },
    });
    const notErrors = run.results.filter((r) => r.status !== 'error').map((r) => `${r.kind}: ${r.status} ${r.found}`);
    expect(notErrors).toEqual([]);
    for (const r of run.results) {
      expect(r.error, r.kind).toBeTruthy();
      expect(r.points).toBe(0);
      expect(r.hintLevel).toBeNull();
    }
    expect(run).toMatchObject({ errored: CHECK_KINDS.length, failed: 0, passed: 0, completed: false });
  });
});
