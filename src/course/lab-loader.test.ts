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

describe('wrong answers as edits (edit: in wrong.yaml)', () => {
  const SOLUTION_APP = 'import os\nPORT = 8000\napp = make_app()\n';
  function withEdits(edits: string, extra: LabFiles = {}): LabFiles {
    return files({
      'solution/app.py': SOLUTION_APP,
      'wrong/bad-port/wrong.yaml': `${wrong()}edit:\n${edits}`,
      'wrong/bad-port/Procfile': 'web: python app.py\n',
      ...extra,
    });
  }
  const badPortWorkspace = (f: LabFiles) => {
    const lab = parseLab(f, { labId: 'demo' });
    return wrongAnswerWorkspace(lab, lab.wrongAnswers.find((w) => w.name === 'bad-port')!);
  };

  it('replaces the one occurrence in a base file, after the folder’s files are laid over', () => {
    const workspace = badPortWorkspace(
      withEdits('  - file: app.py\n    replace: "PORT = 8000"\n    with: "PORT = 5000"\n  - file: Procfile\n    replace: "python app.py"\n    with: "python3 app.py"\n'),
    );
    expect(workspace).toEqual({ 'app.py': 'import os\nPORT = 5000\napp = make_app()\n', Procfile: 'web: python3 app.py\n' });
  });

  it('applies edits in order, each to the result of the ones before, and "" deletes the text', () => {
    const workspace = badPortWorkspace(
      withEdits(
        '  - { file: app.py, replace: "PORT = 8000", with: "PORT = 5000" }\n' +
          '  - { file: app.py, replace: "PORT = 5000\\n", with: "" }\n' +
          '  - { file: app.py, replace: "import os\\napp", with: "app" }\n',
      ),
    );
    expect(workspace['app.py']).toBe('app = make_app()\n');
  });

  it('rejects text found zero times or several times, naming wrong.yaml, the field, its line, the file and the count', () => {
    const problems = problemsOf(
      withEdits('  - file: app.py\n    replace: "PORT = 9000"\n    with: x\n  - file: app.py\n    replace: "PORT"\n    with: y\n', {
        'solution/app.py': 'PORT = 8000\nPORT_NAME = "p"\n',
      }),
    );
    expect(problems).toEqual([
      { file: 'wrong/bad-port/wrong.yaml', line: 5, column: 14, field: 'edit[0].replace', message: expect.stringMatching(/^"PORT = 9000" is found 0 times in app\.py; it must occur exactly once: copy the text exactly/) },
      { file: 'wrong/bad-port/wrong.yaml', line: 8, column: 14, field: 'edit[1].replace', message: expect.stringMatching(/^"PORT" is found 2 times in app\.py; it must occur exactly once: include more of the surrounding text/) },
    ]);
    expect(() => parseLab(withEdits('  - { file: app.py, replace: "PORT", with: y }\n', { 'solution/app.py': 'PORT PORT' }), { labId: 'demo' })).toThrow(
      /wrong\/bad-port\/wrong\.yaml:4:\d+ edit\[0\]\.replace: "PORT" is found 2 times in app\.py/,
    );
  });

  it('rejects an edit of a file the workspace does not have (including one deleted) or of a binary file', () => {
    const problems = problemsOf(
      withEdits('  - { file: ap.py, replace: a, with: b }\n  - { file: Procfile, replace: web, with: b }\n  - { file: bundle.zip, replace: PK, with: b }\n', {
        'wrong/bad-port/wrong.yaml': `${wrong()}delete: [Procfile]\nedit:\n  - { file: ap.py, replace: a, with: b }\n  - { file: Procfile, replace: web, with: b }\n  - { file: bundle.zip, replace: PK, with: b }\n`,
        'starter/bundle.zip': new Uint8Array([80, 75, 5, 6]),
      }),
    );
    expect(problems.map((p) => [p.file, p.line, p.field])).toEqual([
      ['wrong/bad-port/wrong.yaml', 5, 'edit[0].file'],
      ['wrong/bad-port/wrong.yaml', 6, 'edit[1].file'],
      ['wrong/bad-port/wrong.yaml', 7, 'edit[2].file'],
    ]);
    expect(problems[0].message).toMatch(/^"ap\.py" is not in the wrong answer's workspace .*"app\.py"/);
    expect(problems[1].message).toMatch(/^"Procfile" is not in the wrong answer's workspace/);
    expect(problems[2].message).toMatch(/^"bundle\.zip" is a binary file; edits change text files only/);
  });

  it('checks the shape of each edit: an empty replace, a missing with, an unknown field, a path outside the workspace', () => {
    const problems = problemsOf(withEdits('  - { file: app.py, replace: "" , with: x }\n  - { file: app.py, replace: PORT }\n  - { file: ../app.py, replace: a, with: b, width: 3 }\n'));
    expect(problems.filter((p) => p.file === 'wrong/bad-port/wrong.yaml').map((p) => p.field).sort()).toEqual(['edit[0].replace', 'edit[1].with', 'edit[2]', 'edit[2].file']);
  });

  it('edits a starter file when the wrong answer starts from the starter', () => {
    const f = withEdits('  - { file: app.py, replace: "= 1", with: "= 2" }\n');
    f['wrong/bad-port/wrong.yaml'] = `${wrong()}base: starter\nedit:\n  - { file: app.py, replace: "= 1", with: "= 2" }\n`;
    expect(badPortWorkspace(f)).toEqual({ 'app.py': 'app = 2\n', Procfile: 'web: python app.py\n' });
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
