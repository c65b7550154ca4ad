// `eb`: the EB CLI from src/eb, run over the lab's filesystem and the lab's cloud clients, its output
// streamed to the terminal as it happens (`eb create` and `eb deploy` take simulated minutes).
import { ebCommandFlags, ebCommandNames, ebSubcommandNames, runEb } from '../../eb/index.ts';
import type { LabCommand } from '../command.ts';

export const ebCommand: LabCommand = {
  name: 'eb',
  summary: 'Elastic Beanstalk CLI: init, create, deploy, status, health, events, logs, setenv, terminate ...',
  streams: true,
  complete(args, word) {
    const positional = args.filter((a) => !a.startsWith('-'));
    if (word.startsWith('-')) {
      const [name, sub] = positional;
      const path = sub !== undefined && ebSubcommandNames[name]?.includes(sub) ? `${name} ${sub}` : name;
      return ebCommandFlags[path ?? ''] ?? ['--help', '--version', '--debug', '--region', '--profile', '--endpoint-url'];
    }
    if (positional.length === 0) return ebCommandNames;
    if (positional.length === 1) return ebSubcommandNames[positional[0]];
    return undefined;
  },
  run(args, ctx) {
    return runEb(args, {
      fs: ctx.fs,
      cwd: ctx.cwd,
      env: ctx.env,
      stdout: ctx.stdout,
      stderr: ctx.stderr,
      clients: ctx.clients,
      signal: ctx.signal,
      home: ctx.home,
      ...(ctx.prompt ? { prompt: ctx.prompt } : {}),
      ...(ctx.openUrl ? { openUrl: ctx.openUrl } : {}),
    });
  },
};
