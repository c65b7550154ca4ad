import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { listLabIds, loadLabFromDir } from './lab-loader-node.ts';
import { assembleLab, labManifests, readLabManifests, LabFormatError, type LabManifests } from './lab-assembly.ts';

const LABS = join(import.meta.dirname, '../../labs');

function problemsOf(value: unknown, labId = 'eb-fundamentals'): string[] {
  try {
    readLabManifests(value, labId);
  } catch (err) {
    expect(err).toBeInstanceOf(LabFormatError);
    return (err as LabFormatError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  throw new Error('expected a LabFormatError');
}

describe('assembling a lab from validated manifests (what the lab worker does)', () => {
  it('gives the same Lab as parseLab for every lab in labs/, after the manifests cross JSON', async () => {
    const ids = await listLabIds(LABS);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) {
      const parsed = await loadLabFromDir(join(LABS, id));
      const manifests = readLabManifests(JSON.parse(JSON.stringify(labManifests(parsed))), id);
      const assembled = assembleLab(parsed.files, manifests);
      // JSON drops fields zod left undefined (optional ones), as the page's data does.
      expect(JSON.parse(JSON.stringify({ ...assembled, files: null }))).toEqual(JSON.parse(JSON.stringify({ ...parsed, files: null })));
      expect(assembled.files).toEqual(parsed.files);
      expect(assembled.manifest.checks.map((c) => c.params)).toEqual(parsed.manifest.checks.map((c) => JSON.parse(JSON.stringify(c.params))));
    }
  });

  it('names each field of malformed page data, and says to rebuild', async () => {
    const lab = await loadLabFromDir(join(LABS, 'eb-fundamentals'));
    const good = JSON.parse(JSON.stringify(labManifests(lab))) as LabManifests & Record<string, never>;
    expect(problemsOf(undefined)).toEqual([expect.stringMatching(/^manifests: is missing; the page and its lab data come from different builds; rebuild the site/)]);
    expect(problemsOf([])).toEqual([expect.stringMatching(/^manifests: must be an object, got array/)]);
    expect(problemsOf({ wrongAnswers: good.wrongAnswers })).toEqual([expect.stringMatching(/^manifests\.lab: is missing \(expected an object\)/)]);

    const broken = JSON.parse(JSON.stringify(good));
    broken.lab.id = 'procfile';
    broken.lab.checks[1] = 'procfile-web';
    broken.lab.preset.environments = {};
    broken.lab.steps[0].commands = ['eb init', 3];
    const wrongName = Object.keys(broken.wrongAnswers)[0];
    broken.wrongAnswers[wrongName].base = 'finished';
    broken.wrongAnswers[wrongName].expect.check = null;
    const problems = problemsOf(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^manifests\.lab\.id: is "procfile" but the page is for the lab "eb-fundamentals"/),
        expect.stringMatching(/^manifests\.lab\.checks\[1\]: must be an object, got string/),
        expect.stringMatching(/^manifests\.lab\.preset\.environments: must be an array, got object/),
        expect.stringMatching(/^manifests\.lab\.steps\[0\]\.commands: must be an array of strings, got array/),
        `manifests.wrongAnswers.${wrongName}.base: must be "solution" or "starter", got "finished"; the page and its lab data come from different builds; rebuild the site (npm run build)`,
        expect.stringMatching(new RegExp(`^manifests\\.wrongAnswers\\.${wrongName}\\.expect\\.check: must be a string, got null`)),
      ]),
    );
    expect(problems).toHaveLength(6);
  });
});
