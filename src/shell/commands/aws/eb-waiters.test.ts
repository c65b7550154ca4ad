// `aws elasticbeanstalk wait ...` through the lab shell: waits on the cloud's clock for an update to finish,
// returns at once when there is nothing to wait for, and gives up with botocore's message and exit 255.
import { describe, it, expect } from 'vitest';
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { labWithEnvironment } from '../../test/lab.ts';

describe('aws elasticbeanstalk wait', () => {
  it('waits until an update finishes, and until a termination finishes', async () => {
    const lab = await labWithEnvironment();
    const update = await lab.shell.exec(
      'aws elasticbeanstalk update-environment --environment-name pettracker-web-staging --option-settings Namespace=aws:elasticbeanstalk:application:environment,OptionName=APP_STAGE,Value=staging',
    );
    expect(update.exitCode).toBe(0);
    const before = lab.clients.now();
    const wait = await lab.shell.exec('aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-staging');
    expect(wait.stderr).toBe('');
    expect(wait.exitCode).toBe(0);
    expect(wait.stdout).toBe('');
    const env = await lab.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-staging'] }));
    expect(env.Environments?.[0]?.Status).toBe('Ready');
    // It polled every 20 s of cloud time until the update was over.
    expect(lab.clients.now() - before).toBeGreaterThanOrEqual(20_000);

    const ready = lab.clients.now();
    expect((await lab.shell.exec('aws elasticbeanstalk wait environment-exists --environment-names pettracker-web-staging')).exitCode).toBe(0);
    expect(lab.clients.now()).toBe(ready);

    expect((await lab.shell.exec('aws elasticbeanstalk terminate-environment --environment-name pettracker-web-staging')).exitCode).toBe(0);
    const gone = await lab.shell.exec('aws elasticbeanstalk wait environment-terminated --environment-names pettracker-web-staging --include-deleted');
    expect(gone.stderr).toBe('');
    expect(gone.exitCode).toBe(0);
  }, 30_000);

  it('gives up after 20 attempts with the waiter name, and refuses an unknown waiter', async () => {
    const lab = await labWithEnvironment();
    const before = lab.clients.now();
    const none = await lab.shell.exec('aws elasticbeanstalk wait environment-updated --environment-names pettracker-web-nope');
    expect(none.exitCode).toBe(255);
    expect(none.stderr).toBe('\nWaiter EnvironmentUpdated failed: Max attempts exceeded. No environment matched the parameters.\n');
    expect(lab.clients.now() - before).toBe(19 * 20_000);

    const unknown = await lab.shell.exec('aws elasticbeanstalk wait environment-ready --environment-names pettracker-web-staging');
    expect(unknown.exitCode).toBe(252);
    expect(unknown.stderr).toContain('argument wait_name: Invalid choice, valid choices are:\n\nenvironment-exists | environment-updated | environment-terminated');
  }, 30_000);
});
