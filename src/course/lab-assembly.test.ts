import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { listLabIds, loadLabFromDir } from './lab-loader-node.ts';
import { assembleLab, labManifests, readLabManifests, wrongAnswerWorkspace, LabFormatError, type Lab, type LabFiles, type LabManifests } from './lab-assembly.ts';
import { parseLab } from './lab-loader.ts';
import { pageData, scriptJson } from '../pages/labs/_lab-data.ts';

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

/** What the lab worker does with a lab page's data: files and manifests through JSON, then assembleLab. */
function throughPageData(parsed: Lab): Lab {
  const data = JSON.parse(scriptJson(pageData(parsed))) as ReturnType<typeof pageData>;
  const files: LabFiles = {};
  for (const [path, entry] of Object.entries(data.files)) files[path] = entry.encoding === 'utf8' ? entry.content : new Uint8Array(Buffer.from(entry.content, 'base64'));
  return assembleLab(files, readLabManifests(data.manifests, parsed.id));
}

function wrongWorkspaces(lab: Lab): Record<string, LabFiles> {
  return Object.fromEntries(lab.wrongAnswers.map((w) => [w.name, wrongAnswerWorkspace(lab, w)]));
}

describe('assembling a lab from validated manifests (what the lab worker does)', () => {
  it('builds every wrong answer’s workspace, edits applied, as parseLab does', async () => {
    const ids = await listLabIds(LABS);
    let edited = 0;
    for (const id of ids) {
      const parsed = await loadLabFromDir(join(LABS, id));
      edited += parsed.wrongAnswers.filter((w) => w.manifest.edit.length > 0).length;
      expect(wrongWorkspaces(throughPageData(parsed))).toEqual(wrongWorkspaces(parsed));
    }
    expect(edited, 'labs/ has wrong answers written as edits (docker-platform does)').toBeGreaterThan(0);
    // A wrong answer of our own with edits, so the edit path is covered whatever the labs hold.
    const lab = await loadLabFromDir(join(LABS, 'eb-fundamentals'));
    const withEdits = parseLab(
      {
        ...lab.files,
        'wrong/port-5000/wrong.yaml':
          'description: The app listens on 5000.\nexpect: { check: staging-green, hintLevel: fix }\nedit:\n' +
          '  - { file: server.js, replace: "process.env.PORT || 8080", with: "5000" }\n' +
          '  - { file: server.js, replace: "listening on ${port}", with: "listening on 5000" }\n',
      },
      { labId: 'eb-fundamentals' },
    );
    const expected = wrongWorkspaces(withEdits)['port-5000'];
    expect(expected['server.js']).toContain('const port = 5000;');
    expect(expected['server.js']).toContain('listening on 5000');
    expect(expected['server.js']).not.toContain('PORT || 8080');
    expect(wrongWorkspaces(throughPageData(withEdits))['port-5000']).toEqual(expected);
  });

  it('gives the same Lab as parseLab for every lab in labs/, from the page data (manifests through JSON, no YAML)', async () => {
    const ids = await listLabIds(LABS);
    expect(ids.length).toBeGreaterThan(5);
    for (const id of ids) {
      const parsed = await loadLabFromDir(join(LABS, id));
      const data = JSON.parse(scriptJson(pageData(parsed))) as ReturnType<typeof pageData>;
      const files: LabFiles = {};
      for (const [path, entry] of Object.entries(data.files)) files[path] = entry.encoding === 'utf8' ? entry.content : new Uint8Array(Buffer.from(entry.content, 'base64'));
      expect(Object.keys(files).filter((p) => p.endsWith('.yaml') && (p === 'lab.yaml' || p.startsWith('wrong/')))).toEqual([]);
      const assembled = assembleLab(files, readLabManifests(data.manifests, id));
      const json = (value: unknown) => JSON.parse(JSON.stringify(value));
      // JSON drops fields zod left undefined (optional ones), as the page's data does.
      expect(json(assembled.manifest)).toEqual(json(parsed.manifest));
      expect(assembled.manifest.checks.map((c) => c.params)).toEqual(json(parsed.manifest.checks.map((c) => c.params)));
      expect(json({ ...assembled, files: null })).toEqual(json({ ...parsed, files: null }));
      expect(assembled.starter).toEqual(parsed.starter);
      expect(assembled.solution).toEqual(parsed.solution);
      const { 'lab.yaml': _labYaml, ...withoutManifests } = parsed.files;
      for (const key of Object.keys(withoutManifests)) if (/^wrong\/[^/]+\/wrong\.yaml$/.test(key)) delete withoutManifests[key];
      expect(assembled.files).toEqual(withoutManifests);
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
    broken.wrongAnswers[wrongName].edit = [{ file: 'server.js', replace: 8080 }];
    const problems = problemsOf(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^manifests\.lab\.id: is "procfile" but the page is for the lab "eb-fundamentals"/),
        expect.stringMatching(/^manifests\.lab\.checks\[1\]: must be an object, got string/),
        expect.stringMatching(/^manifests\.lab\.preset\.environments: must be an array, got object/),
        expect.stringMatching(/^manifests\.lab\.steps\[0\]\.commands: must be an array of strings, got array/),
        `manifests.wrongAnswers.${wrongName}.base: must be "solution" or "starter", got "finished"; the page and its lab data come from different builds; rebuild the site (npm run build)`,
        expect.stringMatching(new RegExp(`^manifests\\.wrongAnswers\\.${wrongName}\\.expect\\.check: must be a string, got null`)),
        expect.stringMatching(new RegExp(`^manifests\\.wrongAnswers\\.${wrongName}\\.edit\\[0\\]\\.replace: must be a string, got number`)),
        expect.stringMatching(new RegExp(`^manifests\\.wrongAnswers\\.${wrongName}\\.edit\\[0\\]\\.with: is missing \\(expected a string\\)`)),
      ]),
    );
    expect(problems).toHaveLength(8);
  });
});
