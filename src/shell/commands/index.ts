// The lab shell's own commands, one module each, registered here. The heavy ones (the EB CLI, the AWS CLI
// with the SDK, git with isomorphic-git, the pipeline runner, zip) load when first run or completed, so the
// workbench's prompt does not wait for code a learner may not use yet.
import { loadOnce } from '../../aws/load-once.ts';
import type { LabCommand } from '../command.ts';
import { clearCommand } from './clear.ts';
import { helpCommand, unavailableCommands } from './help.ts';

/** What `help`, completion and the shell need of a command before its code has loaded. */
export type CommandSummary = Pick<LabCommand, 'name' | 'summary' | 'streams'>;

/** A command failed to load (a chunk could not be fetched): says so, and the next use tries again. */
export class CommandLoadError extends Error {
  constructor(name: string, cause: unknown) {
    super(`could not load the command's code (${cause instanceof Error ? cause.message : String(cause)}); check the page's connection and run it again`);
    this.name = 'CommandLoadError';
  }
}

/** A command whose module is imported on first use; `summary` must match the module's own (a test checks it). */
export function loadedOnFirstUse(summary: CommandSummary, load: () => Promise<LabCommand>): LabCommand & { load(): Promise<LabCommand> } {
  const command = loadOnce(() =>
    load().catch((error: unknown) => {
      throw new CommandLoadError(summary.name, error);
    }),
  );
  return {
    ...summary,
    load: command,
    async complete(args, word) {
      return (await command()).complete?.(args, word);
    },
    async run(args, ctx) {
      return (await command()).run(args, ctx);
    },
  };
}

/** Our commands whose code loads on first use: what `help` and completion show before, and where the code is. */
const COMMANDS_ON_FIRST_USE: Array<[CommandSummary, () => Promise<LabCommand>]> = [
  [{ name: 'eb', summary: 'Elastic Beanstalk CLI: init, create, deploy, status, health, events, logs, setenv, terminate ...', streams: true }, async () => (await import('./eb.ts')).ebCommand],
  [{ name: 'aws', summary: 'AWS CLI subset: elasticbeanstalk, s3, s3api, sts, cloudwatch, acm (--output json|table|text, --query)' }, async () => (await import('./aws/index.ts')).awsCommand],
  [{ name: 'curl', summary: "Send an HTTP request to your environment's URL (curl -i http://<cname>/health)" }, async () => (await import('./curl.ts')).curlCommand],
  [{ name: 'load', summary: 'drive traffic at an environment URL (rate, duration, shape) and report failures, p95 and instances' }, async () => (await import('./load.ts')).loadCommand],
  [
    { name: 'git', summary: 'Version control: init, add, commit, status, log, diff, branch, checkout -b' },
    async () => {
      const [{ gitCommand }, { gitWithRemotes }] = await Promise.all([import('./git.ts'), import('./pipeline.ts')]);
      return gitWithRemotes(gitCommand);
    },
  ],
  [{ name: 'pipeline', summary: 'CI runs of .github/workflows after git push: runs, logs, approve, secret' }, async () => (await import('./pipeline.ts')).pipelineCommand],
  [{ name: 'zip', summary: 'Package files into a .zip archive (zip -r app.zip . -x "pattern")' }, async () => (await import('./zip.ts')).zipCommand],
  [{ name: 'unzip', summary: 'List, test or extract a .zip archive (unzip -l app.zip, unzip app.zip -d dir)' }, async () => (await import('./unzip.ts')).unzipCommand],
];

export const labCommands: LabCommand[] = [
  ...COMMANDS_ON_FIRST_USE.map(([summary, load]) => loadedOnFirstUse(summary, load)),
  helpCommand,
  clearCommand,
  ...unavailableCommands,
];
