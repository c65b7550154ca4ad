// What a learner sees when something is wrong: one clear line, the EB CLI's exit code, no stack
// trace unless --debug; plus --help for commands and subcommands and --json output.
import { describe, it, expect, beforeAll } from 'vitest';
import { sandbox, type Sandbox } from './test-helpers.ts';
import { ebCommandFlags, ebCommandNames, ebCommandHelp, ebSubcommandNames } from './index.ts';
import { createCloud, ManualClock } from '../cloud/index.ts';

function steppedCloud() {
  const clock = new ManualClock();
  return { cloud: createCloud({ clock, log: () => undefined }), clock };
}

describe('eb errors and help', () => {
  let box: Sandbox;
  beforeAll(async () => {
    box = await sandbox(steppedCloud());
  });

  it('asks for eb init first (exit 126) in a folder that was never initialised', async () => {
    const run = await box.eb('status');
    expect(run.code).toBe(126);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('ERROR: This directory has not been set up with the EB CLI\nYou must first run "eb init".\n');
  });

  it('rejects unknown flags and missing values like argparse (exit 2), naming the option', async () => {
    const unknown = await box.eb('create my-env --scael 3');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('eb: error: unrecognized arguments: --scael');
    expect(unknown.stderr).toContain('usage: eb create <environment_name> [options ...]');
    const missing = await box.eb('create my-env --scale');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('argument --scale: expected one argument');
    const notInt = await box.eb('create my-env --scale three');
    expect(notInt.stderr).toContain("argument --scale: invalid int value: 'three'");
    const command = await box.eb('deplyo');
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("invalid choice: 'deplyo'");
  });

  it('prints help for every command and subcommand, and exports names and flags for Tab completion', async () => {
    const top = await box.eb('--help');
    expect(top.code).toBe(0);
    for (const name of ['init', 'create', 'deploy', 'status', 'health', 'events', 'logs', 'setenv', 'printenv', 'scale', 'config', 'swap', 'open', 'list', 'use', 'abort', 'terminate', 'clone', 'restore', 'appversion', 'platform']) {
      expect(ebCommandNames).toContain(name);
      expect(top.stdout).toContain(`  ${name} `);
      const help = await box.eb(`${name} --help`);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^usage: eb ${name} `));
    }
    const save = await box.eb('config save --help');
    expect(save.stdout).toMatch(/^usage: eb config save /);
    expect(save.stdout).toContain('--cfg CONFIG_NAME');
    expect((await box.eb('appversion lifecycle -h')).stdout).toMatch(/^usage: eb appversion lifecycle/);
    expect(ebCommandFlags.create).toEqual(expect.arrayContaining(['--cname', '-c', '--elb-type', '-im', '--envvars', '--region']));
    expect(ebCommandFlags['config save']).toContain('--cfg');
    expect(ebSubcommandNames.config).toEqual(['save', 'get', 'put', 'list', 'delete']);
    expect(ebCommandHelp('swap')).toContain('-n, --destination_name DESTINATION_NAME');
  });

  describe('in an initialised project', () => {
    beforeAll(async () => {
      expect((await box.eb('init -p node.js pettracker-web --region us-east-1')).code).toBe(0);
    });

    it('explains that the branch has no default environment (exit 5)', async () => {
      const run = await box.eb('deploy');
      expect(run.code).toBe(5);
      expect(run.stderr).toBe(
        'ERROR: This branch does not have a default environment. You must either specify an environment by typing "eb deploy my-env-name" or set a default environment by typing "eb use my-env-name".\n',
      );
    });

    it('reports a missing environment as NotFoundError (exit 4), without a stack trace', async () => {
      const run = await box.eb('status no-such-env');
      expect(run.code).toBe(4);
      expect(run.stderr).toBe('ERROR: NotFoundError - Environment "no-such-env" not Found.\n');
      const debug = await box.eb('status no-such-env --debug');
      expect(debug.stderr).toMatch(/^ERROR: NotFoundError - .*\n.*at /s);
    });

    it('refuses flag combinations and values before calling AWS', async () => {
      const both = await box.eb('create pettracker-web-x --single --scale 2');
      expect(both.code).toBe(4);
      expect(both.stderr).toBe('ERROR: InvalidOptionsError - You cannot use the "--single" and "--scale" options together.\n');
      const name = await box.eb('create -bad-');
      expect(name.code).toBe(2);
      const shortName = await box.eb('create abc');
      expect(shortName.stderr).toMatch(/Environment name "abc" is not valid: it must be 4 to 40 characters/);
      const setenv = await box.eb('setenv =oops');
      expect(setenv.stderr).toMatch(/You must use the format KEY=VALUE/);
      const platform = await box.eb('create pettracker-web-y -p cobol');
      expect(platform.stderr).toBe(
        'ERROR: NotFoundError - The EB CLI cannot find a platform for key "cobol". Run "eb platform list" to see the platforms you can use.\n',
      );
    });

    it('passes a value EB refuses through as one line (exit 4)', async () => {
      const run = await box.eb(['create', 'pettracker-web-z', '--instance_profile', 'r'.repeat(2049)]);
      expect(run.code).toBe(4);
      const errorLines = run.stderr.trimEnd().split('\n');
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatch(
        /^ERROR: ServiceError - Configuration validation exception: Invalid option value: 'r+' \(Namespace: 'aws:autoscaling:launchconfiguration', OptionName: 'IamInstanceProfile'\)/,
      );
      const bad = await box.eb(['create', 'pettracker-web-z', '--min-instances', '3', '--max-instances', '2']);
      expect(bad.stderr).toBe('ERROR: InvalidOptionsError - --min-instances (3) cannot be greater than --max-instances (2).\n');
    });

    it('asks for --force instead of blocking when nobody can confirm a termination', async () => {
      const run = await box.eb('terminate some-env');
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/Environment "some-env" not Found|pass --force/);
    });
  });
});
