// Custom check for the autoscaling lab: from the sandbox's per-instance timeline, the fleet in service grew
// during the learner's load and shrank again after it.
import { DescribeConfigurationSettingsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { defineChecks, requireEnvironment } from '../../src/checks/index.ts';
import type { CheckContext, CheckOutcome } from '../../src/checks/index.ts';

interface Point {
  time: number;
  state: string;
  inService: boolean;
}
interface Lane {
  instanceId: string;
  points: Point[];
}

/** The number of instances running and in service after every change since `from`, oldest first. */
async function inServiceSteps(ctx: CheckContext, environment: string, from: number): Promise<Array<{ time: number; count: number }>> {
  if (!ctx.clients.sandbox) throw new Error('This check needs the instance timeline, which only the built-in sandbox or `academy cloud` records');
  const raw = (await ctx.clients.sandbox.timeline(environment, { region: ctx.clients.region })) as { lanes?: Lane[] };
  if (!Array.isArray(raw?.lanes)) throw new Error('The sandbox timeline evidence has an unexpected shape (expected lanes of instance states)');
  const serving = (p: Point | undefined) => !!p && p.inService && (p.state === 'running' || p.state === 'deploying');
  const times = [...new Set(raw.lanes.flatMap((l) => l.points.map((p) => p.time)).filter((t) => t >= from))].sort((a, b) => a - b);
  const countAt = (t: number) =>
    raw.lanes!.filter((l) => serving(l.points.filter((p) => p.time <= t).at(-1))).length;
  const steps = [{ time: from, count: countAt(from) }];
  for (const t of times) {
    const count = countAt(t);
    if (count !== steps[steps.length - 1].count) steps.push({ time: t, count });
  }
  return steps;
}

const iso = (t: number) => new Date(t).toISOString().slice(11, 19);

export default defineChecks({
  'room-to-grow': async (params, ctx): Promise<CheckOutcome> => {
    const env = await requireEnvironment(ctx, String(params.environment), 'the environment exists');
    const answer = await ctx.clients.eb.send(new DescribeConfigurationSettingsCommand({ ApplicationName: env.ApplicationName, EnvironmentName: env.EnvironmentName }));
    const options = answer.ConfigurationSettings?.[0]?.OptionSettings ?? [];
    const value = (name: string) => options.find((o) => o.Namespace === 'aws:autoscaling:asg' && o.OptionName === name)?.Value;
    const min = Number(value('MinSize') ?? '1');
    const max = Number(value('MaxSize') ?? '4');
    const evidence = [{ kind: 'setting' as const, text: `aws:autoscaling:asg MinSize=${min}, MaxSize=${max}` }];
    if (max > min) return { pass: true, expected: 'MaxSize above MinSize', found: `MinSize ${min}, MaxSize ${max}`, evidence };
    return { pass: false, expected: 'MaxSize above MinSize', found: `MinSize ${min} and MaxSize ${max}: the group cannot grow`, evidence, hintLevel: 'concept', reason: 'no-room' };
  },
  'scaled-out-and-in': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const steps = await inServiceSteps(ctx, environment, ctx.presetFinishedAt ?? 0);
    const start = steps[0].count;
    const peak = steps.reduce((best, s) => (s.count > best.count ? s : best), steps[0]);
    const end = steps[steps.length - 1].count;
    const story = steps.map((s) => `${iso(s.time)} ${s.count} in service`).join(', ');
    const expected = `more instances in service during the spike than before it, and fewer again after it`;
    if (peak.count <= start) {
      return {
        pass: false,
        expected,
        found: `the fleet never grew beyond ${start} instance(s) in service`,
        evidence: [{ kind: 'timeline', text: story }],
        hintLevel: 'concept',
        reason: 'never-scaled-out',
      };
    }
    if (end >= peak.count) {
      return {
        pass: false,
        expected,
        found: `the fleet grew to ${peak.count} at ${iso(peak.time)} and still has ${end} in service`,
        evidence: [{ kind: 'timeline', text: story }],
        hintLevel: 'concept',
        reason: 'never-scaled-in',
      };
    }
    return { pass: true, expected, found: `${start} → ${peak.count} (at ${iso(peak.time)}) → ${end} in service`, evidence: [{ kind: 'timeline', text: story }] };
  },
});
