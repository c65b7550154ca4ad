// `academy verify` over every lab inside `npm test`, plus the mutation proof: a solution broken the way the
// lab teaches (each wrong answer, and a few edits of our own) must make verify fail on the check that teaches it.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { importLabChecks, listLabIds, loadLabFromDir } from '../src/course/lab-loader-node.ts';
import { wrongAnswerWorkspace, type Lab, type LabFiles } from '../src/course/lab-loader.ts';
import type { CustomChecks } from '../src/checks/index.ts';
import { verifyLab, renderVerifyHuman, type LabVerifyReport } from '../src/tools/verify.ts';

const root = join(import.meta.dirname, '..', 'labs');
const ids = await listLabIds(root);

async function load(id: string): Promise<{ lab: Lab; customChecks?: CustomChecks }> {
  const dir = join(root, id);
  return { lab: await loadLabFromDir(dir), customChecks: (await importLabChecks(dir)) as CustomChecks | undefined };
}

function problems(report: LabVerifyReport): string[] {
  return [...report.problems, ...report.scenarios.flatMap((s) => s.problems.map((p) => `${s.name}: ${p}`))];
}

/** A solution with files changed or a different solve script, everything else as the lab has it. */
function mutate(lab: Lab, change: { files?: LabFiles; solveScript?: string; edit?: (solution: LabFiles) => LabFiles }): Lab {
  let solution = { ...lab.solution, ...(change.files ?? {}) };
  if (change.edit) solution = change.edit(solution);
  return { ...lab, solution, solveScript: change.solveScript ?? lab.solveScript };
}

const text = (content: string | Uint8Array | undefined) => (typeof content === 'string' ? content : new TextDecoder().decode(content));

/** Breakages of our own, each a mistake the lab teaches, with the check that must catch it. */
const TAUGHT_MISTAKES: Record<string, { name: string; check: string; mutate: (lab: Lab) => Lab }[]> = {
  'eb-fundamentals': [
    { name: 'Node.js 24 instead of 22', check: 'nodejs-22-platform', mutate: (lab) => mutate(lab, { solveScript: lab.solveScript.replaceAll('node.js-22', 'node.js-24') }) },
  ],
  packaging: [
    {
      name: 'zip keeps node_modules',
      check: 'no-installed-dependencies',
      mutate: (lab) => mutate(lab, { edit: (s) => ({ ...s, 'package.sh': text(s['package.sh']).replace(" 'node_modules/*'", '') }) }),
    },
  ],
  procfile: [
    {
      name: 'Gunicorn on the Node.js port 8080',
      check: 'procfile-web',
      mutate: (lab) => mutate(lab, { edit: (s) => ({ ...s, Procfile: text(s.Procfile).replace(':8000', ':8080') }) }),
    },
  ],
};

describe('academy verify: every lab is proven', () => {
  it('finds the labs', () => {
    expect(ids).toEqual(expect.arrayContaining(['eb-fundamentals', 'packaging', 'procfile']));
  });

  for (const id of ids) {
    it(`${id}: the starter fails, the solution passes, every wrong answer gets its hint`, async () => {
      const { lab, customChecks } = await load(id);
      const report = await verifyLab(lab, { customChecks });
      expect(problems(report), renderVerifyHuman({ ok: report.ok, labs: [report], durationMs: report.durationMs, cpuMs: report.cpuMs })).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.scenarios.map((s) => s.name)).toEqual(['starter', 'solution', ...lab.wrongAnswers.map((w) => `wrong/${w.name}`)]);
      // Grading stays fast: a whole lab's checks in well under a second.
      for (const s of report.scenarios) expect(s.checksMs).toBeLessThan(1000);
    });
  }
});

describe('mutation proof: a solution broken the way the lab teaches fails verify', () => {
  for (const id of ids) {
    // Every wrong answer already runs as its own scenario above; here the first one replaces the solution,
    // to show that verify itself goes red when a lab's solution carries a mistake the lab teaches.
    it(`${id}: a solution with the first wrong answer's mistake fails verify on its declared check`, async () => {
      const { lab, customChecks } = await load(id);
      expect(lab.wrongAnswers.length).toBeGreaterThanOrEqual(2);
      for (const wrong of lab.wrongAnswers.slice(0, 1)) {
        // The wrong answer's whole workspace becomes "the solution" (and its solve.sh, if it has one).
        const broken: Lab = { ...lab, starter: {}, solution: wrongAnswerWorkspace(lab, wrong), solveScript: wrong.solveScript ?? lab.solveScript };
        const report = await verifyLab(broken, { customChecks, scenarios: ['solution'] });
        expect(report.ok, `wrong/${wrong.name} as the solution should fail verify`).toBe(false);
        const caught = report.scenarios[0].run?.results.find((r) => r.id === wrong.manifest.expect.check);
        expect({ wrong: wrong.name, status: caught?.status, hintLevel: caught?.hintLevel }).toEqual({ wrong: wrong.name, status: 'fail', hintLevel: wrong.manifest.expect.hintLevel });
      }
    });

    for (const mistake of TAUGHT_MISTAKES[id] ?? []) {
      it(`${id}: ${mistake.name} fails verify on ${mistake.check}`, async () => {
        const { lab, customChecks } = await load(id);
        const report = await verifyLab(mistake.mutate(lab), { customChecks, scenarios: ['solution'] });
        expect(report.ok).toBe(false);
        const caught = report.scenarios[0].run?.results.find((r) => r.id === mistake.check);
        expect(caught?.status).toBe('fail');
        // Caught for the right reason: the check got far enough to see the mistake, not just "nothing deployed".
        expect(caught?.hintLevel).not.toBe('nudge');
      });
    }
  }
});

/** A heading's anchor as the site makes it (github-slugger's rule for ASCII text: drop punctuation, spaces to hyphens). */
function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/ /g, '-');
}

describe('hint links point into the course', () => {
  it('every concept link names a chapter, and a section that exists once the chapter is written', async () => {
    const { existsSync, readFileSync } = await import('node:fs');
    const broken: string[] = [];
    for (const id of ids) {
      const { lab } = await load(id);
      for (const check of lab.manifest.checks) {
        const [, slug, anchor] = /^\/chapters\/([a-z0-9-]+)\/(?:#(.+))?$/.exec(check.hints.concept.href) ?? [];
        const file = join(import.meta.dirname, '..', 'content', 'chapters', `${slug}.mdx`);
        if (!anchor || !existsSync(file)) continue;
        const anchors = readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => /^#{2,6}\s/.test(line))
          .map((line) => anchorOf(line.replace(/^#+\s+/, '').trim()));
        if (!anchors.includes(anchor)) broken.push(`${id} ${check.id}: ${check.hints.concept.href} (sections: ${anchors.join(', ')})`);
      }
    }
    expect(broken).toEqual([]);
  });
});
