// The cloud a lab starts from: its preset (applications, versions, running environments) applied through the SDK
// on a stepped clock, where a launch is instant, and kept as the snapshot the live cloud restores. The site builds
// it with each lab page, so a first visit needs neither the SDK nor the simulation before its prompt; the worker
// builds it itself only when the page has none (an empty preset, or a page built without it).
import { createCloud, ManualClock } from '../../cloud/index.ts';
import type { Lab } from '../../course/lab-assembly.ts';

export interface PresetCloud {
  /** The cloud's snapshot once the preset has settled (its `time` is when that happened, on the stepped clock). */
  snapshot: unknown;
  /** Cloud time the preset finished: events before it are the preset's, not the learner's. */
  finishedAt: number;
}

/** Whether the lab's cloud starts with anything in it. */
export function hasPreset(lab: Lab): boolean {
  const { applications, versions, environments } = lab.manifest.preset;
  return applications.length + versions.length + environments.length > 0;
}

/** Applies the lab's preset to a new cloud whose clock starts at `start` and snapshots it. */
export async function buildPresetCloud(lab: Lab, start = Date.now()): Promise<PresetCloud> {
  const cloud = createCloud({ clock: new ManualClock(start), log: (message) => console.warn(`[sandbox cloud] ${message}`) });
  try {
    // An empty preset makes no calls: the lab starts from an empty cloud without loading the SDK.
    if (!hasPreset(lab)) return { snapshot: cloud.snapshot(), finishedAt: start };
    const [{ clientsForCloud }, { applyPreset }] = await Promise.all([import('../../aws/index.ts'), import('../../checks/preset.ts')]);
    const result = await applyPreset(lab, clientsForCloud(cloud, { region: lab.manifest.region }));
    return { snapshot: cloud.snapshot(), finishedAt: result.finishedAt };
  } finally {
    cloud.dispose();
  }
}
