#!/usr/bin/env node
// The `eb` command (EB CLI compatible) for Node: registers tsx and runs src/eb/node-main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../src/eb/node-main.ts');
