// The list of `eb` commands, one module each.
import type { EbCommand } from '../command.ts';
import { abortCommand } from './abort.ts';
import { appversionCommand } from './appversion.ts';
import { cloneCommand } from './clone.ts';
import { configCommand } from './config.ts';
import { createCommand } from './create.ts';
import { deployCommand } from './deploy.ts';
import { eventsCommand } from './events.ts';
import { healthCommand } from './health.ts';
import { initCommand } from './init.ts';
import { listCommand } from './list.ts';
import { logsCommand } from './logs.ts';
import { openCommand } from './open.ts';
import { platformCommand } from './platform.ts';
import { printenvCommand } from './printenv.ts';
import { restoreCommand } from './restore.ts';
import { scaleCommand } from './scale.ts';
import { setenvCommand } from './setenv.ts';
import { statusCommand } from './status.ts';
import { swapCommand } from './swap.ts';
import { terminateCommand } from './terminate.ts';
import { useCommand } from './use.ts';

export const commands: EbCommand[] = [
  initCommand,
  createCommand,
  deployCommand,
  statusCommand,
  healthCommand,
  eventsCommand,
  logsCommand,
  setenvCommand,
  printenvCommand,
  scaleCommand,
  configCommand,
  swapCommand,
  openCommand,
  listCommand,
  useCommand,
  abortCommand,
  terminateCommand,
  cloneCommand,
  restoreCommand,
  appversionCommand,
  platformCommand,
];
