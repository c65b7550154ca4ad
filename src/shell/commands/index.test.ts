import { describe, it, expect } from 'vitest';
import { CommandLoadError, labCommands, loadedOnFirstUse } from './index.ts';
import type { LabCommand } from '../command.ts';

describe('commands that load on first use', () => {
  it('announce the same name, summary and streaming as the command their module exports', async () => {
    const lazy = labCommands.filter((c): c is LabCommand & { load(): Promise<LabCommand> } => 'load' in c);
    expect(lazy.map((c) => c.name).sort()).toEqual(['aws', 'curl', 'eb', 'git', 'load', 'pipeline', 'unzip', 'zip']);
    for (const command of lazy) {
      const loaded = await command.load();
      expect({ name: command.name, summary: command.summary, streams: command.streams }).toEqual({ name: loaded.name, summary: loaded.summary, streams: loaded.streams });
    }
  });

  it('complete subcommands once their module has loaded (git keeps push and remote)', async () => {
    const git = labCommands.find((c) => c.name === 'git')!;
    expect(await git.complete?.([], 'p')).toEqual(expect.arrayContaining(['push']));
    const eb = labCommands.find((c) => c.name === 'eb')!;
    expect(await eb.complete?.([], 'de')).toEqual(expect.arrayContaining(['deploy']));
  });

  it('say when their code cannot be fetched, and try again on the next use', async () => {
    let attempts = 0;
    const real: LabCommand = { name: 'demo', summary: 'a demo', run: async () => 7 };
    const demo = loadedOnFirstUse({ name: 'demo', summary: 'a demo' }, async () => {
      attempts++;
      if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return real;
    });
    const error = await demo.run([], {} as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandLoadError);
    expect((error as Error).message).toMatch(/could not load the command's code \(Failed to fetch dynamically imported module\); check the page's connection and run it again/);
    expect(await demo.run([], {} as never)).toBe(7);
    expect(attempts).toBe(2);
  });
});
