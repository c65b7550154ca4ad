import { describe, expect, it } from 'vitest';
import { allPlatformVersions, findByShortName, PLATFORM_BRANCHES, latestVersionOf } from '../services/elasticbeanstalk/platforms.ts';
import { answerRequest, checkHealth, deployToInstance, inspectBundle, LOG_FILES, sampleApplication, type DeploymentKind } from './index.ts';
import { routeMatches } from './proxy.ts';
import { makeZip, type FixtureFile } from './zip-fixture.ts';

const node = findByShortName('node.js-22')!;
const python = findByShortName('python-3.13')!;
const docker = findByShortName('docker')!;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

const APP = {
  'package.json': JSON.stringify({ name: 'pets', version: '1.0.0', scripts: { start: 'node server.js' } }),
  'server.js': "require('http').createServer((q, s) => s.end('ok')).listen(process.env.PORT || 8080);\n",
  'migrate.js': '// migrations\n',
};

function run(files: Record<string, string | FixtureFile>, opts: { isLeader?: boolean; kind?: DeploymentKind; options?: Record<string, string>; platform?: typeof node } = {}) {
  const platform = opts.platform ?? node;
  const report = inspectBundle(makeZip(files), platform, { versionLabel: 'v3' });
  return deployToInstance({
    report,
    versionLabel: 'v3',
    instanceId: 'i-00000000000000001',
    isLeader: opts.isLeader ?? true,
    env: {},
    options: (ns, name) => opts.options?.[`${ns}/${name}`],
    platform,
    startedAt: T0,
    ...(opts.kind ? { kind: opts.kind } : {}),
  });
}

const logText = (r: ReturnType<typeof run>, file: string) => r.logs.filter((l) => l.file === file).map((l) => l.text).join('\n');

describe('deployment on one instance', () => {
  it('runs the AL2023 steps in order with growing times and ends with the success event', () => {
    const r = run({
      ...APP,
      '.ebextensions/01.config': 'commands:\n  01_hello:\n    command: echo hello\ncontainer_commands:\n  01_migrate:\n    command: node migrate.js\n',
      '.platform/hooks/prebuild/01.sh': { content: '#!/bin/bash\necho pre\n', mode: 0o755 },
      '.platform/hooks/predeploy/01.sh': { content: '#!/bin/bash\necho predeploy\n', mode: 0o755 },
      '.platform/hooks/postdeploy/01.sh': { content: '#!/bin/bash\necho post\n', mode: 0o755 },
      '.platform/nginx/conf.d/x.conf': 'client_max_body_size 5M;\n',
      Buildfile: 'build: echo building\n',
    });
    expect(r.ok).toBe(true);
    const orders = r.steps.map((s) => s.order);
    expect(r.steps.map((s) => s.name)).toEqual([
      'StageApplication',
      'PreBuildEbExtension',
      'RunAppDeployPreBuildHooks',
      'RunBuildfile',
      'Use NPM to install dependencies',
      'check Procfile',
      'configure proxy server',
      'PostBuildEbExtension',
      'RunAppDeployPreDeployHooks',
      'FlipApplication',
      'start proxy with new configuration',
      'RunAppDeployPostDeployHooks',
    ]);
    expect(orders.filter((o) => o !== 8)).toEqual([...orders.filter((o) => o !== 8)].sort((a, b) => a - b));
    for (let i = 1; i < r.steps.length; i++) expect(r.steps[i].startedAt).toBeGreaterThanOrEqual(r.steps[i - 1].startedAt + r.steps[i - 1].durationMs);
    expect(r.durationMs).toBeGreaterThan(5_000);
    expect(r.events.at(-1)).toEqual({ severity: 'INFO', message: 'Instance deployment completed successfully.' });
    const engine = logText(r, LOG_FILES.engine);
    expect(engine).toMatch(/^2026\/11\/23 09:00:00\.000000 \[INFO\] Starting\.\.\./);
    expect(engine).toContain('Executing instruction: PreBuildEbExtension');
    expect(engine).toContain('Platform Engine finished execution on command: app-deploy');
    expect(logText(r, LOG_FILES.cfnInitCmd)).toContain('Command 01_migrate');
    expect(logText(r, LOG_FILES.hooks)).toContain('predeploy');
    expect(r.process?.clientMaxBodySize).toBe(5 * 1024 * 1024);
  });

  it('fails a hook that is not executable with fork/exec permission denied', () => {
    const r = run({ ...APP, '.platform/hooks/prebuild/01_setup.sh': { content: '#!/bin/bash\necho hi\n', mode: 0o644 } });
    expect(r.ok).toBe(false);
    expect(r.failure?.step).toBe('RunAppDeployPreBuildHooks');
    expect(logText(r, LOG_FILES.engine)).toContain(
      '[ERROR] An error occurred during execution of command [app-deploy] - [RunAppDeployPreBuildHooks]. Stop running the command. Error: Command .platform/hooks/prebuild/01_setup.sh failed with error fork/exec .platform/hooks/prebuild/01_setup.sh: permission denied',
    );
    expect(r.events).toContainEqual({ severity: 'ERROR', message: "Instance deployment failed. For details, see 'eb-engine.log'." });
    expect(r.process).toBeUndefined();
  });

  it('fails a hook saved with Windows line endings (its interpreter is /bin/bash\\r)', () => {
    const r = run({ ...APP, '.platform/hooks/prebuild/01.sh': { content: '#!/bin/bash\r\necho hi\r\n', mode: 0o755 } });
    expect(r.failure?.message).toBe('Command .platform/hooks/prebuild/01.sh failed with error fork/exec .platform/hooks/prebuild/01.sh: no such file or directory');
  });

  it('fails a hook without a #! line with exec format error, and one that exits non-zero', () => {
    expect(run({ ...APP, '.platform/hooks/predeploy/01.sh': { content: 'echo hi\n', mode: 0o755 } }).failure?.message).toContain('exec format error');
    const failing = run({ ...APP, '.platform/hooks/postdeploy/01.sh': { content: '#!/bin/bash\nset -e\ntest -f missing.txt\necho never\n', mode: 0o755 } });
    expect(failing.failure?.message).toContain('failed with error exit status 1');
  });

  it('runs leader_only container commands on the leader only, and never on an instance that joins later', () => {
    const files = { ...APP, '.ebextensions/db.config': 'container_commands:\n  01_migrate:\n    command: node migrate.js\n    leader_only: true\n' };
    expect(logText(run(files, { isLeader: true }), LOG_FILES.cfnInitCmd)).toContain('Command 01_migrate');
    expect(logText(run(files, { isLeader: false }), LOG_FILES.cfnInit)).toContain('Command 01_migrate skipped: leader_only');
    expect(logText(run(files, { isLeader: true, kind: 'launch' }), LOG_FILES.cfnInitCmd)).not.toContain('Command 01_migrate');
  });

  it('fails on a container command whose script is not in the bundle, unless ignoreErrors is set', () => {
    const broken = run({ ...APP, '.ebextensions/db.config': 'container_commands:\n  01_migrate:\n    command: python manage.py migrate\n' });
    expect(broken.ok).toBe(false);
    expect(broken.failure?.step).toBe('PostBuildEbExtension');
    expect(broken.events[0].message).toBe('Error occurred during build: Command 01_migrate failed (.ebextensions/db.config)');
    expect(logText(broken, LOG_FILES.cfnInitCmd)).toContain("python: can't open file '/var/app/staging/manage.py': [Errno 2] No such file or directory");
    const tolerated = run({ ...APP, '.ebextensions/db.config': 'container_commands:\n  01_migrate:\n    command: python manage.py migrate\n    ignoreErrors: true\n' });
    expect(tolerated.ok).toBe(true);
  });

  it('runs commands before extraction, from /, so a bundle script is not there yet', () => {
    const r = run({ ...APP, '.ebextensions/x.config': 'commands:\n  01_migrate:\n    command: node migrate.js\n' });
    expect(r.ok).toBe(false);
    expect(r.failure?.step).toBe('PreBuildEbExtension');
    const moved = run({ ...APP, '.ebextensions/x.config': 'container_commands:\n  01_migrate:\n    command: node migrate.js\n' });
    expect(moved.ok).toBe(true);
  });

  it('skips a container command whose test fails', () => {
    const r = run({ ...APP, '.ebextensions/x.config': 'container_commands:\n  01_seed:\n    command: node seed.js\n    test: test -f seed.js\n' });
    expect(r.ok).toBe(true);
    expect(logText(r, LOG_FILES.cfnInit)).toContain('Test failed with code 1');
  });

  it('fails the deployment on a Procfile syntax error', () => {
    const r = run({ ...APP, Procfile: 'web node server.js\n' });
    expect(r.ok).toBe(false);
    expect(r.failure?.step).toBe('check Procfile');
    expect(r.events[0].message).toBe("Instance deployment: Your 'Procfile' has a syntax error on line 1. The deployment failed.");
  });

  it('fails invalid .ebextensions at PreBuildEbExtension, after the bundle extracted', () => {
    const r = run({ ...APP, '.ebextensions/bad.config': 'option_settings:\n\t- x: 1\n' });
    expect(r.ok).toBe(false);
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([
      ['StageApplication', 'ok'],
      ['PreBuildEbExtension', 'failed'],
    ]);
    expect(r.events[0].message).toMatch(/^The configuration file \.ebextensions\/bad\.config in application version v3 contains invalid YAML or JSON\./);
  });

  it('passes a rejected bundle’s failure through as the StageApplication failure', () => {
    const r = run({ 'app/': '', 'app/package.json': APP['package.json'], 'app/server.js': APP['server.js'] });
    expect(r.ok).toBe(false);
    expect(r.failure?.step).toBe('StageApplication');
    expect(r.events[0].message).toContain("single top-level folder 'app/'");
  });

  it('answers 404 from nginx itself when a replacement nginx.conf drops EB’s include', () => {
    const r = run({ ...APP, '.platform/nginx/nginx.conf': 'events {}\nhttp { server { listen 80; root /usr/share/nginx/html; } }\n' });
    expect(r.process?.upstreamPort).toBe(0);
    const res = answerRequest(r.process, { method: 'GET', path: '/' });
    expect(res.status).toBe(404);
    expect(res.body).toContain('<center>nginx</center>');
  });

  it('runs confighooks, not hooks or container commands, on a configuration deployment', () => {
    const r = run(
      {
        ...APP,
        '.ebextensions/x.config': 'container_commands:\n  01:\n    command: node migrate.js\n',
        '.platform/hooks/predeploy/01.sh': { content: '#!/bin/bash\necho app\n', mode: 0o755 },
        '.platform/confighooks/predeploy/01.sh': { content: '#!/bin/bash\necho config\n', mode: 0o755 },
      },
      { kind: 'config-deploy' },
    );
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.name)).not.toContain('PostBuildEbExtension');
    expect(logText(r, LOG_FILES.hooks)).toContain('config');
    expect(logText(r, LOG_FILES.hooks)).not.toContain('app');
    expect(logText(r, LOG_FILES.engine)).toContain('Engine received EB command config-deploy');
  });

  it('forwards to the Docker container port from EXPOSE and runs the app inside the image', () => {
    const files = { ...APP, Dockerfile: 'FROM node:22-alpine\nCOPY . .\nEXPOSE 8080\nCMD ["npm", "start"]\n' };
    const r = run(files, { platform: docker });
    expect(r.ok).toBe(true);
    expect(r.process?.upstreamPort).toBe(8080);
    expect(answerRequest(r.process, { method: 'GET', path: '/' }).status).toBe(200);
    const noExpose = run({ ...APP, Dockerfile: 'FROM node:22-alpine\nCMD ["npm", "start"]\n' }, { platform: docker });
    expect(noExpose.ok).toBe(false);
    expect(logText(noExpose, LOG_FILES.engine)).toContain('No EXPOSE directive found in Dockerfile, abort deployment');
    expect(run(APP, { platform: docker }).failure?.message).toBe('Dockerfile and Dockerrun.aws.json are both missing, abort deployment');
  });

  it('is deterministic: the same input gives the same steps, logs and process', () => {
    const a = run(APP);
    const b = run(APP);
    expect(JSON.parse(JSON.stringify(a))).toEqual(JSON.parse(JSON.stringify(b)));
  });

  it('works from a report that went through JSON (as a snapshot stores it)', () => {
    const files = { 'application.py': "import os\nimport redis\nX = os.environ['X']\n", 'requirements.txt': 'flask\n' };
    const report = inspectBundle(makeZip(files), python, { versionLabel: 'v3' });
    const input = { versionLabel: 'v3', instanceId: 'i-2', isLeader: true, env: {}, options: () => undefined, platform: python, startedAt: T0 };
    const direct = deployToInstance({ ...input, report });
    const restored = deployToInstance({ ...input, report: JSON.parse(JSON.stringify(report)) });
    expect(restored).toEqual(direct);
    expect(restored.logs.map((l) => l.text).join('\n')).toContain('    import redis');
  });
});

describe('proxy and health checks', () => {
  it('matches Flask, Express and FastAPI path patterns', () => {
    expect(routeMatches('/pets/<int:id>', '/pets/12')).toBe(true);
    expect(routeMatches('/pets/<int:id>', '/pets/rex')).toBe(false);
    expect(routeMatches('/pets/:id', '/pets/rex')).toBe(true);
    expect(routeMatches('/pets/{pet_id}', '/pets/rex')).toBe(true);
    expect(routeMatches('/pets', '/pets/')).toBe(true);
    expect(routeMatches('/pets', '/pets/1')).toBe(false);
    expect(routeMatches('/files/<path:p>', '/files/a/b/c')).toBe(true);
  });

  it('applies MatcherHTTPCode to the health check path', () => {
    const r = run(APP);
    expect(checkHealth(r.process, { path: '/', matcherHttpCode: '200' }).healthy).toBe(true);
    expect(checkHealth(r.process, { path: '/', matcherHttpCode: '200-299' }).healthy).toBe(true);
    expect(checkHealth(r.process, { path: '/', matcherHttpCode: '201,202' })).toEqual({ healthy: false, status: 200, causes: ['Health checks failed with these codes: [200]'] });
  });

  it('answers 502 with nginx’s page when no process runs', () => {
    const res = answerRequest(undefined, { method: 'GET', path: '/', now: T0 });
    expect(res.status).toBe(502);
    expect(res.headers.server).toBe('nginx');
  });
});

describe('sample applications', () => {
  it('deploys and answers 200 on every platform family', () => {
    const families = new Set<string>();
    for (const branch of PLATFORM_BRANCHES) {
      if (families.has(branch.language)) continue;
      families.add(branch.language);
      const platform = latestVersionOf(branch);
      const report = inspectBundle(sampleApplication(platform), platform, { versionLabel: 'Sample Application' });
      expect(report.ok, branch.branchName).toBe(true);
      const r = deployToInstance({ report, versionLabel: 'Sample Application', instanceId: 'i-1', isLeader: true, env: {}, options: () => undefined, platform, startedAt: T0 });
      expect(r.ok, branch.branchName).toBe(true);
      const res = answerRequest(r.process, { method: 'GET', path: '/' });
      expect(res.status, branch.branchName).toBe(200);
      expect(res.headers['x-app-version']).toBe('Sample Application');
    }
    expect(families.size).toBeGreaterThanOrEqual(8);
    expect(allPlatformVersions().length).toBeGreaterThan(PLATFORM_BRANCHES.length);
  });

  it('returns the same bytes every time (a stable S3 ETag)', () => {
    expect(sampleApplication(python)).toEqual(sampleApplication(python));
  });
});
