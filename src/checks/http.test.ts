// The same checks grade the sandbox over HTTP (`academy cloud`): SDK clients for an endpoint URL and the
// `/_sandbox/*` control endpoints, exactly as they would point at LocalStack.
import { describe, it, expect, afterAll } from 'vitest';
import { createCloud, ManualClock } from '../cloud/index.ts';
import { startCloudServer, type CloudServer } from '../cloud/server.ts';
import { clientsForCloud, clientsForEndpoint } from '../aws/index.ts';
import { applyPreset } from './preset.ts';
import { runChecks } from './runner.ts';
import { labWithChecks, workspaceWith } from './test-helpers.ts';

const files = {
  'preset/v1/package.json': JSON.stringify({ name: 'pettracker-web', scripts: { start: 'node server.js' } }),
  'preset/v1/server.js': "require('http').createServer((req, res) => res.end('ok')).listen(process.env.PORT || 8080);\n",
};
const preset = {
  applications: [{ name: 'pettracker-web' }],
  versions: [{ application: 'pettracker-web', label: 'v1', bundle: { dir: 'preset/v1' } }],
  environments: [{ application: 'pettracker-web', name: 'pettracker-web-staging', version: 'v1' }],
};
const env = 'pettracker-web-staging';

let server: CloudServer | undefined;
afterAll(async () => server?.close());

describe('checks over HTTP against academy cloud', () => {
  it('grade the same cloud through an endpoint URL as in-process', async () => {
    const clock = new ManualClock();
    const cloud = createCloud({ clock });
    const local = clientsForCloud(cloud, { region: 'us-east-1' });
    const lab = labWithChecks(
      [
        { kind: 'application-exists', params: { application: 'pettracker-web' } },
        { kind: 'version-processed', params: { application: 'pettracker-web', label: 'v1' } },
        { kind: 'environment-health', params: { environment: env, health: 'Green' } },
        { kind: 'environment-platform', params: { environment: env, platform: 'running Node\\.js 22$' } },
        { kind: 'version-deployed', params: { environment: env, label: 'v1' } },
        { kind: 'bundle-root-contains', params: { bundle: { deployedTo: env }, paths: ['package.json', 'server.js'] } },
        { kind: 'event-seen', params: { environment: env, pattern: '^Successfully launched environment', afterPreset: false } },
        { kind: 'no-failed-requests', params: { environment: env, minRequests: 5 } },
        { kind: 'env-var-set', params: { environment: env, name: 'MODEL_PATH' } },
      ],
      { platform: 'node.js-22', preset },
      files,
    );
    const { finishedAt } = await applyPreset(lab, local);
    await local.sandbox!.probe(env, 1);
    await local.sleep(20_000);

    server = await startCloudServer({ cloud, port: 0 });
    const remote = clientsForEndpoint({ endpoint: server.url, region: 'us-east-1' });
    const fs = await workspaceWith({});
    const overHttp = await runChecks(lab, { fs, clients: remote, presetFinishedAt: finishedAt - 60_000 });
    const inProcess = await runChecks(lab, { fs, clients: local, presetFinishedAt: finishedAt - 60_000 });

    const outline = (run: typeof overHttp) => run.results.map((r) => `${r.kind}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
    expect(outline(overHttp)).toEqual(outline(inProcess));
    expect(outline(overHttp)).toEqual([
      'application-exists: pass',
      'version-processed: pass',
      'environment-health: pass',
      'environment-platform: pass',
      'version-deployed: pass',
      'bundle-root-contains: pass',
      'event-seen: pass',
      'no-failed-requests: pass',
      'env-var-set: fail (not-set)',
    ]);
  });
});
