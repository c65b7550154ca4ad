import { describe, it, expect } from 'vitest';
import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';
import { S3Client } from '@aws-sdk/client-s3';
import { zipSync } from 'fflate';
import { runChecks } from '../runner.ts';
import type { CheckClients, CheckResult } from '../types.ts';
import { labWithChecks, workspaceWith } from '../test-helpers.ts';

// Workspace checks never reach the cloud; these clients point nowhere so any cloud call would error loudly.
const offline: CheckClients = {
  region: 'us-east-1',
  eb: new ElasticBeanstalkClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }),
  s3: new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, forcePathStyle: true }),
  sandbox: null,
  now: () => Date.UTC(2026, 10, 23, 9),
};

async function check(kind: string, params: Record<string, unknown>, files: Record<string, string | Uint8Array>): Promise<CheckResult> {
  const lab = labWithChecks([{ kind, params }]);
  const run = await runChecks(lab, { fs: await workspaceWith(files), clients: offline, presetFinishedAt: 0 });
  return run.results[0];
}

const zip = (entries: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, new TextEncoder().encode(v)])));

describe('file checks', () => {
  it('file-exists passes, and fails with a nudge when the file is missing', async () => {
    expect((await check('file-exists', { path: 'Procfile' }, { Procfile: 'web: x' })).status).toBe('pass');
    const r = await check('file-exists', { path: 'Procfile' }, {});
    expect(r).toMatchObject({ status: 'fail', hintLevel: 'nudge', reason: 'missing-file', points: 0, maxPoints: 1 });
    expect(r.found).toBe('There is no Procfile.');
  });

  it('file-absent fails with the exact fix while the folder is there', async () => {
    expect((await check('file-absent', { path: 'node_modules' }, { 'node_modules/x/index.js': '' })).hintLevel).toBe('fix');
    expect((await check('file-absent', { path: 'node_modules' }, { 'app.js': '' })).status).toBe('pass');
  });

  it('file-contains and file-matches give file:line evidence', async () => {
    const pass = await check('file-matches', { path: 'answers.txt', pattern: 'version:\\s*v\\d' }, { 'answers.txt': 'env: staging\nversion: v1\n' });
    expect(pass.status).toBe('pass');
    expect(pass.evidence[0]).toEqual({ kind: 'file', text: 'version: v1', source: 'answers.txt:2' });
    const contains = await check('file-contains', { path: 'requirements.txt', text: 'gunicorn' }, { 'requirements.txt': 'flask==3.1.0\n' });
    expect(contains).toMatchObject({ status: 'fail', hintLevel: 'concept', found: 'requirements.txt does not contain "gunicorn".' });
    expect((await check('file-contains', { path: 'requirements.txt', text: 'gunicorn' }, {})).hintLevel).toBe('nudge');
  });
});

describe('YAML and JSON path checks', () => {
  it('compares values at a path and points at the line', async () => {
    const files = { '.elasticbeanstalk/config.yml': 'global:\n  application_name: pettracker-web\n  default_region: us-east-1\n' };
    const ok = await check('yaml-path-equals', { path: '.elasticbeanstalk/config.yml', at: 'global.application_name', equals: 'pettracker-web' }, files);
    expect(ok.status).toBe('pass');
    expect(ok.evidence[0].source).toBe('.elasticbeanstalk/config.yml:2');
    const wrong = await check('yaml-path-equals', { path: '.elasticbeanstalk/config.yml', at: 'global.default_region', equals: 'eu-west-1' }, files);
    expect(wrong).toMatchObject({ status: 'fail', reason: 'wrong-value', hintLevel: 'fix', found: 'global.default_region is "us-east-1".' });
    const missing = await check('yaml-path-equals', { path: '.elasticbeanstalk/config.yml', at: 'global.profile', equals: 'x' }, files);
    expect(missing.reason).toBe('missing-value');
  });

  it('reports invalid YAML (tabs) and JSON with the exact problem', async () => {
    const yamlBad = await check('yaml-path-equals', { path: 'c.yml', at: 'a.b', equals: 1 }, { 'c.yml': 'a:\n\tb: 1\n' });
    expect(yamlBad).toMatchObject({ status: 'fail', reason: 'invalid-syntax', hintLevel: 'fix' });
    expect(yamlBad.found).toMatch(/c\.yml is not valid YAML \(line 2\)/);
    const json = await check('json-path-equals', { path: 'package.json', at: 'scripts.start', equals: 'node server.js' }, { 'package.json': '{"scripts":{"start":"node server.js"}}' });
    expect(json.status).toBe('pass');
    const jsonBad = await check('json-path-equals', { path: 'package.json', at: 'dependencies.express', equals: '^4' }, { 'package.json': '{"dependencies": {,}}' });
    expect(jsonBad).toMatchObject({ reason: 'invalid-syntax', hintLevel: 'fix' });
  });
});

describe('procfile-process', () => {
  const params = { command: '^gunicorn\\b', mustInclude: [{ pattern: '(--bind|-b)[ =]?(0\\.0\\.0\\.0)?:8000\\b', means: 'bind port 8000' }] };

  it('passes for the right web process', async () => {
    const r = await check('procfile-process', params, { Procfile: 'web: gunicorn --bind :8000 app:app\n' });
    expect(r.status).toBe('pass');
    expect(r.evidence[0]).toEqual({ kind: 'file', text: 'web: gunicorn --bind :8000 app:app', source: 'Procfile:1' });
  });

  it('climbs from nudge to fix the closer the learner gets', async () => {
    expect(await check('procfile-process', params, {})).toMatchObject({ reason: 'missing-file', hintLevel: 'nudge' });
    expect(await check('procfile-process', params, { procfile: 'web: gunicorn app:app' })).toMatchObject({ reason: 'wrong-name', hintLevel: 'fix' });
    expect(await check('procfile-process', params, { Procfile: 'worker: python worker.py\n' })).toMatchObject({ reason: 'no-process', hintLevel: 'concept' });
    expect(await check('procfile-process', params, { Procfile: 'web: python app.py\n' })).toMatchObject({ reason: 'wrong-command', hintLevel: 'concept' });
    const port = await check('procfile-process', params, { Procfile: 'web: gunicorn --bind :5000 app:app\n' });
    expect(port).toMatchObject({ reason: 'missing-part', hintLevel: 'fix' });
    expect(port.found).toContain('does not bind port 8000');
    const syntax = await check('procfile-process', params, { Procfile: '\nweb gunicorn app:app\n' });
    expect(syntax).toMatchObject({ reason: 'invalid-line', hintLevel: 'fix' });
    expect(syntax.evidence[0].source).toBe('Procfile:2');
  });
});

describe('ebextensions-option', () => {
  const params = { namespace: 'aws:elasticbeanstalk:environment:proxy', option: 'ProxyServer', value: 'nginx' };

  it('reads both option_settings forms; the alphabetically last file wins', async () => {
    const mapForm = { '.ebextensions/01-proxy.config': 'option_settings:\n  aws:elasticbeanstalk:environment:proxy:\n    ProxyServer: nginx\n' };
    expect((await check('ebextensions-option', params, mapForm)).status).toBe('pass');
    const listForm = { '.ebextensions/01.config': 'option_settings:\n  - namespace: aws:elasticbeanstalk:environment:proxy\n    option_name: ProxyServer\n    value: none\n' };
    const r = await check('ebextensions-option', params, { ...listForm });
    expect(r).toMatchObject({ status: 'fail', reason: 'wrong-value', hintLevel: 'fix' });
    expect(r.evidence[0].source).toBe('.ebextensions/01.config:2');
    expect((await check('ebextensions-option', params, { ...listForm, ...{ '.ebextensions/02.config': mapForm['.ebextensions/01-proxy.config'] } })).status).toBe('pass');
  });

  it('names a wrong namespace, tab indentation, and a missing folder', async () => {
    const ns = await check('ebextensions-option', params, { '.ebextensions/a.config': 'option_settings:\n  aws:elasticbeanstalk:environment:\n    ProxyServer: nginx\n' });
    expect(ns).toMatchObject({ reason: 'wrong-namespace', hintLevel: 'fix' });
    const tabs = await check('ebextensions-option', params, { '.ebextensions/a.config': 'option_settings:\n\taws:x:\n\t\tProxyServer: nginx\n' });
    expect(tabs).toMatchObject({ reason: 'invalid-config', hintLevel: 'fix' });
    expect(tabs.found).toContain('YAML does not allow tabs');
    expect(await check('ebextensions-option', params, {})).toMatchObject({ reason: 'no-ebextensions', hintLevel: 'nudge' });
  });
});

describe('bundle checks on a zip in the workspace', () => {
  const good = zip({ 'package.json': '{}', 'server.js': '', 'Procfile': 'web: node server.js' });
  const parent = zip({ 'pettracker-web/package.json': '{}', 'pettracker-web/server.js': '', 'pettracker-web/node_modules/express/index.js': '' });

  it('bundle-root-contains tells a parent folder from a missing file', async () => {
    expect((await check('bundle-root-contains', { bundle: { zip: 'app.zip' }, paths: ['package.json'] }, { 'app.zip': good })).status).toBe('pass');
    const wrapped = await check('bundle-root-contains', { bundle: { zip: 'app.zip' }, paths: ['package.json'] }, { 'app.zip': parent });
    expect(wrapped).toMatchObject({ status: 'fail', reason: 'parent-folder', hintLevel: 'concept' });
    expect(wrapped.found).toContain('pettracker-web/package.json');
    const missing = await check('bundle-root-contains', { bundle: { zip: 'app.zip' }, paths: ['Procfile', 'requirements.txt'] }, { 'app.zip': good });
    expect(missing).toMatchObject({ reason: 'missing-path', hintLevel: 'fix', found: 'app.zip has no requirements.txt at its root.' });
  });

  it('bundle-no-parent-folder and bundle-excludes', async () => {
    expect((await check('bundle-no-parent-folder', { bundle: { zip: 'app.zip' } }, { 'app.zip': parent })).reason).toBe('parent-folder');
    expect((await check('bundle-no-parent-folder', { bundle: { zip: 'app.zip' } }, { 'app.zip': good })).status).toBe('pass');
    const shipped = await check('bundle-excludes', { bundle: { zip: 'app.zip' }, paths: ['node_modules', 'venv'] }, { 'app.zip': parent });
    expect(shipped).toMatchObject({ reason: 'included', hintLevel: 'fix', found: 'app.zip ships node_modules (1 entries).' });
    expect((await check('bundle-excludes', { bundle: { zip: 'app.zip' }, paths: ['node_modules'] }, { 'app.zip': good })).status).toBe('pass');
  });

  it('ebDeploy inspects what `eb deploy` would upload: .ebignore, the folder, or the deploy artifact', async () => {
    const project = { 'package.json': '{}', 'server.js': '', 'node_modules/express/index.js': '', 'venv/pyvenv.cfg': '' };
    const params = { bundle: { ebDeploy: true }, paths: ['node_modules', 'venv'] };
    const shipped = await check('bundle-excludes', params, project);
    expect(shipped).toMatchObject({ status: 'fail', reason: 'included', hintLevel: 'fix' });
    expect(shipped.found).toContain('the folder minus .gitignore');
    expect((await check('bundle-excludes', params, { ...project, '.ebignore': 'node_modules/\nvenv/\n' })).status).toBe('pass');
    const artifactConfig = { '.elasticbeanstalk/config.yml': 'deploy:\n  artifact: dist/app.zip\n' };
    expect(await check('bundle-excludes', params, { ...project, ...artifactConfig })).toMatchObject({ status: 'fail', reason: 'no-bundle', hintLevel: 'nudge' });
    const wrapped = await check('bundle-root-contains', { bundle: { ebDeploy: true }, paths: ['package.json'] }, { ...project, ...artifactConfig, 'dist/app.zip': parent });
    expect(wrapped).toMatchObject({ status: 'fail', reason: 'parent-folder' });
  });

  it('a missing zip is a nudge and a corrupt one names the problem', async () => {
    expect(await check('bundle-no-parent-folder', { bundle: { zip: 'app.zip' } }, {})).toMatchObject({ reason: 'no-bundle', hintLevel: 'nudge' });
    const corrupt = await check('bundle-no-parent-folder', { bundle: { zip: 'app.zip' } }, { 'app.zip': 'this is not a zip' });
    expect(corrupt).toMatchObject({ status: 'fail', reason: 'not-a-zip' });
  });
});

describe('errors inside checks', () => {
  it('an exception is an error, not the learner’s failure, and the run goes on', async () => {
    const lab = labWithChecks([
      { kind: 'application-exists', params: { application: 'pettracker-web' } },
      { kind: 'file-exists', params: { path: 'Procfile' }, points: 3 },
    ]);
    const run = await runChecks(lab, { fs: await workspaceWith({ Procfile: 'web: x' }), clients: offline, presetFinishedAt: 0 });
    expect(run.results[0]).toMatchObject({ status: 'error', points: 0, hintLevel: null });
    expect(run.results[0].error).toBeTruthy();
    expect(run.results[1].status).toBe('pass');
    expect(run).toMatchObject({ score: 3, maxScore: 4, passed: 1, failed: 0, errored: 1, completed: false });
  });

  it('a custom check that is missing from checks.ts is an error naming it', async () => {
    const lab = labWithChecks([{ kind: 'custom', params: { name: 'answer-names-version' } }], {}, { 'checks.ts': 'export default {}' });
    const run = await runChecks(lab, { fs: await workspaceWith({}), clients: offline, presetFinishedAt: 0, customChecks: {} });
    expect(run.results[0].status).toBe('error');
    expect(run.results[0].error).toContain('no custom check "answer-names-version"');
  });

  it('custom checks get params and the context', async () => {
    const lab = labWithChecks([{ kind: 'custom', params: { name: 'answer', want: 'v1' } }], {}, { 'checks.ts': '' });
    const run = await runChecks(lab, {
      fs: await workspaceWith({ 'answers.txt': 'v1' }),
      clients: offline,
      presetFinishedAt: 0,
      customChecks: {
        answer: async (params, ctx) => {
          const text = await ctx.fs.readFile(`${ctx.workspaceDir}/answers.txt`);
          return { pass: text.trim() === params.want, expected: String(params.want), found: text };
        },
      },
    });
    expect(run.results[0].status).toBe('pass');
  });
});
