// Where `eb` sends requests when the host gives it no clients: region from --region, config.yml, the
// environment or the ~/.aws profile; endpoint from --endpoint-url or AWS_ENDPOINT_URL; over real HTTP.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { InMemoryFs } from 'just-bash';
import { parse } from 'yaml';
import { createCloud } from '../cloud/index.ts';
import { startCloudServer, type CloudServer } from '../cloud/server.ts';
import type { WorkspaceFs } from '../workspace/fs.ts';
import { runEb } from './index.ts';
import { parseArgs } from './args.ts';
import { matchBranch } from './platforms.ts';
import { words } from './test-helpers.ts';

async function run(fs: WorkspaceFs, line: string, env: Record<string, string>, cwd = '/home/maya/app') {
  let stdout = '';
  let stderr = '';
  const code = await runEb(words(line), { fs, cwd, env: { HOME: '/home/maya', NO_COLOR: '1', ...env }, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('connection settings', () => {
  let server: CloudServer;
  beforeAll(async () => {
    server = await startCloudServer({ cloud: createCloud({ speed: 1000, log: () => undefined }), port: 0 });
  });
  afterAll(async () => server?.close());

  async function workspace(): Promise<WorkspaceFs> {
    const fs = new InMemoryFs() as unknown as WorkspaceFs;
    await fs.mkdir('/home/maya/app', { recursive: true });
    await fs.writeFile('/home/maya/app/package.json', '{"name":"app"}');
    return fs;
  }

  it('takes the region from the profile in ~/.aws/config and credentials from ~/.aws/credentials', async () => {
    const fs = await workspace();
    await fs.mkdir('/home/maya/.aws', { recursive: true });
    await fs.writeFile('/home/maya/.aws/config', '[profile course]\nregion = eu-west-1\n');
    await fs.writeFile('/home/maya/.aws/credentials', '[course]\naws_access_key_id = 111122223333\naws_secret_access_key = x\n');
    const init = await run(fs, 'init pettracker-web -p node.js --profile course', { AWS_ENDPOINT_URL: server.url });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const config = parse(await fs.readFile('/home/maya/app/.elasticbeanstalk/config.yml', 'utf8'));
    expect(config.global.default_region).toBe('eu-west-1');
    expect(config.global.profile).toBe('course');
    // The platform was resolved against the sandbox and detected from package.json-free input.
    expect(config.global.default_platform).toMatch(/^Node\.js/);
    // The profile's key id selects account 111122223333: the application exists there, not in the default account.
    expect((await run(fs, 'init pettracker-web', { AWS_ENDPOINT_URL: server.url })).stdout).toBe('');
    const otherAccount = await run(fs, 'init pettracker-web', { AWS_ENDPOINT_URL: server.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    expect(otherAccount.stdout).toBe('Application pettracker-web has been created.\n');
    const list = await run(fs, 'platform list --json', { AWS_ENDPOINT_URL: server.url });
    expect(JSON.parse(list.stdout).length).toBeGreaterThan(5);
  });

  it('detects the platform from the project files when -p is not given', async () => {
    const fs = await workspace();
    const init = await run(fs, 'init pettracker-web --region us-east-1', { AWS_ENDPOINT_URL: server.url });
    expect(init.code).toBe(0);
    expect(parse(await fs.readFile('/home/maya/app/.elasticbeanstalk/config.yml', 'utf8')).global.default_platform).toMatch(/^Node\.js \d+ running on/);
  });

  it('stops with NoRegion (exit 3) when no region is known, and names a missing profile', async () => {
    const fs = await workspace();
    const noRegion = await run(fs, 'init pettracker-web -p node.js', {});
    expect(noRegion.code).toBe(3);
    expect(noRegion.stderr).toBe(
      'ERROR: The EB CLI cannot find a default region. Run "eb init" or use a specific region by including the "--region" option with the command.\n',
    );
    const missingProfile = await run(fs, 'init pettracker-web -p node.js --region us-east-1 --profile nope', { AWS_ENDPOINT_URL: server.url });
    expect(missingProfile.code).toBe(4);
    expect(missingProfile.stderr).toMatch(/^ERROR: ConfigurationError - .*'nope'/);
  });

  it('uses --endpoint-url over AWS_ENDPOINT_URL, and reports an unreachable endpoint (exit 2)', async () => {
    const fs = await workspace();
    const viaFlag = await run(fs, `init pettracker-web -p node.js --region us-east-1 --endpoint-url ${server.url}`, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(viaFlag.code).toBe(0);
    const down = await run(fs, 'list', { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^ERROR: Having trouble communicating with AWS\./);
  });

  it('refuses a config.yml that is not YAML with the file name and what to do', async () => {
    const fs = await workspace();
    await fs.mkdir('/home/maya/app/.elasticbeanstalk', { recursive: true });
    await fs.writeFile('/home/maya/app/.elasticbeanstalk/config.yml', 'global: [unclosed\n');
    const status = await run(fs, 'status', { AWS_ENDPOINT_URL: server.url });
    expect(status.code).toBe(4);
    expect(status.stderr).toMatch(/^ERROR: InvalidConfigError - \.elasticbeanstalk\/config\.yml is not valid YAML .*Fix the file or delete it and run "eb init" again\.\n$/);
  });

  it('finds the project from a subfolder', async () => {
    const fs = await workspace();
    expect((await run(fs, `init pettracker-web -p node.js --region us-east-1 --endpoint-url ${server.url}`, {})).code).toBe(0);
    await fs.mkdir('/home/maya/app/src/routes', { recursive: true });
    const list = await run(fs, 'list', { AWS_ENDPOINT_URL: server.url }, '/home/maya/app/src/routes');
    expect(list.code).toBe(0);
  });
});

describe('argument parsing', () => {
  const flags = [
    { name: '--min-instances', aliases: ['-im'], value: 'integer' as const, description: '' },
    { name: '--cname', aliases: ['-c'], value: 'string' as const, description: '' },
    { name: '--single', description: '' },
  ];
  it('reads long names, short aliases, --flag=value and positionals in any order', () => {
    const parsed = parseArgs(['env-a', '-im', '2', '--cname=my-app', '--single', '--region', 'eu-west-1'], flags, [{ name: 'env', optional: true, description: '' }], 'u', 'create');
    expect(parsed.positionals).toEqual(['env-a']);
    expect(parsed.flags).toMatchObject({ 'min-instances': 2, cname: 'my-app', single: true, region: 'eu-west-1' });
  });
  it('treats everything after -- as positionals', () => {
    expect(parseArgs(['--', '--single'], flags, [{ name: 'x', optional: true, description: '' }], 'u', 'c').positionals).toEqual(['--single']);
  });
});

describe('platform names', () => {
  const branches = [
    { BranchName: 'Node.js 24 running on 64bit Amazon Linux 2023', PlatformName: 'Node.js', LifecycleState: 'Supported', BranchOrder: 3 },
    { BranchName: 'Node.js 22 running on 64bit Amazon Linux 2023', PlatformName: 'Node.js', LifecycleState: 'Supported', BranchOrder: 2 },
    { BranchName: 'Python 3.13 running on 64bit Amazon Linux 2023', PlatformName: 'Python', LifecycleState: 'Supported', BranchOrder: 4 },
    { BranchName: 'Python 3.9 running on 64bit Amazon Linux 2023', PlatformName: 'Python', LifecycleState: 'Deprecated', BranchOrder: 1 },
    { BranchName: 'Docker running on 64bit Amazon Linux 2023', PlatformName: 'Docker', LifecycleState: 'Supported', BranchOrder: 1 },
  ];
  it('accepts the forms users type', () => {
    expect(matchBranch(branches, 'node.js')?.BranchName).toMatch(/^Node\.js 24/);
    expect(matchBranch(branches, 'nodejs')?.BranchName).toMatch(/^Node\.js 24/);
    expect(matchBranch(branches, 'node.js-22')?.BranchName).toMatch(/^Node\.js 22/);
    expect(matchBranch(branches, 'Node.js 22')?.BranchName).toMatch(/^Node\.js 22/);
    expect(matchBranch(branches, 'python-3.9')?.BranchName).toMatch(/^Python 3\.9/);
    expect(matchBranch(branches, 'python')?.BranchName).toMatch(/^Python 3\.13/);
    expect(matchBranch(branches, 'Docker running on 64bit Amazon Linux 2023')?.BranchName).toMatch(/^Docker/);
    expect(matchBranch(branches, 'cobol')).toBeNull();
  });
});
