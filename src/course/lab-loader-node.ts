// Node-only lab loading: reads labs/<lab-id>/ from disk into parseLab, and lists the labs of a course.
// Browser code bundles labs with Vite's import.meta.glob and calls parseLab directly.
import { promises as fsp } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseLab, type Lab, type LabFiles } from './lab-loader.ts';

/** Text files are read as strings, anything else (zips, images) as bytes. */
const BINARY = /\.(zip|png|jpe?g|gif|ico|whl|tar|gz|tgz|jar|war)$/i;

async function readTree(root: string): Promise<LabFiles> {
  const files: LabFiles = {};
  async function walk(dir: string): Promise<void> {
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile()) {
        const rel = relative(root, abs).split(sep).join('/');
        files[rel] = BINARY.test(entry.name) ? new Uint8Array(await fsp.readFile(abs)) : await fsp.readFile(abs, 'utf8');
      }
    }
  }
  await walk(root);
  return files;
}

/** Loads and validates one lab folder; the folder name must equal the manifest id. */
export async function loadLabFromDir(dir: string): Promise<Lab> {
  const labId = dir.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? dir;
  let files: LabFiles;
  try {
    files = await readTree(dir);
  } catch (err) {
    throw new Error(`Cannot read lab folder ${dir}: ${(err as Error).message}`);
  }
  return parseLab(files, { labId });
}

/** Lab ids under a labs root: every folder that holds a lab.yaml, sorted. */
export async function listLabIds(root: string): Promise<string[]> {
  const entries = await fsp.readdir(root, { withFileTypes: true });
  const ids: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    try {
      await fsp.access(join(root, entry.name, 'lab.yaml'));
      ids.push(entry.name);
    } catch {
      // a folder without lab.yaml is not a lab (e.g. shared fixtures)
    }
  }
  return ids.sort();
}

export async function loadAllLabs(root: string): Promise<Lab[]> {
  const ids = await listLabIds(root);
  return Promise.all(ids.map((id) => loadLabFromDir(join(root, id))));
}

/**
 * Imports a lab's checks.ts (its default export or `checks` export: a record of custom checks).
 * Needs a TypeScript-aware loader (tsx, registered by bin/academy.mjs, or vitest).
 */
export async function importLabChecks(dir: string): Promise<Record<string, unknown> | undefined> {
  const file = join(dir, 'checks.ts');
  try {
    await fsp.access(file);
  } catch {
    return undefined;
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: Record<string, unknown>; checks?: Record<string, unknown> };
  const checks = mod.default ?? mod.checks;
  if (!checks || typeof checks !== 'object') throw new Error(`${file} must export its custom checks as the default export (export default defineChecks({...}))`);
  return checks;
}
