// What a lab session loads, and when: the prompt must not wait for the AWS SDK, the EB CLI or the checks.
// vi.mock's factories run when a module is first imported, so they record the moment each one loads.
import { describe, it, expect, vi } from 'vitest';
import { bootLabSession } from './test-boot-node.ts';

const loaded = vi.hoisted(() => new Set<string>());
vi.mock('../../aws/index.ts', async (original) => {
  loaded.add('aws');
  return original();
});
vi.mock('../../shell/commands/eb.ts', async (original) => {
  loaded.add('eb');
  return original();
});
vi.mock('../../checks/runner.ts', async (original) => {
  loaded.add('checks');
  return original();
});

describe('what a lab session loads before its prompt', () => {
  it('a lab without a preset starts its cloud and shell without the SDK, the EB CLI or the checks; each loads on first use', async () => {
    const session = await bootLabSession('eb-fundamentals');
    expect([...loaded]).toEqual([]);
    // just-bash's own commands need none of them.
    expect((await session.exec(1, 'echo ready | wc -c')).exitCode).toBe(0);
    expect([...loaded]).toEqual([]);
    await session.warmUp();
    expect([...loaded].sort()).toEqual(['aws', 'eb']);
    await session.runChecks();
    expect([...loaded].sort()).toEqual(['aws', 'checks', 'eb']);
    session.dispose();
  });
});
