// Deployment of a bundle on one simulated instance, in the AL2023 order of reference §6.4, with durations,
// events, log lines and the resulting web process.

import type { InstanceDeploymentInput, InstanceDeploymentResult } from './types.ts';

export function deployToInstance(input: InstanceDeploymentInput): InstanceDeploymentResult {
  void input;
  throw new Error('deployToInstance: not implemented yet');
}
