#!/usr/bin/env node
// The `academy` bin: registers tsx so the TypeScript sources run as they are, then runs src/tools/main.ts.
// The only place in the tools that exits the process.
import { register } from 'tsx/esm/api';

// Node 20 is supported here (package.json engines); the AWS SDK's notice about its future Node 22 minimum
// would otherwise open every `academy` run. The SDK's own switch turns off only that notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { runAcademy } = await import('../src/tools/main.ts');
const code = await runAcademy(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
});
// Let piped output drain before exiting.
process.stdout.write('', () => process.exit(code));
