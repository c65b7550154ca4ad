// Custom checks for the monitoring lab: the mobile app's /predict requests succeed again (from the sandbox's
// traffic evidence), and a CloudWatch alarm watches the environment's ApplicationRequests5xx series, which
// Elastic Beanstalk publishes only once the environment's ConfigDocument lists it.
import { DescribeAlarmsCommand, ListMetricsCommand, type CloudWatchClient, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeEnvironmentResourcesCommand } from '@aws-sdk/client-elastic-beanstalk';
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

function cloudWatchOf(ctx: CheckContext): Pick<CloudWatchClient, 'send'> {
  // src/aws gives a CloudWatch client next to eb and s3 on every backend (its package loads on the first send);
  // CheckClients declares only the common pair.
  const client = (ctx.clients as { cloudwatch?: { send?: unknown } }).cloudwatch;
  if (typeof client?.send !== 'function') throw new Error('This check needs a CloudWatch client (src/aws AwsClients.cloudwatch), and the check context has none');
  return client as Pick<CloudWatchClient, 'send'>;
}

function describeAlarm(a: MetricAlarm): string {
  const dims = (a.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`).join(',') || 'no dimensions';
  return `${a.AlarmName}: ${a.Namespace ?? '?'} ${a.MetricName ?? (a.Metrics?.length ? 'metric math' : '?')} [${dims}] ${a.Statistic ?? a.ExtendedStatistic ?? '?'} over ${a.Period ?? '?'} s, ${a.ComparisonOperator ?? '?'} ${a.Threshold ?? '?'} for ${a.EvaluationPeriods ?? '?'} period(s), state ${a.StateValue ?? '?'}`;
}

type Problem = { reason: string; hintLevel: 'nudge' | 'concept' | 'fix'; found: string };

/**
 * The series that count the 5xx answers of the environment's app: the lab teaches Elastic Beanstalk's own
 * (per EnvironmentName); the load balancer's count of target 5xx (per LoadBalancer) watches the same answers.
 */
interface Series {
  metric: string;
  namespace: string;
  dimension: { Name: string; Value: string };
}

function seriesFor(environment: string, loadBalancerArn: string | undefined): Series[] {
  const out: Series[] = [{ metric: 'ApplicationRequests5xx', namespace: 'AWS/ElasticBeanstalk', dimension: { Name: 'EnvironmentName', Value: environment } }];
  if (loadBalancerArn) {
    // CloudWatch names an Application Load Balancer by the end of its ARN: app/<name>/<id>.
    const at = loadBalancerArn.indexOf(':loadbalancer/');
    const value = at >= 0 ? loadBalancerArn.slice(at + ':loadbalancer/'.length) : loadBalancerArn;
    out.push({ metric: 'HTTPCode_Target_5XX_Count', namespace: 'AWS/ApplicationELB', dimension: { Name: 'LoadBalancer', Value: value } });
  }
  return out;
}

/** The .ebextensions file that makes Elastic Beanstalk publish ApplicationRequests5xx (AWS's documented form). */
const METRICS_CONFIG_FILE = '.ebextensions/cloudwatch-metrics.config';

/**
 * What is wrong with an alarm on one of the series, or undefined when it is right. `now` is the cloud's time;
 * `published` whether CloudWatch has the series at all (ListMetrics).
 */
function alarmProblem(a: MetricAlarm, series: Series, now: number, published: boolean): Problem | undefined {
  if (a.Namespace !== series.namespace) {
    return { reason: 'wrong-namespace', hintLevel: 'fix', found: `the alarm watches ${a.MetricName} in namespace ${a.Namespace ?? '(none)'}; it is published in ${series.namespace}` };
  }
  const dims = a.Dimensions ?? [];
  const right = dims.length === 1 && dims[0].Name === series.dimension.Name && dims[0].Value === series.dimension.Value;
  if (!right) {
    const shown = dims.map((d) => `${d.Name}=${d.Value}`).join(', ') || 'no dimensions';
    return {
      reason: 'wrong-dimension',
      hintLevel: 'fix',
      found: `the alarm's dimensions are ${shown}; the series of ${series.metric} for this environment has exactly ${series.dimension.Name}=${series.dimension.Value}`,
    };
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
  if (!published) {
    // An alarm with TreatMissingData notBreaching even turns OK on no data; it would still never fire.
    return {
      reason: 'metric-not-published',
      hintLevel: 'fix',
      found:
        `CloudWatch has no ${series.metric} series for ${series.dimension.Name}=${series.dimension.Value}, so the alarm ${a.StateValue === 'INSUFFICIENT_DATA' ? 'sits in INSUFFICIENT_DATA' : `is ${a.StateValue} without data`} and will never fire: ` +
        `beyond EnvironmentHealth, Elastic Beanstalk publishes only the metrics the ConfigDocument of aws:elasticbeanstalk:healthreporting:system lists. ` +
        `Add ${METRICS_CONFIG_FILE} with CloudWatchMetrics: Environment: ApplicationRequests5xx: 60 under option_settings, then eb deploy`,
    };
  }
  if (a.StateValue === 'INSUFFICIENT_DATA') {
    // CloudWatch evaluates once a minute. An alarm created moments ago on a published series is right; it leaves
    // INSUFFICIENT_DATA at its first evaluation, so a learner who checks at once is not sent away to wait.
    const createdAt = a.AlarmConfigurationUpdatedTimestamp?.getTime() ?? now;
    if (/^Unchecked/.test(a.StateReason ?? '') && now - createdAt < 120_000) return undefined;
    return {
      reason: 'insufficient-data',
      hintLevel: 'concept',
      found: `the alarm is in INSUFFICIENT_DATA: no datapoints reached it since ${a.AlarmConfigurationUpdatedTimestamp?.toISOString().slice(11, 19) ?? 'its creation'} (${a.StateReason ?? 'no reason given'})`,
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
    const resources = await ctx.clients.eb.send(new DescribeEnvironmentResourcesCommand({ EnvironmentName: environment })).catch(() => undefined);
    const series = seriesFor(environment, resources?.EnvironmentResources?.LoadBalancers?.[0]?.Name);
    const on5xx = alarms.filter((a) => series.some((s) => s.metric === a.MetricName));
    if (on5xx.length === 0) {
      const elb = alarms.find((a) => a.MetricName === 'HTTPCode_ELB_5XX_Count');
      return {
        pass: false,
        expected,
        found: elb
          ? `${elb.AlarmName} watches HTTPCode_ELB_5XX_Count: the errors the load balancer makes itself (no healthy target, timeouts), not the 500s the app answers`
          : `${alarms.length} alarm(s), none on ApplicationRequests5xx`,
        evidence: alarms.slice(0, 3).map((a) => ({ kind: 'setting', text: describeAlarm(a) })),
        hintLevel: 'concept',
        reason: 'wrong-metric',
      };
    }
    // The load balancer's series always exist; Elastic Beanstalk's only once the ConfigDocument enables them.
    const published = new Map<string, boolean>();
    for (const s of series) {
      if (s.namespace !== 'AWS/ElasticBeanstalk') {
        published.set(s.metric, true);
        continue;
      }
      const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: s.namespace, MetricName: s.metric, Dimensions: [s.dimension] }));
      published.set(s.metric, (listed.Metrics ?? []).length > 0);
    }
    const judged = on5xx.map((a) => ({
      alarm: a,
      problem: alarmProblem(a, series.find((s) => s.metric === a.MetricName)!, ctx.clients.now(), published.get(a.MetricName ?? '') ?? false),
    }));
    const good = judged.find((j) => !j.problem);
    if (good) {
      const pending = /^Unchecked/.test(good.alarm.StateReason ?? '') ? ' (not evaluated yet: CloudWatch evaluates alarms once a minute, and the series has data)' : '';
      return { pass: true, expected, found: `${describeAlarm(good.alarm)}${pending}`, evidence: [{ kind: 'setting', text: describeAlarm(good.alarm) }] };
    }
    // Report the alarm that got furthest: a later problem in alarmProblem's order means more is right.
    const order = ['wrong-namespace', 'wrong-dimension', 'wrong-statistic', 'wrong-comparison', 'threshold', 'too-slow', 'metric-not-published', 'insufficient-data'];
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
