import { describe, it, expect, beforeAll } from 'vitest';
import { DescribeConfigurationSettingsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { labShell, labWithEnvironment, APP } from '../../test/lab.ts';

describe('aws elasticbeanstalk', () => {
  let lab: Awaited<ReturnType<typeof labWithEnvironment>>;
  beforeAll(async () => {
    lab = await labWithEnvironment();
  });

  it('describes environments as JSON with the CLI’s layout', async () => {
    const r = await lab.shell.exec('aws elasticbeanstalk describe-environments --environment-names pettracker-web-staging');
    expect(r.exitCode).toBe(0);
    const parsed = JSON.parse(r.stdout);
    expect(parsed.Environments[0]).toMatchObject({ EnvironmentName: 'pettracker-web-staging', Status: 'Ready', Health: 'Green', CNAME: lab.cname });
    expect(r.stdout).toMatch(/^\{\n {4}"Environments": \[\n {8}\{\n/);
    expect(r.stdout).toMatch(/"DateCreated": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00"/);
    expect(r.stdout).not.toContain('$metadata');
  });

  it('applies --query and --output text/table/yaml', async () => {
    const text = await lab.shell.exec("aws elasticbeanstalk describe-environments --query 'Environments[0].[EnvironmentName,Status,Health]' --output text");
    expect(text.stdout).toBe('pettracker-web-staging\tReady\tGreen\n');
    const single = await lab.shell.exec("aws elasticbeanstalk describe-environments --query 'Environments[0].CNAME' --output text");
    expect(single.stdout).toBe(`${lab.cname}\n`);
    const table = await lab.shell.exec("aws elasticbeanstalk describe-environments --query 'Environments[].{Name:EnvironmentName,Health:Health}' --output table");
    expect(table.stdout).toMatch(/\|\s+DescribeEnvironments\s+\|/);
    expect(table.stdout).toMatch(/\|\s+Name\s+\|\s+Health\s+\|/);
    expect(table.stdout).toMatch(/\|\s+pettracker-web-staging\s+\|\s+Green\s+\|/);
    const yaml = await lab.shell.exec("aws elasticbeanstalk describe-environments --query 'Environments[0].{Name:EnvironmentName}' --output yaml");
    expect(yaml.stdout).toBe('Name: pettracker-web-staging\n');
  });

  it('updates option settings given in shorthand and in JSON (file://)', async () => {
    const shorthand = await lab.shell.exec(
      'aws elasticbeanstalk update-environment --environment-name pettracker-web-staging --option-settings Namespace=aws:elasticbeanstalk:application:environment,OptionName=LOG_LEVEL,Value=debug',
    );
    expect(shorthand.exitCode).toBe(0);
    expect(JSON.parse(shorthand.stdout).Status).toBe('Updating');
    await lab.clients.sleep(10 * 60_000);
    await lab.fs.writeFile(
      `${APP}/options.json`,
      JSON.stringify([{ Namespace: 'aws:elasticbeanstalk:application:environment', OptionName: 'FEATURE_FLAG', Value: 'on' }]),
    );
    const json = await lab.shell.exec('aws elasticbeanstalk update-environment --environment-name pettracker-web-staging --option-settings file://options.json');
    expect(json.exitCode).toBe(0);
    await lab.clients.sleep(10 * 60_000);
    const settings = await lab.clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: 'pettracker-web', EnvironmentName: 'pettracker-web-staging' }));
    const env = (settings.ConfigurationSettings?.[0].OptionSettings ?? []).filter((o) => o.Namespace === 'aws:elasticbeanstalk:application:environment');
    expect(Object.fromEntries(env.map((o) => [o.OptionName, o.Value]))).toMatchObject({ LOG_LEVEL: 'debug', FEATURE_FLAG: 'on' });
    const viaCli = await lab.shell.exec(
      "aws elasticbeanstalk describe-configuration-settings --application-name pettracker-web --environment-name pettracker-web-staging --query \"ConfigurationSettings[0].OptionSettings[?OptionName=='LOG_LEVEL'].Value\" --output text",
    );
    expect(viaCli.stdout).toBe('debug\n');
  });

  it('describes events and health', async () => {
    const events = await lab.shell.exec("aws elasticbeanstalk describe-events --environment-name pettracker-web-staging --max-records 50 --query 'Events[].Message' --output json");
    expect(JSON.parse(events.stdout)).toEqual(expect.arrayContaining(['Successfully launched environment: pettracker-web-staging']));
    const health = await lab.shell.exec('aws elasticbeanstalk describe-environment-health --environment-name pettracker-web-staging --attribute-names All');
    expect(health.exitCode).toBe(0);
    expect(JSON.parse(health.stdout).EnvironmentName).toBe('pettracker-web-staging');
  });

  it('prints service errors like the CLI and exits 254', async () => {
    const r = await lab.shell.exec('aws elasticbeanstalk describe-configuration-settings --application-name pettracker-web --environment-name nope');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toMatch(/^\nAn error occurred \(InvalidParameterValue\) when calling the DescribeConfigurationSettings operation: .+\n$/);
  });

  it('reports command-line mistakes with usage and exit 252', async () => {
    const missing = await lab.shell.exec('aws elasticbeanstalk describe-configuration-settings');
    expect(missing.exitCode).toBe(252);
    expect(missing.stderr).toContain('aws: error: the following arguments are required: --application-name');
    const unknown = await lab.shell.exec('aws elasticbeanstalk describe-environments --bogus 1');
    expect(unknown.stderr).toContain('Unknown options: --bogus, 1');
    const badOp = await lab.shell.exec('aws elasticbeanstalk describe-everything');
    expect(badOp.stderr).toMatch(/Invalid choice.*describe-environments/s);
    const badShorthand = await lab.shell.exec('aws elasticbeanstalk update-environment --environment-name x --option-settings Namespace');
    expect(badShorthand.stderr).toContain("Error parsing parameter '--option-settings'");
    const badOutput = await lab.shell.exec('aws sts get-caller-identity --output xml');
    expect(badOutput.stderr).toContain('argument --output: Invalid choice');
    const badQuery = await lab.shell.exec("aws sts get-caller-identity --query 'Account['");
    expect(badQuery.exitCode).toBe(255);
    expect(badQuery.stderr).toContain('Bad jmespath expression');
  });

  it('talks to another region with --region', async () => {
    const r = await lab.shell.exec("aws elasticbeanstalk describe-environments --region eu-west-1 --query 'length(Environments)'");
    expect(r.stdout).toBe('0\n');
  });
});

describe('aws s3, s3api and sts', () => {
  it('answers get-caller-identity', async () => {
    const { shell } = await labShell();
    const r = await shell.exec("aws sts get-caller-identity --query Account --output text");
    expect(r.stdout).toMatch(/^\d{12}\n$/);
  });

  it('makes buckets, copies files both ways, lists and removes', async () => {
    const { shell, fs } = await labShell();
    expect((await shell.exec('aws s3 mb s3://pettracker-artifacts')).stdout).toBe('make_bucket: pettracker-artifacts\n');
    expect((await shell.exec('aws s3 ls')).stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d pettracker-artifacts\n$/m);
    expect((await shell.exec('aws s3 cp server.js s3://pettracker-artifacts/app/server.js')).stdout).toBe('upload: ./server.js to s3://pettracker-artifacts/app/server.js\n');
    expect((await shell.exec('aws s3 ls s3://pettracker-artifacts')).stdout).toBe(`${' '.repeat(30)} PRE app/\n`);
    expect((await shell.exec('aws s3 ls s3://pettracker-artifacts --recursive')).stdout).toMatch(/^\S+ \S+ +\d+ app\/server\.js\n$/);
    expect((await shell.exec('aws s3 cp s3://pettracker-artifacts/app/server.js copy.js')).stdout).toBe('download: s3://pettracker-artifacts/app/server.js to ./copy.js\n');
    expect(await fs.readFile(`${APP}/copy.js`)).toBe(await fs.readFile(`${APP}/server.js`));
    expect((await shell.exec('aws s3 cp s3://pettracker-artifacts/app/server.js - | head -1')).stdout).toBe("const express = require('express');\n");
    const failed = await shell.exec('aws s3 rb s3://pettracker-artifacts');
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/^remove_bucket failed: s3:\/\/pettracker-artifacts An error occurred \(BucketNotEmpty\)/);
    expect((await shell.exec('aws s3 rm s3://pettracker-artifacts/app/server.js')).stdout).toBe('delete: s3://pettracker-artifacts/app/server.js\n');
    expect((await shell.exec('aws s3 rb s3://pettracker-artifacts')).stdout).toBe('remove_bucket: pettracker-artifacts\n');
  });

  it('runs s3api put/head/get/list operations', async () => {
    const { shell, fs } = await labShell();
    await shell.exec('aws s3api create-bucket --bucket bundles');
    const put = await shell.exec('aws s3api put-object --bucket bundles --key v1/package.json --body package.json');
    expect(JSON.parse(put.stdout).ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const head = await shell.exec('aws s3api head-object --bucket bundles --key v1/package.json --query ContentLength');
    expect(Number(head.stdout)).toBe((await fs.readFile(`${APP}/package.json`)).length);
    const get = await shell.exec('aws s3api get-object --bucket bundles --key v1/package.json fetched.json');
    expect(JSON.parse(get.stdout).Body).toBeUndefined();
    expect(await fs.readFile(`${APP}/fetched.json`)).toBe(await fs.readFile(`${APP}/package.json`));
    const list = await shell.exec("aws s3api list-objects-v2 --bucket bundles --prefix v1/ --query 'Contents[].Key' --output text");
    expect(list.stdout).toBe('v1/package.json\n');
    const missing = await shell.exec('aws s3api head-object --bucket bundles --key nope');
    expect(missing.exitCode).toBe(254);
    expect(missing.stderr).toMatch(/An error occurred \((NotFound|404)\) when calling the HeadObject operation/);
  });

  it('refuses --endpoint-url and unknown services with a reason', async () => {
    const { shell } = await labShell();
    expect((await shell.exec('aws --endpoint-url http://localhost:4566 s3 ls')).stderr).toMatch(/already talks to the lab's cloud/);
    expect((await shell.exec('aws ec2 describe-instances')).stderr).toMatch(/Invalid choice 'ec2'/);
  });

  it('completes services, operations and parameters', async () => {
    const { shell } = await labShell();
    expect((await shell.complete('aws ela', 7)).candidates).toEqual(['elasticbeanstalk']);
    expect((await shell.complete('aws elasticbeanstalk describe-env', 33)).candidates).toEqual([
      'describe-environment-health',
      'describe-environment-managed-actions',
      'describe-environment-resources',
      'describe-environments',
    ]);
    expect((await shell.complete('aws elasticbeanstalk update-environment --option', 47)).candidates).toEqual(['--option-settings', '--options-to-remove']);
  });
});
