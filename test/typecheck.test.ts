// The type check of the whole project (`astro check`: TypeScript strict over .ts and .astro files),
// reported as a readable list grouped by file so a failure says where to look. It takes a minute or two
// on an idle two-core machine and several under load, hence the generous timeout.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface TypeCheckError {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

/** Parses `astro check` output lines such as `src/a.ts:3:7 - error ts(2322): Type ...`. */
function parseCheckOutput(output: string): TypeCheckError[] {
  const clean = output.replace(/\u001b\[[0-9;]*m/g, '');
  const errors: TypeCheckError[] = [];
  for (const match of clean.matchAll(/^(\S+?):(\d+):(\d+) - error (ts\(\d+\)|[\w-]+\(\d+\)|\w+):\s*(.*)$/gm)) {
    errors.push({ file: match[1], line: Number(match[2]), column: Number(match[3]), code: match[4], message: match[5].trim() });
  }
  return errors;
}

function formatErrors(errors: TypeCheckError[]): string {
  const byFile = new Map<string, TypeCheckError[]>();
  for (const e of errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return [...byFile.entries()]
    .map(([file, list]) => `${file} (${list.length})\n${list.map((e) => `  ${e.line}:${e.column} ${e.code} ${e.message}`).join('\n')}`)
    .join('\n');
}

describe('type check', () => {
  it('parses astro check output into file, line and message', () => {
    const sample = '\u001b[96msrc/a.ts\u001b[0m:\u001b[93m6\u001b[0m:\u001b[93m47\u001b[0m - \u001b[91merror\u001b[0m\u001b[90m ts(2307): \u001b[0mCannot find module x.\n\nsrc/b.ts:1:1 - warning ts(6133): unused';
    expect(parseCheckOutput(sample)).toEqual([{ file: 'src/a.ts', line: 6, column: 47, code: 'ts(2307)', message: 'Cannot find module x.' }]);
  });

  it('astro check finds no type errors in src/, e2e/, test/ and scripts/', { timeout: 900_000 }, () => {
    const run = spawnSync(join(root, 'node_modules', '.bin', 'astro'), ['check'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ASTRO_TELEMETRY_DISABLED: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    const errors = parseCheckOutput(output);
    expect(errors, `astro check found ${errors.length} type error(s):\n${formatErrors(errors)}`).toEqual([]);
    expect(run.status, `astro check failed without listing errors:\n${output.slice(-3000)}`).toBe(0);
  });
});
