#!/usr/bin/env node
// The `eb` command (EB CLI compatible) for Node: registers tsx and runs src/eb/node-main.ts.
import { register } from 'tsx/esm/api';

// Node 20 is supported (package.json engines); the AWS SDK's notice about its future Node 22 minimum would
// otherwise open every `eb` run. The SDK's own switch turns off only that notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../src/eb/node-main.ts');
