#!/usr/bin/env node
// `npm test`: unit and integration tests, the type check, dependency rules, content and lab
// verification all run as vitest tests, so one summary line closes the run: `N passed, N failed`.
import { spawnSync } from 'node:child_process';

const args = ['vitest', 'run', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', env: { ...process.env, NO_COLOR: process.env.NO_COLOR ?? '1' } });
process.exit(result.status ?? 1);
