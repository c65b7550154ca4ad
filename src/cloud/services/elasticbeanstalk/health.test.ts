// Enhanced health from the answers a web process gives (not only the load balancer's health check): a handler
// that fails at request time turns the instance and the environment Warning, Degraded or Severe with EB's 5xx
// cause, the instance stays in service, and health returns to Ok once a fixed version answers.
import { describe, expect, it } from 'vitest';
import {
  CreateApplicationCommand,
  CreateApplicationVersionCommand,
  CreateEnvironmentCommand,
  CreateStorageLocationCommand,
  DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand,
  DescribeEventsCommand,
  DescribeInstancesHealthCommand,
  UpdateEnvironmentCommand,
} from '@aws-sdk/client-elastic-beanstalk';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloud, ManualClock } from '../../index.ts';
import { clientsForCloud } from '../../../aws/index.ts';
import { PYTHON_STACK, zip } from './test-helpers.ts';

const APP = [
  'from flask import Flask, jsonify',
  '',
  'application = Flask(__name__)',
  '',
  "@application.route('/health')",
  'def health():',
  "    return jsonify(status='ok')",
  '',
  "@application.route('/predict', methods=['POST'])",
  'def predict():',
  "    with open('models/breeds-v4.onnx', 'rb') as f:",
  '        return jsonify(size=len(f.read()))',
  '',
].join('\n');

async function world() {
  const clock = new ManualClock();
  const cloud = createCloud({ clock, log: () => {} });
  const aws = clientsForCloud(cloud, { region: 'us-east-1' });
  const { S3Bucket } = await aws.eb.send(new CreateStorageLocationCommand({}));
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker-ml' }));
  const version = async (label: string, files: Record<string, string>) => {
    await aws.s3.send(new PutObjectCommand({ Bucket: S3Bucket, Key: `pettracker-ml/${label}.zip`, Body: zip(files) }));
    await aws.eb.send(new CreateApplicationVersionCommand({ ApplicationName: 'pettracker-ml', VersionLabel: label, SourceBundle: { S3Bucket, S3Key: `pettracker-ml/${label}.zip` } }));
  };
  await version('broken', { 'application.py': APP, 'requirements.txt': 'flask\n' });
  await version('fixed', { 'application.py': APP, 'requirements.txt': 'flask\n', 'models/breeds-v4.onnx': 'weights' });
  await aws.eb.send(
    new CreateEnvironmentCommand({
      ApplicationName: 'pettracker-ml',
      EnvironmentName: 'ml-prod',
      VersionLabel: 'broken',
      SolutionStackName: PYTHON_STACK,
      OptionSettings: [
        { Namespace: 'aws:elasticbeanstalk:healthreporting:system', OptionName: 'SystemType', Value: 'enhanced' },
        { Namespace: 'aws:elasticbeanstalk:environment:process:default', OptionName: 'HealthCheckPath', Value: '/health' },
      ],
    }),
  );
  await clock.advance(10 * 60_000);
  const health = async () => aws.eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: 'ml-prod', AttributeNames: ['All'] }));
  return { clock, aws, health };
}

describe('enhanced health from request failures', () => {
  it('a handler failing on every /predict turns the environment Severe with the 5xx share while /health passes; a fixed version brings it back to Ok', async () => {
    const { clock, aws, health } = await world();
    expect((await health()).HealthStatus).toBe('Ok');
    // Three /predict calls for each /health: 75 % of the requests fail.
    await aws.sandbox!.probe('ml-prod', 4, { requests: ['POST /predict', 'POST /predict', 'POST /predict', 'GET /health'] });
    await clock.advance(30_000);
    const bad = await health();
    expect(bad.HealthStatus).toBe('Severe');
    expect(bad.Color).toBe('Red');
    expect(bad.Causes).toEqual(['75.0 % of the requests are failing with HTTP 5xx.']);
    expect(bad.ApplicationMetrics?.StatusCodes?.Status5xx).toBe(30);
    const instances = await aws.eb.send(new DescribeInstancesHealthCommand({ EnvironmentName: 'ml-prod', AttributeNames: ['All'] }));
    expect(instances.InstanceHealthList?.[0]).toMatchObject({ HealthStatus: 'Severe', Causes: ['75.0 % of the requests are failing with HTTP 5xx.'] });
    const events = (await aws.eb.send(new DescribeEventsCommand({ EnvironmentName: 'ml-prod' }))).Events ?? [];
    expect(events.map((e) => `${e.Severity} ${e.Message}`)).toContainEqual(expect.stringMatching(/^WARN Environment health has transitioned from Ok to Severe\. [\d.]+ % of the requests are failing with HTTP 5xx\.$/));
    // The instance still passes its health check, so the load balancer keeps sending it requests.
    const { requests } = (await aws.sandbox!.traffic('ml-prod', { since: clock.now() - 10_000 })) as { requests: Array<{ path: string; status: number }> };
    expect(requests.filter((r) => r.path === '/health').every((r) => r.status === 200)).toBe(true);
    expect(requests.filter((r) => r.path === '/predict').every((r) => r.status === 500)).toBe(true);

    await aws.eb.send(new UpdateEnvironmentCommand({ EnvironmentName: 'ml-prod', VersionLabel: 'fixed' }));
    await clock.advance(3 * 60_000);
    const good = await health();
    expect(good.HealthStatus).toBe('Ok');
    expect(good.Causes).toEqual([]);
    expect((await aws.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['ml-prod'] }))).Environments?.[0]?.Health).toBe('Green');
  });

  it('a smaller share of failures is Warning or Degraded, not Severe', async () => {
    const { clock, aws, health } = await world();
    // One /predict in twenty requests: 5 % fail.
    await aws.sandbox!.probe('ml-prod', 4, { requests: ['POST /predict', ...Array.from({ length: 19 }, () => 'GET /health')] });
    await clock.advance(30_000);
    const h = await health();
    expect(h.HealthStatus).toBe('Warning');
    expect(h.Color).toBe('Yellow');
    expect(h.Causes).toEqual(['5.0 % of the requests are failing with HTTP 5xx.']);
    await aws.sandbox!.probe('ml-prod', 4, { requests: ['POST /predict', 'GET /health', 'GET /health', 'GET /health', 'GET /health', 'GET /health'] });
    await clock.advance(30_000);
    expect((await health()).HealthStatus).toBe('Degraded');
  });

  it('refuses a probe request mix that is not "METHOD /path"', async () => {
    const { aws } = await world();
    await expect(aws.sandbox!.probe('ml-prod', 1, { requests: ['predict'] })).rejects.toThrow(/'requests' must be a list of "METHOD \/path" strings/);
  });
});
