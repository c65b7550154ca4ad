// The dependency directions of shared/ARCHITECTURE.md, enforced with dependency-cruiser over src/
// (rules in .dependency-cruiser.cjs), plus the rule that only entry files call process.exit.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const config = join(root, '.dependency-cruiser.cjs');
const depcruise = join(root, 'node_modules', '.bin', 'depcruise');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: { name: string }[];
}

function cruise(cwd: string, target = 'src'): Violation[] {
  const run = spawnSync(depcruise, [target, '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!run.stdout) throw new Error(`depcruise did not run (exit ${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

function ruleComments(): Map<string, string> {
  const text = readFileSync(config, 'utf8');
  const comments = new Map<string, string>();
  for (const match of text.matchAll(/name: '([^']+)',\s*comment: '([^']+)'/g)) comments.set(match[1], match[2]);
  return comments;
}

function describeViolations(violations: Violation[]): string {
  const comments = ruleComments();
  return violations
    .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}${v.cycle ? ` (cycle ${v.cycle.map((c) => c.name).join(' -> ')})` : ''}\n  ${comments.get(v.rule.name) ?? ''}`)
    .join('\n');
}

describe('dependency rules', () => {
  it('src/ follows the dependency directions of ARCHITECTURE.md', () => {
    const violations = cruise(root);
    const errors = violations.filter((v) => v.rule.severity === 'error');
    const warnings = violations.filter((v) => v.rule.severity !== 'error');
    if (warnings.length) console.warn(`dependency warnings (not failures):\n${describeViolations(warnings)}`);
    expect(errors, `dependency rule violations:\n${describeViolations(errors)}`).toEqual([]);
  });

  it('catches each kind of violation in a fixture project', () => {
    const fixture = join(root, '.tmp', 'dependency-rules-fixture');
    rmSync(fixture, { recursive: true, force: true });
    const files: Record<string, string> = {
      'tsconfig.json': JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, module: 'esnext', moduleResolution: 'bundler', noEmit: true } }),
      'src/eb/deploy.ts': "import { model } from '../cloud/model.ts';\nexport const deploy = model;\n",
      'src/cloud/model.ts': "import { joinPath } from '../workspace/fs.ts';\nexport const model = joinPath;\n",
      'src/cloud/client.ts': "import { ElasticBeanstalkClient } from '@aws-sdk/client-elastic-beanstalk';\nexport const c = ElasticBeanstalkClient;\n",
      'src/cloud/types.ts': "import type { EnvironmentDescription } from '@aws-sdk/client-elastic-beanstalk';\nexport type E = EnvironmentDescription;\n",
      'src/cloud/clock.ts': "import { setTimeout } from 'node:timers/promises';\nexport const wait = setTimeout;\n",
      'src/workspace/fs.ts': "export const joinPath = (...p: string[]) => p.join('/');\n",
      'src/shell/run.ts': "import { readFileSync } from 'node:fs';\nexport const read = readFileSync;\n",
      'src/course/progress.ts': "import { grade } from '../tools/grade.ts';\nexport const g = grade;\n",
      'src/tools/grade.ts': "import { readFileSync } from 'node:fs';\nexport const grade = readFileSync;\n",
      'src/shell/test/lab.ts': "import { model } from '../../cloud/model.ts';\nexport const lab = model;\n",
      'src/shell/session.ts': "import { lab } from './test/lab.ts';\nexport const session = lab;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(fixture, path)), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
    try {
      const found = cruise(fixture).filter((v) => v.rule.severity === 'error').map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
      expect(found).toEqual(expect.arrayContaining([
        'eb-and-checks-reach-the-cloud-through-aws: src/eb/deploy.ts -> src/cloud/model.ts',
        'cloud-is-a-leaf: src/cloud/model.ts -> src/workspace/fs.ts',
        'cloud-node-modules-only-in-server: src/cloud/clock.ts -> timers/promises',
        'browser-code-no-node-modules: src/shell/run.ts -> fs',
        'course-is-schemas-and-loaders: src/course/progress.ts -> src/tools/grade.ts',
        'only-tools-import-tools: src/course/progress.ts -> src/tools/grade.ts',
        'no-production-imports-of-tests: src/shell/session.ts -> src/shell/test/lab.ts',
      ]));
      // Test support code may set up scenarios across layers.
      expect(found.filter((f) => f.includes(': src/shell/test/'))).toEqual([]);
      expect(found.some((f) => f.startsWith('cloud-uses-sdk-types-only: src/cloud/client.ts -> '))).toBe(true);
      // A type-only SDK import and node: in src/tools are allowed.
      expect(found.filter((f) => f.includes('src/cloud/types.ts') || f.startsWith('browser-code-no-node-modules: src/tools/'))).toEqual([]);
    } finally {
      rmSync(fixture, { recursive: true, force: true });
    }
  });
});

/** Entry files: the bin scripts and the *-main.ts module each of them loads. */
const isEntry = (path: string) => path.startsWith('bin/') || /(^|\/)[a-z-]*main\.ts$/.test(path);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mjs|astro)$/.test(name) && !/\.(test|bench)\.ts$/.test(name)) out.push(path);
  }
  return out;
}

describe('process.exit', () => {
  it('is called only by entry files (bin/*, *-main.ts); everything else returns an exit code', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      const path = relative(root, file);
      if (isEntry(path)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const code = line.replace(/\/\/.*$/, '');
        if (/\bprocess\.exit\s*\(/.test(code)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders, `process.exit outside an entry file; return an exit code and let the bin entry exit:\n${offenders.join('\n')}`).toEqual([]);
  });
});
