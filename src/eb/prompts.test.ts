// Interactive hosts (the lab terminal passes `prompt`, Ctrl-C aborts `signal`): confirmations, answers
// with defaults, and interrupting a long wait.
import { describe, it, expect } from 'vitest';
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { parse } from 'yaml';
import { createCloud, ManualClock } from '../cloud/index.ts';
import { sandbox } from './test-helpers.ts';

function steppedCloud() {
  const clock = new ManualClock();
  return { cloud: createCloud({ clock, log: () => undefined }), clock };
}

function answers(...replies: string[]) {
  const asked: string[] = [];
  return {
    asked,
    prompt: async (question: string) => {
      asked.push(question);
      return replies.shift() ?? '';
    },
  };
}

describe('eb with a prompt', () => {
  it('eb init asks for the region, application name and platform, with defaults', async () => {
    const box = await sandbox(steppedCloud());
    const user = answers('eu-central-1', '', '');
    const init = await box.eb('init', { prompt: user.prompt });
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    expect(user.asked[0]).toMatch(/^Select a default region/);
    expect(user.asked[1]).toMatch(/^Enter Application Name\n\(default is "pettracker-web"\)/);
    expect(user.asked[2]).toMatch(/^It appears you are using Node\.js\. Is this correct\?/);
    const config = parse(await box.fs.readFile(`${box.cwd}/.elasticbeanstalk/config.yml`, 'utf8'));
    expect(config.global).toMatchObject({ application_name: 'pettracker-web', default_region: 'eu-central-1' });
  });

  it('eb create without a name uses <app>-dev when nobody can answer', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    const create = await box.eb('create --single --nohang');
    expect(create.code).toBe(0);
    expect(create.stdout).toContain('Environment details for: pettracker-web-dev');
  });

  it('eb terminate terminates only when the typed name matches', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    expect((await box.eb('create pettracker-web-staging --single')).code).toBe(0);
    const wrong = answers('pettracker-web-prod');
    const refused = await box.eb('terminate', { prompt: wrong.prompt });
    expect(wrong.asked).toEqual(['To confirm, type the environment name: ']);
    expect(refused.stdout).toBe('The environment "pettracker-web-staging" and all associated instances will be terminated.\n');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toBe('ERROR: ValidationError - Names do not match. Exiting.\n');
    const right = answers('pettracker-web-staging');
    const done = await box.eb('terminate', { prompt: right.prompt });
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/terminateEnvironment completed successfully\.\n$/);
  });

  it('Ctrl-C while events stream stops waiting (exit 5) and leaves the operation running', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    const controller = new AbortController();
    let printed = '';
    const run = box.eb('create pettracker-web-staging --single', {
      signal: controller.signal,
      stdout: (text) => {
        printed += text;
        if (text.includes('createEnvironment is starting.')) controller.abort();
      },
    });
    const result = await run;
    expect(printed).toContain('Printing Status:');
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('Stopped waiting. The operation continues');
    const env = await box.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-staging'] }));
    expect(env.Environments![0].Status).toBe('Launching');
  });

  it('eb events -f follows new events until interrupted', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    expect((await box.eb('create pettracker-web-staging --single --nohang')).code).toBe(0);
    const controller = new AbortController();
    let printed = '';
    const result = await box.eb('events -f', {
      signal: controller.signal,
      stdout: (text) => {
        printed += text;
        if (text.includes('Successfully launched environment')) controller.abort();
      },
    });
    expect(result.code).toBe(0);
    expect(printed).toContain('Streaming new events. Use CTRL+C to exit.');
    expect(printed).toMatch(/Successfully launched environment: pettracker-web-staging/);
  });
});

describe('eb scale and eb swap on a single environment', () => {
  it('scaling a single instance needs a yes or --force; swapping needs two environments', async () => {
    const box = await sandbox(steppedCloud());
    await box.eb('init -p node.js pettracker-web --region us-east-1');
    expect((await box.eb('create pettracker-web-staging --single')).code).toBe(0);
    const refused = await box.eb('scale 2');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/single-instance environment.*Run "eb scale 2 --force"/);
    const no = answers('n');
    const declined = await box.eb('scale 2', { prompt: no.prompt });
    expect(no.asked[0]).toMatch(/^The environment is currently a single-instance\. Do you want to change to a load-balancing environment\?/);
    expect(declined.code).toBe(0);
    const forced = await box.eb('scale 2 --force');
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    const status = await box.eb('status -v');
    expect(status.stdout).toContain('  Running instances: 2\n');
    const swap = await box.eb('swap');
    expect(swap.code).toBe(4);
    expect(swap.stderr).toBe('ERROR: InvalidOptionsError - You must have at least 2 running environments to swap CNAMEs.\n');
  });
});
