// Test helpers for the checks engine: a one-check lab built from YAML and an in-memory workspace.
import { InMemoryFs } from 'just-bash';
import { stringify } from 'yaml';
import { parseLab, type Lab, type LabFiles } from '../course/lab-loader.ts';
import { joinPath } from '../workspace/fs.ts';

export const HINTS = {
  nudge: 'Where does EB look?',
  concept: { text: 'The concept.', href: '/chapters/procfile/#the-web-process' },
  fix: 'The exact fix.',
};

/**
 * A lab whose checks are the given kind/params pairs (ids c0, c1, ...). It goes through parseLab, so params get
 * their defaults as a real lab's do: the checks runner runs params as given and does not re-validate them.
 */
export function labWithChecks(checks: { kind: string; params: Record<string, unknown>; points?: number }[], extra: Record<string, unknown> = {}, files: LabFiles = {}): Lab {
  const manifest = {
    id: 'fixture',
    title: 'Fixture lab',
    chapter: 'procfile',
    estimatedMinutes: 5,
    objectives: ['Test checks'],
    platform: 'python-3.13',
    steps: [{ title: 'Do it', body: 'Do it.' }],
    checks: checks.map((c, i) => ({ id: `c${i}`, title: `Check ${i}`, kind: c.kind, points: c.points ?? 1, params: c.params, hints: HINTS })),
    ...extra,
  };
  const wrong = (n: string) => ({ [`wrong/${n}/wrong.yaml`]: stringify({ description: n, expect: { check: 'c0', hintLevel: 'nudge' } }) });
  return parseLab({ 'lab.yaml': stringify(manifest), 'solution/solve.sh': 'true\n', ...wrong('a'), ...wrong('b'), ...files }, { labId: 'fixture' });
}

export const WORKSPACE = '/home/learner/fixture';

export async function workspaceWith(files: Record<string, string | Uint8Array>): Promise<InMemoryFs> {
  const fs = new InMemoryFs();
  await fs.mkdir(WORKSPACE, { recursive: true });
  for (const [path, content] of Object.entries(files)) await fs.writeFile(joinPath(WORKSPACE, path), content);
  return fs;
}
