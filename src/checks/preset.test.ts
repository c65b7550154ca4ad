import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createCloud, ManualClock } from '../cloud/index.ts';
import { clientsForCloud } from '../aws/index.ts';
import { presetSchema } from '../course/lab-schema.ts';
import { applyPreset, PresetError, zipLabFolder } from './preset.ts';

const preset = presetSchema.parse({
  applications: [{ name: 'pettracker-web' }],
  environments: [{ application: 'pettracker-web', name: 'pettracker-web-prod', traffic: 2 }],
});

describe('preset traffic', () => {
  it('starts the traffic probe, so requests are recorded for the whole lab', async () => {
    const clock = new ManualClock();
    const clients = clientsForCloud(createCloud({ clock, log: () => {} }), { region: 'us-east-1' });
    const { finishedAt } = await applyPreset(preset, clients, { files: {}, platform: 'node.js-22' });
    await clients.sleep(60_000);
    const raw = (await clients.sandbox!.traffic('pettracker-web-prod', { since: finishedAt })) as { requests: { time: number; status: number }[] };
    const after = raw.requests.filter((r) => r.time >= finishedAt);
    // Two requests a second for the minute after the preset, all answered by the sample application.
    expect(after.length).toBeGreaterThanOrEqual(100);
    expect(after.every((r) => r.status === 200)).toBe(true);
  });

  it('refuses traffic against a backend without the sandbox probe', async () => {
    const clock = new ManualClock();
    const clients = { ...clientsForCloud(createCloud({ clock, log: () => {} }), { region: 'us-east-1' }), sandbox: null };
    const failure = await applyPreset(preset, clients, { files: {}, platform: 'node.js-22' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PresetError);
    expect((failure as Error).message).toMatch(/pettracker-web-prod asks for traffic: 2, which only the built-in sandbox/);
  });
});

describe('preset bundles', () => {
  const files = {
    'starter/app/main.py': 'app = 1\n',
    'starter/models/breeds-v4.onnx': new Uint8Array([1, 2, 3]),
    'starter/.elasticbeanstalk/config.yml': 'global: {}\n',
    'starter/requirements.txt': 'fastapi\n',
    'solution/app/main.py': 'app = 2\n',
  };

  it('zips a folder of the lab, leaving out excluded folders (trailing /) and files', () => {
    const zip = unzipSync(zipLabFolder(files, 'starter', undefined, ['models/', '.elasticbeanstalk/', 'requirements.txt']));
    expect(Object.keys(zip)).toEqual(['app/main.py']);
  });

  it('an excluded folder name does not leave out a file that only starts the same way', () => {
    const zip = unzipSync(zipLabFolder({ ...files, 'starter/models.md': 'notes' }, 'starter', undefined, ['models/']));
    expect(Object.keys(zip).sort()).toEqual(['.elasticbeanstalk/config.yml', 'app/main.py', 'models.md', 'requirements.txt']);
  });
});
