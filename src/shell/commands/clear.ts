// `clear`: asks the terminal to wipe the screen and its scrollback (xterm understands these sequences).
import type { LabCommand } from '../command.ts';

export const clearCommand: LabCommand = {
  name: 'clear',
  summary: 'Clear the terminal screen',
  async run(_args, ctx) {
    ctx.stdout('\x1b[H\x1b[2J\x1b[3J');
    return 0;
  },
};
