import { describe, it, expect } from 'vitest';
import { parseLab, LabFormatError, wrongAnswerWorkspace, type LabFiles } from './lab-loader.ts';

const LAB_YAML = `id: demo
title: A demo lab
chapter: procfile
estimatedMinutes: 10
objectives: [Write a Procfile]
platform: python-3.13
steps:
  - title: Write it
    body: Create a Procfile.
checks:
  - id: procfile-web
    kind: procfile-process
    title: Procfile starts Gunicorn
    points: 2
    params:
      command: ^gunicorn
    hints:
      nudge: Where does EB learn how to start your app?
      concept: { text: The web process., href: /chapters/procfile/#the-web-process }
      fix: "web: gunicorn app:app"
`;

function wrong(check = 'procfile-web', level = 'concept'): string {
  return `description: A mistake\nexpect: { check: ${check}, hintLevel: ${level} }\n`;
}

function files(overrides: LabFiles = {}): LabFiles {
  return {
    'lab.yaml': LAB_YAML,
    'starter/app.py': 'app = 1\n',
    'solution/solve.sh': 'eb deploy\n',
    'solution/Procfile': 'web: gunicorn app:app\n',
    'wrong/no-procfile/wrong.yaml': wrong('procfile-web', 'nudge'),
    'wrong/no-procfile/solve.sh': 'true\n',
    'wrong/bad-port/wrong.yaml': wrong(),
    'wrong/bad-port/Procfile': 'web: python app.py\n',
    ...overrides,
  };
}

function problemsOf(f: LabFiles, labId = 'demo') {
  try {
    parseLab(f, { labId });
  } catch (err) {
    expect(err).toBeInstanceOf(LabFormatError);
    return (err as LabFormatError).problems;
  }
  throw new Error('expected a LabFormatError');
}

describe('parseLab', () => {
  it('splits a lab folder into manifest, starter, solution, solve script and wrong answers', () => {
    const lab = parseLab(files(), { labId: 'demo' });
    expect(lab.manifest.title).toBe('A demo lab');
    expect(lab.manifest.region).toBe('us-east-1');
    expect(lab.manifest.checks[0].params).toMatchObject({ path: 'Procfile', process: 'web', command: '^gunicorn', mustInclude: [] });
    expect(lab.starter).toEqual({ 'app.py': 'app = 1\n' });
    expect(lab.solution).toEqual({ Procfile: 'web: gunicorn app:app\n' });
    expect(lab.solveScript).toBe('eb deploy\n');
    expect(lab.workspaceDir).toBe('/home/learner/demo');
    expect(lab.wrongAnswers.map((w) => [w.name, w.manifest.expect.hintLevel, w.solveScript])).toEqual([
      ['bad-port', 'concept', undefined],
      ['no-procfile', 'nudge', 'true\n'],
    ]);
    const badPort = lab.wrongAnswers[0];
    expect(wrongAnswerWorkspace(lab, badPort)).toEqual({ 'app.py': 'app = 1\n', Procfile: 'web: python app.py\n' });
  });

  it('accepts bytes as well as text', () => {
    const lab = parseLab({ ...files(), 'lab.yaml': new TextEncoder().encode(LAB_YAML), 'starter/bundle.zip': new Uint8Array([80, 75, 5, 6]) }, { labId: 'demo' });
    expect(lab.starter['bundle.zip']).toBeInstanceOf(Uint8Array);
  });

  it('names file, line, field and the allowed values for a wrong check kind', () => {
    const problems = problemsOf(files({ 'lab.yaml': LAB_YAML.replace('kind: procfile-process', 'kind: procfile') }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: 'lab.yaml', line: 12, field: 'checks[0].kind' });
    expect(problems[0].message).toContain('"procfile-process"');
    expect(problems[0].message).toContain('"file-exists"');
  });

  it('points at a misspelt field and at a missing required one', () => {
    const yaml = LAB_YAML.replace('estimatedMinutes: 10', 'estimatedMinute: 10');
    const problems = problemsOf(files({ 'lab.yaml': yaml }));
    expect(problems.map((p) => p.field)).toEqual(expect.arrayContaining(['estimatedMinutes']));
    const unknown = problems.find((p) => p.message.includes('unknown field'));
    expect(unknown?.message).toContain('"estimatedMinute"');
    expect(problems.find((p) => p.field === 'estimatedMinutes')?.message).toMatch(/is required/);
  });

  it('reports a bad enum in a nested param with its line', () => {
    const yaml = LAB_YAML.replace('      command: ^gunicorn', '      command: ^gunicorn\n      process: "web proc"');
    const problems = problemsOf(files({ 'lab.yaml': yaml }));
    expect(problems[0]).toMatchObject({ file: 'lab.yaml', line: 17, field: 'checks[0].params.process' });
  });

  it('reports YAML syntax errors with their line', () => {
    const problems = problemsOf(files({ 'lab.yaml': 'id: demo\ntitle: [unclosed\n' }));
    expect(problems[0].file).toBe('lab.yaml');
    expect(problems[0].line).toBeGreaterThanOrEqual(2);
    expect(problems[0].message).toMatch(/not valid YAML/);
  });

  it('rejects concept links outside the chapters and invalid regexes', () => {
    const yaml = LAB_YAML.replace('/chapters/procfile/#the-web-process', 'https://example.com').replace('^gunicorn', '(gunicorn');
    const problems = problemsOf(files({ 'lab.yaml': yaml }));
    expect(problems.map((p) => p.field).sort()).toEqual(['checks[0].hints.concept.href', 'checks[0].params.command']);
    expect(problems.find((p) => p.field === 'checks[0].params.command')?.message).toMatch(/regular expression/);
  });

  it('needs lab.yaml, solve.sh, two wrong answers that name existing checks, and a matching folder name', () => {
    expect(problemsOf({ 'starter/a': 'x' })[0].message).toMatch(/lab\.yaml.*missing|missing/);
    const f = files();
    delete f['solution/solve.sh'];
    delete f['wrong/no-procfile/wrong.yaml'];
    delete f['wrong/no-procfile/solve.sh'];
    f['wrong/bad-port/wrong.yaml'] = wrong('procfile-port');
    const problems = problemsOf(f, 'other');
    const text = problems.map((p) => `${p.file} ${p.field ?? ''} ${p.message}`).join('\n');
    expect(text).toMatch(/solution\/solve\.sh\s+is missing/);
    expect(text).toMatch(/wrong\/bad-port\/wrong\.yaml expect\.check names check "procfile-port"/);
    expect(text).toMatch(/at least 2/);
    expect(text).toMatch(/lab folder is "other"/);
  });

  it('checks that preset references resolve', () => {
    const yaml = LAB_YAML.replace(
      'steps:',
      'preset:\n  applications: [{ name: pettracker-ml }]\n  environments:\n    - { application: pettracker-mx, name: pettracker-ml-staging, version: v9 }\nsteps:',
    );
    const problems = problemsOf(files({ 'lab.yaml': yaml }));
    expect(problems.map((p) => p.field)).toEqual(['preset.environments[0].application', 'preset.environments[0].version']);
  });
});

describe('the lab schema describes itself', () => {
  it('every field of every check kind, the manifest, presets and wrong answers has a description', async () => {
    const { z } = await import('zod');
    const schema = await import('./lab-schema.ts');
    const missing: string[] = [];
    const visit = (t: unknown, path: string) => {
      let type = t as import('zod').ZodTypeAny;
      const described = !!type.description;
      while (type instanceof z.ZodOptional || type instanceof z.ZodDefault || type instanceof z.ZodEffects) {
        type = type instanceof z.ZodEffects ? type.innerType() : type instanceof z.ZodDefault ? type.removeDefault() : type.unwrap();
      }
      if (!described && !type.description && !/\[\]$/.test(path)) missing.push(path);
      if (type instanceof z.ZodArray) visit(type.element, `${path}[]`);
      if (type instanceof z.ZodObject) for (const [k, v] of Object.entries(type.shape)) visit(v, `${path}.${k}`);
    };
    for (const [kind, params] of Object.entries(schema.checkParamSchemas)) visit(params, `params(${kind})`);
    visit(schema.presetSchema, 'preset');
    visit(schema.wrongAnswerSchema, 'wrong');
    visit(schema.hintLadderSchema, 'hints');
    for (const [k, v] of Object.entries(schema.labManifestSchema.shape)) if (k !== 'checks') visit(v, k);
    expect(missing).toEqual([]);
  });
});
