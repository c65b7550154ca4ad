// Custom checks for the monitoring lab: the mobile app's /predict requests succeed again (from the sandbox's
// traffic evidence), and a CloudWatch alarm watches the environment's ApplicationRequests5xx series.
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { defineChecks, requireEnvironment } from '../../src/checks/index.ts';
import type { CheckContext, CheckOutcome, Evidence } from '../../src/checks/index.ts';

interface TrafficRequest {
  time: number;
  method: string;
  path: string;
  status: number;
  versionLabel?: string;
}

/** Requests the checks judge: the last simulated minute, as enhanced health and a 60-second alarm period see it. */
const RECENT_MS = 60_000;

const clock = (t: number) => new Date(t).toISOString().slice(11, 19);

function cloudWatchOf(ctx: CheckContext): CloudWatchClient {
  // src/aws builds a CloudWatch client next to eb and s3 for every backend; CheckClients declares only the common pair.
  const client = (ctx.clients as { cloudwatch?: unknown }).cloudwatch;
  if (!(client instanceof CloudWatchClient)) throw new Error('This check needs a CloudWatch client (src/aws AwsClients.cloudwatch), and the check context has none');
  return client;
}

function describeAlarm(a: MetricAlarm): string {
  const dims = (a.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',') || 'no dimensions';
  return `${a.AlarmName}: ${a.Namespace ?? '?'} ${a.MetricName ?? (a.Metrics?.length ? 'metric math' : '?')} [${dims}] ${a.Statistic ?? a.ExtendedStatistic ?? '?'} over ${a.Period ?? '?'} s, ${a.ComparisonOperator ?? '?'} ${a.Threshold ?? '?'} for ${a.EvaluationPeriods ?? '?'} period(s), state ${a.StateValue ?? '?'}`;
}

type Problem = { reason: string; hintLevel: 'nudge' | 'concept' | 'fix'; found: string };

/** What is wrong with an alarm on ApplicationRequests5xx for the environment, or undefined when it is right. */
function alarmProblem(a: MetricAlarm, environment: string): Problem | undefined {
  if (a.Namespace !== 'AWS/ElasticBeanstalk') {
    return { reason: 'wrong-namespace', hintLevel: 'fix', found: `the alarm watches namespace ${a.Namespace ?? '(none)'}, where Elastic Beanstalk publishes nothing` };
  }
  const dims = a.Dimensions ?? [];
  const right = dims.length === 1 && dims[0].Name === 'EnvironmentName' && dims[0].Value === environment;
  if (!right) {
    const shown = dims.map((d) => `${d.Name}=${d.Value}`).join(', ') || 'no dimensions';
    return { reason: 'wrong-dimension', hintLevel: 'fix', found: `the alarm's dimensions are ${shown}; the series Elastic Beanstalk publishes has exactly EnvironmentName=${environment}` };
  }
  if (a.Statistic !== 'Sum') {
    return {
      reason: 'wrong-statistic',
      hintLevel: 'fix',
      found: `the alarm uses the ${a.Statistic ?? a.ExtendedStatistic ?? 'missing'} statistic; the number of failed requests in a period is the Sum of the series`,
    };
  }
  const op = a.ComparisonOperator ?? '';
  if (!/^GreaterThan/.test(op)) {
    return { reason: 'wrong-comparison', hintLevel: 'fix', found: `the alarm fires when the count is ${op || 'compared by nothing'}; it must fire when failures rise above the threshold` };
  }
  const threshold = a.Threshold ?? Number.NaN;
  const minutes = Math.max(1, (a.Period ?? 60) / 60);
  const lowest = op === 'GreaterThanThreshold' ? 0 : 1;
  if (!(threshold >= lowest) || threshold > 100 * minutes) {
    return {
      reason: 'threshold',
      hintLevel: 'fix',
      found: `a threshold of ${a.Threshold} failed requests per ${a.Period} s ${threshold < lowest ? 'fires when nothing fails' : 'stays silent through an outage like this one'}`,
    };
  }
  if ((a.Period ?? 0) > 300 || (a.EvaluationPeriods ?? 0) * (a.Period ?? 0) > 900) {
    return { reason: 'too-slow', hintLevel: 'fix', found: `the alarm needs ${a.EvaluationPeriods} period(s) of ${a.Period} s before it fires: over a quarter of an hour of failures` };
  }
  if (a.StateValue === 'INSUFFICIENT_DATA') {
    const unchecked = /^Unchecked/.test(a.StateReason ?? '');
    return {
      reason: 'insufficient-data',
      hintLevel: 'concept',
      found: unchecked
        ? 'the alarm has not been evaluated yet (CloudWatch evaluates alarms once a minute): check again in a minute'
        : `the alarm is in INSUFFICIENT_DATA: its series has no datapoints (${a.StateReason ?? 'no reason given'})`,
    };
  }
  return undefined;
}

export default defineChecks({
  'predict-answers': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const path = String(params.path ?? '/predict');
    if (!ctx.clients.sandbox) throw new Error("This check reads the requests the mobile app sent, which only the built-in sandbox or `academy cloud` records");
    const now = ctx.clients.now();
    const raw = (await ctx.clients.sandbox.traffic(environment, { region: ctx.clients.region, since: Math.max(ctx.presetFinishedAt, now - RECENT_MS) })) as { found?: boolean; requests?: TrafficRequest[] };
    if (!Array.isArray(raw?.requests)) throw new Error('The sandbox traffic evidence has an unexpected shape (expected a list of requests)');
    const expected = `the requests to ${path} of the last minute answered 2xx by the version the environment runs`;
    // The version running now is judged; answers its predecessor gave before a deploy finished are history.
    const env = await requireEnvironment(ctx, environment, 'the environment exists');
    const recent = raw.requests.filter((r) => r.path.split('?')[0] === path && r.time > now - RECENT_MS && (!env.VersionLabel || r.versionLabel === env.VersionLabel));
    if (recent.length === 0) {
      return { pass: false, expected, found: `no request reached ${path} on ${env.VersionLabel ?? 'the running version'} in the last minute`, hintLevel: 'nudge', reason: 'no-requests' };
    }
    const bad = recent.filter((r) => r.status < 200 || r.status >= 300);
    const evidence: Evidence[] = bad.slice(-3).map((r) => ({ kind: 'traffic', text: `${r.method} ${r.path} → ${r.status}${r.versionLabel ? ` (answered by ${r.versionLabel})` : ''}`, source: clock(r.time) }));
    if (bad.length === 0) {
      const last = recent[recent.length - 1];
      return { pass: true, expected, found: `${recent.length} request(s) to ${path}, all answered 2xx (last: ${last.status} from ${last.versionLabel ?? 'the environment'})`, evidence: [{ kind: 'traffic', text: `${last.method} ${last.path} → ${last.status}`, source: clock(last.time) }] };
    }
    const failed5xx = bad.filter((r) => r.status >= 500).length;
    const missing = bad.filter((r) => r.status === 404 || r.status === 405).length;
    if (missing > 0 && failed5xx === 0) {
      return {
        pass: false,
        expected,
        found: `${missing} of ${recent.length} request(s) to ${path} got ${bad[bad.length - 1].status}: the app no longer has the endpoint the mobile app calls`,
        evidence,
        hintLevel: 'fix',
        reason: 'route-missing',
      };
    }
    return {
      pass: false,
      expected,
      found: `${bad.length} of ${recent.length} request(s) to ${path} in the last minute failed (${failed5xx} with 5xx)`,
      evidence,
      hintLevel: 'concept',
      reason: 'failing',
    };
  },

  'alarm-on-5xx': async (params, ctx): Promise<CheckOutcome> => {
    const environment = String(params.environment);
    const cloudwatch = cloudWatchOf(ctx);
    const alarms: MetricAlarm[] = [];
    let NextToken: string | undefined;
    do {
      const page = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm'], NextToken }));
      alarms.push(...(page.MetricAlarms ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    const expected = `an alarm on AWS/ElasticBeanstalk ApplicationRequests5xx with EnvironmentName=${environment}, statistic Sum, firing above a few failed requests a minute, with data`;
    if (alarms.length === 0) return { pass: false, expected, found: 'no CloudWatch alarm exists', hintLevel: 'nudge', reason: 'no-alarm' };
    const on5xx = alarms.filter((a) => a.MetricName === 'ApplicationRequests5xx');
    if (on5xx.length === 0) {
      return {
        pass: false,
        expected,
        found: `${alarms.length} alarm(s), none on ApplicationRequests5xx`,
        evidence: alarms.slice(0, 3).map((a) => ({ kind: 'setting', text: describeAlarm(a) })),
        hintLevel: 'concept',
        reason: 'wrong-metric',
      };
    }
    const judged = on5xx.map((a) => ({ alarm: a, problem: alarmProblem(a, environment) }));
    const good = judged.find((j) => !j.problem);
    if (good) return { pass: true, expected, found: describeAlarm(good.alarm), evidence: [{ kind: 'setting', text: describeAlarm(good.alarm) }] };
    // Report the alarm that got furthest: a later problem in alarmProblem's order means more is right.
    const order = ['wrong-namespace', 'wrong-dimension', 'wrong-statistic', 'wrong-comparison', 'threshold', 'too-slow', 'insufficient-data'];
    const closest = judged.sort((x, y) => order.indexOf(y.problem!.reason) - order.indexOf(x.problem!.reason))[0];
    const state = closest.alarm.StateValue === 'INSUFFICIENT_DATA' && closest.problem!.reason !== 'insufficient-data' ? ' (and so it sits in INSUFFICIENT_DATA)' : '';
    return {
      pass: false,
      expected,
      found: `${closest.problem!.found}${closest.problem!.reason === 'wrong-dimension' ? state : ''}`,
      evidence: [{ kind: 'setting', text: describeAlarm(closest.alarm) }],
      hintLevel: closest.problem!.hintLevel,
      reason: closest.problem!.reason,
    };
  },
});
