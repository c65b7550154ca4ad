// `history`: the lines typed in this lab (the same list the terminal's Up/Down walks), numbered as bash does.
import type { LabCommand } from '../command.ts';

/** Built per shell, since it shows that shell's own history. */
export function historyCommand(history: string[]): LabCommand {
  return {
    name: 'history',
    summary: 'Show the commands typed in this lab (history -c clears it)',
    async run(args, ctx) {
      if (args[0] === '-c') {
        history.length = 0;
        return 0;
      }
      const count = args[0] !== undefined ? Number(args[0]) : history.length;
      if (!Number.isInteger(count) || count < 0) {
        ctx.stderr(`history: ${args[0]}: numeric argument required\n`);
        return 1;
      }
      const start = Math.max(0, history.length - count);
      const width = String(history.length).length;
      ctx.stdout(history.slice(start).map((line, i) => `${String(start + i + 1).padStart(Math.max(5, width + 2))}  ${line}\n`).join(''));
      return 0;
    },
  };
}
