// A lab page built with its preset cloud: the first visit restores it instead of applying the preset again (no SDK,
// no simulated launch before the prompt), and Reset lab restores the same preset.
import { describe, it, expect } from 'vitest';
import { join } from 'node:path';
import { loadLabFromDir } from '../../course/lab-loader-node.ts';
import { buildPresetCloud } from './preset-cloud.ts';
import { bootLabSession, LABS_DIR } from './test-boot-node.ts';

describe('a lab page with its preset cloud', () => {
  it('starts from the cloud the page carries, and Reset lab restores it unchanged', async () => {
    const lab = await loadLabFromDir(join(LABS_DIR, 'procfile'));
    // As the site builds it (on a day long past, so a preset applied again here could not match), through JSON.
    const presetCloud = JSON.parse(JSON.stringify(await buildPresetCloud(lab, Date.UTC(2026, 0, 5, 9))));
    const session = await bootLabSession('procfile', presetCloud);
    const { snapshot, presetFinishedAt } = await session.cloudSnapshot();
    expect(presetFinishedAt).toBe(presetCloud.finishedAt);
    const environments = (s: unknown) => JSON.stringify(s).match(/"pettracker-[a-z-]+"/g)?.sort();
    expect(environments(snapshot)).toEqual(environments(presetCloud.snapshot));
    expect((await session.exec(1, 'aws elasticbeanstalk create-application --application-name extra-app')).exitCode).toBe(0);
    expect(JSON.stringify((await session.cloudSnapshot()).snapshot)).toContain('"extra-app"');
    await session.resetLab('starter', true);
    const reset = await session.cloudSnapshot();
    expect(reset.presetFinishedAt).toBe(presetCloud.finishedAt);
    expect(JSON.stringify(reset.snapshot)).not.toContain('"extra-app"');
    expect(environments(reset.snapshot)).toEqual(environments(presetCloud.snapshot));
    session.dispose();
  });
});
