// `npm run bench`: runs every benchmark file in bench/ (`*.bench.ts`), each in its own Node process
// (with --expose-gc, so memory figures are clean), one after another, and prints their ratios.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(benchDir, '..');
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((o) => name.includes(o)))
  .sort();

if (files.length === 0) {
  console.error(only.length ? `No benchmark in bench/ matches ${only.join(', ')}.` : 'No benchmark files (*.bench.ts) in bench/.');
  process.exitCode = 1;
}

const failed: string[] = [];
for (const file of files) {
  console.log(`\n== ${file} ==`);
  const result = spawnSync(process.execPath, ['--expose-gc', join(root, 'bin', 'run-ts.mjs'), join(benchDir, file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.status !== 0) failed.push(`${file} (exit ${result.status ?? result.signal})`);
}
if (failed.length) {
  console.error(`\nBenchmarks that failed: ${failed.join(', ')}`);
  process.exitCode = 1;
} else if (files.length) {
  console.log(`\n${files.length} benchmark file(s) ran.`);
}
