// The tutorial sequence, unchanged, in-process against the sandbox cloud on a stepped clock:
// init, create, deploy, status, setenv, printenv, scale, health, logs, swap, terminate.
import { describe, it, expect } from 'vitest';
import { DescribeEnvironmentsCommand, DescribeApplicationVersionsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { sandbox } from './test-helpers.ts';
import { createCloud, ManualClock } from '../cloud/index.ts';

function steppedCloud() {
  const clock = new ManualClock();
  return { cloud: createCloud({ clock, log: () => undefined }), clock };
}

const eventLine = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {4}(INFO|WARN|ERROR) {1,4}\S/;

describe('the tutorial sequence', () => {
  it('runs end to end with the real CLI output and exit codes', async () => {
    const box = await sandbox(steppedCloud());

    const init = await box.eb('init -p node.js pettracker-web --region us-east-1');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('Application pettracker-web has been created.');
    const config = parse(await box.fs.readFile(`${box.cwd}/.elasticbeanstalk/config.yml`, 'utf8'));
    expect(config.global.application_name).toBe('pettracker-web');
    expect(config.global.default_region).toBe('us-east-1');
    expect(config.global.default_platform).toMatch(/^Node\.js \d+ running on 64bit Amazon Linux 2023$/);
    expect(config.global.sc).toBe('git');
    expect(await box.fs.readFile(`${box.cwd}/.gitignore`, 'utf8')).toContain('.elasticbeanstalk/*');

    const create = await box.eb('create pettracker-web-staging');
    expect(create.stderr).toBe('');
    expect(create.code).toBe(0);
    const lines = create.stdout.split('\n');
    expect(lines[0]).toMatch(/^Creating application version archive "app-[0-9a-f]{4}-\d{6}_\d{12}"\.$/);
    expect(create.stdout).toMatch(/Uploading pettracker-web\/app-.*\.zip to S3\. This may take a while\.\nUpload Complete\./);
    expect(create.stdout).toContain('Environment details for: pettracker-web-staging\n  Application name: pettracker-web\n  Region: us-east-1\n');
    expect(create.stdout).toMatch(/  Tier: WebServer-Standard-1\.0\n/);
    expect(create.stdout).toContain('Printing Status:');
    const events = lines.filter((l) => eventLine.test(l));
    expect(events[0]).toMatch(/INFO    createEnvironment is starting\.$/);
    expect(events.at(-1)).toMatch(/Successfully launched environment: pettracker-web-staging$/);

    const afterCreate = parse(await box.fs.readFile(`${box.cwd}/.elasticbeanstalk/config.yml`, 'utf8'));
    expect(afterCreate['branch-defaults'].main.environment).toBe('pettracker-web-staging');

    await box.write({ 'server.js': "require('http').createServer((q, s) => s.end('v2')).listen(process.env.PORT || 8080);\n" });
    await box.commit('Second version');
    const deploy = await box.eb('deploy');
    expect(deploy.stderr).toBe('');
    expect(deploy.code).toBe(0);
    expect(deploy.stdout).toMatch(/INFO    Environment update is starting\./);
    expect(deploy.stdout.trimEnd()).toMatch(/Environment update completed successfully\.$/);
    const versions = await box.clients.eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: 'pettracker-web' }));
    const latest = versions.ApplicationVersions!.find((v) => v.Description === 'Second version')!;
    expect(latest.Status).toBe('PROCESSED');

    const status = await box.eb('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`  Deployed Version: ${latest.VersionLabel}`);
    expect(status.stdout).toMatch(/  Status: Ready\n  Health: Green\n$/);

    const setenv = await box.eb('setenv NODE_ENV=production LOG_LEVEL=info');
    expect(setenv.code).toBe(0);
    // Either success event ends the wait (ebcli's list), whichever EB reports first.
    expect(setenv.stdout.trimEnd()).toMatch(/(Successfully deployed new configuration to environment|Environment update completed successfully)\.$/);
    const printenv = await box.eb('printenv');
    expect(printenv.stdout).toContain(' Environment Variables:\n');
    expect(printenv.stdout).toContain('     NODE_ENV = production\n');
    expect(printenv.stdout).toContain('     LOG_LEVEL = info\n');

    const scale = await box.eb('scale 3');
    expect(scale.stderr).toBe('');
    expect(scale.code).toBe(0);
    const envAfterScale = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-staging'] }));
    expect(envAfterScale.Environments![0].Status).toBe('Ready');

    const health = await box.eb('health');
    expect(health.stderr).toBe('');
    expect(health.code).toBe(0);
    expect(health.stdout).toMatch(/total\s+ok\s+warning\s+degraded\s+severe\s+info\s+pending\s+unknown/);
    expect(health.stdout.match(/^\s+i-[0-9a-f]+\s+Ok/gm)?.length).toBe(3);

    const logs = await box.eb('logs');
    expect(logs.stderr).toBe('');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('Retrieving logs...');
    expect(logs.stdout.match(/^============= i-[0-9a-f]+ ==============$/gm)?.length).toBe(3);

    const prod = await box.eb('create pettracker-web-prod --cname pettracker-web-prod-ab12');
    expect(prod.code).toBe(0);
    const swap = await box.eb('swap pettracker-web-staging -n pettracker-web-prod');
    expect(swap.stderr).toBe('');
    expect(swap.code).toBe(0);
    expect(swap.stdout.trimEnd()).toMatch(/Completed swapping CNAMEs for environments/);
    const afterSwap = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-staging'] }));
    expect(afterSwap.Environments![0].CNAME).toMatch(/^pettracker-web-prod-ab12\./);

    // `eb create` made the new environment the branch default, so that is the one terminated.
    const terminate = await box.eb('terminate --force');
    expect(terminate.stderr).toBe('');
    expect(terminate.code).toBe(0);
    expect(terminate.stdout.trimEnd()).toMatch(/terminateEnvironment completed successfully\.$/);
    const gone = await box.eb('status');
    expect(gone.code).toBe(4);
    expect(gone.stderr).toBe('ERROR: NotFoundError - Environment "pettracker-web-prod" not Found.\n');
    expect((await box.eb('status pettracker-web-staging')).code).toBe(0);

    const bucket = await box.clients.s3.send(new ListObjectsV2Command({ Bucket: 'elasticbeanstalk-us-east-1-000000000000', Prefix: 'pettracker-web/' }));
    expect(bucket.Contents?.length).toBe(3);
  }, 60_000);
});
