import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadLabFromDir } from '../../course/lab-loader-node.ts';
import { labManifests } from '../../course/lab-assembly.ts';
import { LabSession } from '../session/lab-session.ts';
import type { TrafficData } from './traffic-data.ts';

const LABS = join(import.meta.dirname, '../../../labs');

describe('the traffic chart data a lab session answers (zero-downtime lab, sandbox probe)', () => {
  it('shows the probe against production, then the all-at-once outage and the new version answering', async () => {
    const lab = await loadLabFromDir(join(LABS, 'zero-downtime'));
    const session = new LabSession(() => {}, { setInterval: () => 0, clearInterval: () => {} });
    await session.boot({ labId: lab.id, labFiles: lab.files, manifests: labManifests(lab), files: null, cloudSnapshot: null, cloud: { kind: 'sandbox', speed: 60 } });
    try {
      const before = (await session.traffic()) as TrafficData;
      expect(before.environment).toBe('pettracker-ml-prod');
      expect(before.buckets.length).toBeGreaterThan(0);
      expect(before.buckets.every((b) => b.failed === 0)).toBe(true);
      expect(before.versions).toEqual(['v1']);

      const deploy = await session.exec(1, 'eb deploy pettracker-ml-prod --version v2');
      expect(deploy.exitCode).toBe(0);
      const after = (await session.traffic()) as TrafficData;
      expect(after.buckets.reduce((n, b) => n + b.failed, 0)).toBeGreaterThan(0);
      expect(after.versions).toEqual(['v1', 'v2']);
      expect(after.summary).toMatch(/^Last minute: \d+ requests, \d+ failed, /);
    } finally {
      session.dispose();
    }
  });
});
