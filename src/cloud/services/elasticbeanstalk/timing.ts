// Virtual durations of what Elastic Beanstalk and EC2 do around a deployment (real values are minutes;
// the clock's speed decides how long they take to watch).

/** Virtual durations of the infrastructure work EB does around instances. */
export const TIMING = {
  securityGroup: 8_000,
  targetGroup: 30_000,
  launchTemplate: 52_000,
  autoScalingGroup: 60_000,
  instanceBoot: 90_000,
  instanceStagger: 2_000,
  loadBalancer: 150_000,
  /** After the last instance deploys, before the launch is reported complete. */
  launchSettle: 15_000,
  drain: 20_000,
  terminateInstances: 60_000,
  restart: 8_000,
  swap: 5_000,
  versionProcessing: 8_000,
  platformBuild: 120_000,
} as const;

