// Check kinds that inspect a source bundle: a zip in the workspace, the newest version the learner
// created, or the version an environment runs (fetched from S3 through the SDK, as any backend serves it).
import type { CheckParams } from '../../course/lab-schema.ts';
import { bundleEntriesNamed, bundleHas, loadBundle, parentFolderOf, type SourceBundle } from '../helpers.ts';
import type { CheckContext, CheckOutcome, Evidence } from '../types.ts';

function listing(bundle: SourceBundle, max = 8): Evidence {
  const tops = [...new Set(bundle.entries.map((e) => e.split('/')[0] + (e.includes('/') ? '/' : '')))].sort();
  return { kind: 'file', text: `Root of ${bundle.label}: ${tops.slice(0, max).join(' ')}${tops.length > max ? ` … (${tops.length} entries)` : ''}`, source: bundle.label };
}

export async function bundleRootContains(p: CheckParams<'bundle-root-contains'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `${p.paths.join(', ')} at the root of the source bundle.`;
  const bundle = await loadBundle(ctx, p.bundle);
  const missing = p.paths.filter((path) => !bundleHas(bundle, path));
  if (missing.length === 0) return { pass: true, expected, found: `${bundle.label} has them at its root.`, evidence: [listing(bundle)] };
  const parent = parentFolderOf(bundle);
  if (parent && missing.every((path) => bundleHas(bundle, `${parent}/${path}`))) {
    return {
      pass: false,
      expected,
      found: `${bundle.label} wraps everything in a parent folder ${parent}/, so ${missing.join(', ')} sit at ${missing.map((m) => `${parent}/${m}`).join(', ')}.`,
      reason: 'parent-folder',
      hintLevel: 'concept',
      evidence: [listing(bundle)],
    };
  }
  return { pass: false, expected, found: `${bundle.label} has no ${missing.join(', ')} at its root.`, reason: 'missing-path', hintLevel: 'fix', evidence: [listing(bundle)] };
}

export async function bundleNoParentFolder(p: CheckParams<'bundle-no-parent-folder'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = 'Your files at the root of the source bundle, not inside a parent folder.';
  const bundle = await loadBundle(ctx, p.bundle);
  const parent = parentFolderOf(bundle);
  if (parent) {
    return { pass: false, expected, found: `Everything in ${bundle.label} is inside ${parent}/.`, reason: 'parent-folder', hintLevel: 'concept', evidence: [listing(bundle)] };
  }
  return { pass: true, expected, found: `${bundle.label} has its files at the root.`, evidence: [listing(bundle)] };
}

export async function bundleExcludes(p: CheckParams<'bundle-excludes'>, ctx: CheckContext): Promise<CheckOutcome> {
  const expected = `The source bundle leaves out ${p.paths.join(', ')}.`;
  const bundle = await loadBundle(ctx, p.bundle);
  const shipped = p.paths.map((name) => ({ name, entries: bundleEntriesNamed(bundle, name) })).filter((x) => x.entries.length > 0);
  if (shipped.length === 0) return { pass: true, expected, found: `${bundle.label} has none of them.`, evidence: [listing(bundle)] };
  return {
    pass: false,
    expected,
    found: `${bundle.label} ships ${shipped.map((s) => `${s.name} (${s.entries.length} entries)`).join(' and ')}.`,
    reason: 'included',
    hintLevel: 'fix',
    evidence: shipped.map((s) => ({ kind: 'file' as const, text: s.entries[0], source: bundle.label })),
  };
}
