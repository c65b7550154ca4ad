// The lab shell's own commands, one module each, registered here (later work adds `load` and a
// `git push` pipeline runner by adding a module and a line to this list).
import type { LabCommand } from '../command.ts';
import { awsCommand } from './aws/index.ts';
import { clearCommand } from './clear.ts';
import { curlCommand } from './curl.ts';
import { ebCommand } from './eb.ts';
import { gitCommand } from './git.ts';
import { helpCommand, unavailableCommands } from './help.ts';
import { loadCommand } from './load.ts';
import { gitWithRemotes, pipelineCommand } from './pipeline.ts';
import { unzipCommand } from './unzip.ts';
import { zipCommand } from './zip.ts';

export const labCommands: LabCommand[] = [
  ebCommand,
  awsCommand,
  curlCommand,
  loadCommand,
  gitWithRemotes(gitCommand),
  pipelineCommand,
  zipCommand,
  unzipCommand,
  helpCommand,
  clearCommand,
  ...unavailableCommands,
];
