// Build-time lab data for the lab pages: every lab under labs/, and each lab's files in the JSON form the
// workbench reads (text as is, bytes as base64) with its validated manifests, embedded so the lab works offline.
import { join } from 'node:path';
import { listLabIds, loadLabFromDir } from '../../course/lab-loader-node.ts';
import { labManifests, type Lab } from '../../course/lab-loader.ts';
import type { LabPageData } from '../../workbench/workbench.ts';
import { buildPresetCloud, hasPreset, type PresetCloud } from '../../workbench/session/preset-cloud.ts';

export const LABS_ROOT = join(process.cwd(), 'labs');

/**
 * Every valid lab. A lab whose files do not validate gets no page, with its problems (file:line) in the
 * build log, rather than taking every other lab page down; `academy verify` fails on it in `npm test`.
 */
export async function allLabs(): Promise<Lab[]> {
  const ids = await listLabIds(LABS_ROOT).catch(() => [] as string[]);
  const loaded = await Promise.allSettled(ids.map((id) => loadLabFromDir(join(LABS_ROOT, id))));
  const labs: Lab[] = [];
  loaded.forEach((result, i) => {
    if (result.status === 'fulfilled') labs.push(result.value);
    else console.warn(`[labs] no page for labs/${ids[i]}: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`);
  });
  return labs;
}

const MANIFEST_FILE = /^(?:lab\.yaml|wrong\/[^/]+\/wrong\.yaml)$/;

/**
 * The page data of a lab: its files, its validated manifests, and the cloud it starts from (`presetCloudOf`: the
 * preset applied once, at build, so a learner's first visit restores it instead of loading the SDK and simulating).
 */
export function pageData(lab: Lab, presetCloud: PresetCloud | null = null): LabPageData {
  const files: LabPageData['files'] = {};
  for (const [path, content] of Object.entries(lab.files)) {
    // The validated manifests below stand in for lab.yaml and the wrong.yaml files; their text is not needed.
    if (MANIFEST_FILE.test(path)) continue;
    files[path] = typeof content === 'string' ? { encoding: 'utf8', content } : { encoding: 'base64', content: Buffer.from(content).toString('base64') };
  }
  // The manifests go validated (defaults applied), so the lab worker assembles the Lab without zod.
  return { id: lab.id, title: lab.manifest.title, files, manifests: labManifests(lab), presetCloud };
}

/** The lab's starting cloud, built now; null for an empty preset (the worker starts that cloud at the learner's time). */
export async function presetCloudOf(lab: Lab): Promise<PresetCloud | null> {
  return hasPreset(lab) ? buildPresetCloud(lab) : null;
}

/** JSON safe to put inside a <script> element (no "</script>" or "<!--" can end it early). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
