// Node entry of the `eb` bin: runs runEb over the real filesystem (rooted at /) with the process's
// cwd, environment and streams, and is the only place that exits the process.
import { NodeWorkspaceFs } from '../workspace/node-fs.ts';
import { runEb } from './index.ts';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
});

async function prompt(question: string): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

const code = await runEb(process.argv.slice(2), {
  fs: new NodeWorkspaceFs('/'),
  cwd: process.cwd(),
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
  prompt: process.stdin.isTTY ? prompt : undefined,
  home: process.env.HOME,
});
process.exitCode = code;
// Open SDK sockets (keep-alive) must not keep a finished command alive.
setImmediate(() => process.exit(code));
