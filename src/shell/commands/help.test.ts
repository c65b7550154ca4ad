import { describe, it, expect } from 'vitest';
import { labShell } from '../test/lab.ts';

describe('help and missing tools', () => {
  it('lists our commands, the shell tools and what is not available', async () => {
    const { shell } = await labShell();
    const r = await shell.exec('help');
    expect(r.exitCode).toBe(0);
    for (const text of ['eb ', 'aws ', 'curl ', 'zip ', 'git ', 'grep', 'Not available here:', 'ssh', 'eb logs']) expect(r.stdout).toContain(text);
  });

  it('explains a missing tool instead of "command not found", and hides it from completion', async () => {
    const { shell } = await labShell();
    const r = await shell.exec('npm install');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toMatch(/^npm: not available in the lab terminal: .*package\.json/);
    expect((await shell.exec('ssh ec2-user@host')).stderr).toMatch(/eb logs/);
    expect((await shell.exec('help ssh')).stdout).toMatch(/^ssh: .*eb logs/);
    expect(shell.commandNames()).not.toContain('npm');
    expect((await shell.complete('np', 2)).candidates).toEqual([]);
  });

  it('clear asks the terminal to wipe the screen', async () => {
    const { shell } = await labShell();
    expect((await shell.exec('clear')).stdout).toBe('\x1b[H\x1b[2J\x1b[3J');
  });
});
