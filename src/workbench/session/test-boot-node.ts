// Boots a lab's session as the worker does, from the lab folder and its build-time manifests (Node, tests only).
import { join } from 'node:path';
import { loadLabFromDir } from '../../course/lab-loader-node.ts';
import { labManifests } from '../../course/lab-loader.ts';
import { LabSession } from './lab-session.ts';
import type { PresetCloud } from './preset-cloud.ts';

export const LABS_DIR = join(import.meta.dirname, '../../../labs');

/** A sandbox-cloud session on the lab's starter files (no timers), optionally with the page's preset cloud. */
export async function bootLabSession(id: string, presetCloud: PresetCloud | null = null): Promise<LabSession> {
  const lab = await loadLabFromDir(join(LABS_DIR, id));
  const session = new LabSession(() => {}, { setInterval: () => 0, clearInterval: () => {} });
  await session.boot({ labId: lab.id, labFiles: lab.files, manifests: JSON.parse(JSON.stringify(labManifests(lab))), files: null, cloudSnapshot: null, presetCloud, cloud: { kind: 'sandbox', speed: 300 } });
  return session;
}
