// `help`: what this lab terminal can do, what it cannot (no package managers, no ssh) and what to use
// instead, so a learner who reaches for a missing tool learns the Elastic Beanstalk way.
import type { LabCommand } from '../command.ts';

/** Tools learners reach for that this terminal does not have, and what to do instead. */
export const unavailableTools: Record<string, string> = {
  ssh: 'eb ssh and ssh are not available: read instance logs with eb logs, and health with eb health.',
  'eb ssh': 'not available here: use eb logs (instance logs) and eb health (per-instance status).',
  npm: 'no package managers: declare dependencies in package.json; Elastic Beanstalk runs npm install on the instances.',
  pip: 'no package managers: list dependencies in requirements.txt; Elastic Beanstalk installs them on the instances.',
  'apt/yum': 'no package managers: install OS packages on the instances with .ebextensions (packages:) instead.',
  'python/node': 'your app does not run here: it runs on the environment; deploy with eb deploy and test with curl.',
  docker: 'not available: the Docker platform builds your Dockerfile on the instances.',
  vim: 'use the editor next to the terminal (or cat, sed and heredocs: cat > file <<EOF).',
};

export const helpCommand: LabCommand = {
  name: 'help',
  summary: 'Show what this terminal can do',
  async run(args, ctx) {
    const topic = args[0];
    if (topic) {
      const known = ctx.commandNames().includes(topic);
      const missing = Object.entries(unavailableTools).find(([names]) => names.split(/[/ ]/).includes(topic));
      if (missing && !known) {
        ctx.stdout(`${topic}: ${missing[1]}\n`);
        return 0;
      }
      if (known) {
        ctx.stdout(`Run "${topic} --help" for its options.\n`);
        return 0;
      }
      ctx.stderr(`help: no help for '${topic}'. Type help to see the commands.\n`);
      return 1;
    }
    const names = ctx.commandNames();
    const lines = [
      'This lab terminal is a bash-like shell running in your browser, offline. Files are shared with the editor.',
      '',
      'Elastic Beanstalk and AWS:',
      '  eb        Elastic Beanstalk CLI: init, create, deploy, status, health, events, logs, setenv, config, terminate',
      '  aws       AWS CLI subset: elasticbeanstalk, s3, s3api, sts get-caller-identity (--output json|table|text, --query),',
      '            cloudwatch (alarms, metrics, statistics) and acm (certificates, wait certificate-validated)',
      '  curl      requests to your environment URL, e.g. curl -i http://<cname>/health',
      '',
      'Files and source control:',
      '  zip       zip -r app.zip . -x "node_modules/*"     unzip    unzip -l app.zip, unzip -Z app.zip (modes)',
      '  git       init, add, rm, commit, status, log, diff, branch, checkout -b, config',
      '',
      'Shell tools: pipes, redirects, variables, loops, functions, and',
      wrap(names.filter((n) => !['eb', 'aws', 'curl', 'zip', 'unzip', 'git', 'help'].includes(n)).join(' '), 96, '  '),
      '',
      'Not available here:',
      ...Object.entries(unavailableTools).map(([tool, why]) => `  ${tool.padEnd(11)} ${why}`),
      '',
      'Keys: Tab completes, Up/Down walk history, Ctrl-C stops a command, Ctrl-L clears the screen.',
      'Type "<command> --help" for a command\'s options, or "help <tool>".',
    ];
    ctx.stdout(`${lines.join('\n')}\n`);
    return 0;
  },
};

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line.trim()) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.join('\n');
}

/** Commands learners reach for that are not here: each says why and what to do instead (exit 127, as "not found"). */
export const unavailableCommands: LabCommand[] = [
  ['ssh', 'ssh'],
  ['npm', 'npm'],
  ['yarn', 'npm'],
  ['pnpm', 'npm'],
  ['npx', 'npm'],
  ['pip', 'pip'],
  ['pip3', 'pip'],
  ['apt', 'apt/yum'],
  ['apt-get', 'apt/yum'],
  ['yum', 'apt/yum'],
  ['dnf', 'apt/yum'],
  ['brew', 'apt/yum'],
  ['sudo', 'apt/yum'],
  ['python', 'python/node'],
  ['python3', 'python/node'],
  ['node', 'python/node'],
  ['docker', 'docker'],
  ['vim', 'vim'],
  ['vi', 'vim'],
  ['nano', 'vim'],
  ['wget', 'wget'],
].map(([name, topic]) => ({
  name,
  summary: '',
  listed: false,
  async run(_args, ctx) {
    const reason = topic === 'wget' ? 'not available: use curl against your environment URL.' : unavailableTools[topic];
    ctx.stderr(`${name}: not available in the lab terminal: ${reason.replace(/^not available: |^not available here: /, '')}\n`);
    return 127;
  },
}));
