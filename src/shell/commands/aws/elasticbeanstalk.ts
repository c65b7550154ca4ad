// `aws elasticbeanstalk <operation>`: the Elastic Beanstalk API operations labs use, each mapped from
// its CLI parameters to the SDK command of the same name.
import * as EB from '@aws-sdk/client-elastic-beanstalk';
import type { OperationSpec } from './params.ts';
import { S, I, B, L, LS, ST, T } from './params.ts';

export interface ServiceOperation extends OperationSpec {
  /** The API operation name, e.g. DescribeEnvironments. */
  operation: string;
}


const env = { 'environment-id': S, 'environment-name': S };
const optionSettings = { 'option-settings': LS, 'options-to-remove': LS };

/** CLI operation name → spec. The SDK command is `${operation}Command`. */
export const ebOperations: Record<string, ServiceOperation> = {
  'describe-applications': { operation: 'DescribeApplications', params: { 'application-names': L } },
  'describe-application-versions': {
    operation: 'DescribeApplicationVersions',
    params: { 'application-name': S, 'version-labels': L, 'max-records': I, 'next-token': S },
  },
  'describe-environments': {
    operation: 'DescribeEnvironments',
    params: {
      'application-name': S,
      'version-label': S,
      'environment-ids': L,
      'environment-names': L,
      'include-deleted': B,
      'included-deleted-back-to': T,
      'max-records': I,
      'next-token': S,
    },
  },
  'describe-events': {
    operation: 'DescribeEvents',
    params: {
      'application-name': S,
      'version-label': S,
      'template-name': S,
      ...env,
      'platform-arn': S,
      'request-id': S,
      severity: S,
      'start-time': T,
      'end-time': T,
      'max-records': I,
      'next-token': S,
    },
  },
  'describe-configuration-settings': {
    operation: 'DescribeConfigurationSettings',
    params: { 'application-name': S, 'template-name': S, 'environment-name': S },
    required: ['application-name'],
  },
  'describe-configuration-options': {
    operation: 'DescribeConfigurationOptions',
    params: { 'application-name': S, 'template-name': S, 'environment-name': S, 'solution-stack-name': S, 'platform-arn': S, options: LS },
  },
  'describe-environment-health': { operation: 'DescribeEnvironmentHealth', params: { ...env, 'attribute-names': L } },
  'describe-instances-health': { operation: 'DescribeInstancesHealth', params: { ...env, 'attribute-names': L, 'next-token': S } },
  'describe-environment-resources': { operation: 'DescribeEnvironmentResources', params: env },
  'describe-environment-managed-actions': { operation: 'DescribeEnvironmentManagedActions', params: { ...env, status: S } },
  'describe-account-attributes': { operation: 'DescribeAccountAttributes', params: {} },
  'describe-platform-version': { operation: 'DescribePlatformVersion', params: { 'platform-arn': S } },
  'list-available-solution-stacks': { operation: 'ListAvailableSolutionStacks', params: {} },
  'list-platform-versions': { operation: 'ListPlatformVersions', params: { filters: LS, 'max-records': I, 'next-token': S } },
  'list-platform-branches': { operation: 'ListPlatformBranches', params: { filters: LS, 'max-records': I, 'next-token': S } },
  'list-tags-for-resource': { operation: 'ListTagsForResource', params: { 'resource-arn': S }, required: ['resource-arn'] },
  'update-tags-for-resource': { operation: 'UpdateTagsForResource', params: { 'resource-arn': S, 'tags-to-add': LS, 'tags-to-remove': L }, required: ['resource-arn'] },
  'check-dns-availability': { operation: 'CheckDNSAvailability', params: { 'cname-prefix': S }, required: ['cname-prefix'] },
  'create-storage-location': { operation: 'CreateStorageLocation', params: {} },
  'create-application': { operation: 'CreateApplication', params: { 'application-name': S, description: S, tags: LS }, required: ['application-name'] },
  'update-application': { operation: 'UpdateApplication', params: { 'application-name': S, description: S }, required: ['application-name'] },
  'delete-application': { operation: 'DeleteApplication', params: { 'application-name': S, 'terminate-env-by-force': B }, required: ['application-name'] },
  'create-application-version': {
    operation: 'CreateApplicationVersion',
    params: { 'application-name': S, 'version-label': S, description: S, 'source-bundle': ST, 'auto-create-application': B, process: B, tags: LS },
    required: ['application-name', 'version-label'],
  },
  'delete-application-version': {
    operation: 'DeleteApplicationVersion',
    params: { 'application-name': S, 'version-label': S, 'delete-source-bundle': B },
    required: ['application-name', 'version-label'],
  },
  'create-environment': {
    operation: 'CreateEnvironment',
    params: {
      'application-name': S,
      'environment-name': S,
      'group-name': S,
      description: S,
      'cname-prefix': S,
      tier: ST,
      tags: LS,
      'version-label': S,
      'template-name': S,
      'solution-stack-name': S,
      'platform-arn': S,
      ...optionSettings,
    },
    required: ['application-name'],
  },
  'update-environment': {
    operation: 'UpdateEnvironment',
    params: {
      'application-name': S,
      ...env,
      'group-name': S,
      description: S,
      tier: ST,
      'version-label': S,
      'template-name': S,
      'solution-stack-name': S,
      'platform-arn': S,
      ...optionSettings,
    },
  },
  'terminate-environment': { operation: 'TerminateEnvironment', params: { ...env, 'terminate-resources': B, 'force-terminate': B } },
  'rebuild-environment': { operation: 'RebuildEnvironment', params: env },
  'restart-app-server': { operation: 'RestartAppServer', params: env },
  'abort-environment-update': { operation: 'AbortEnvironmentUpdate', params: env },
  'swap-environment-cnames': {
    operation: 'SwapEnvironmentCNAMEs',
    params: { 'source-environment-id': S, 'source-environment-name': S, 'destination-environment-id': S, 'destination-environment-name': S },
  },
  'request-environment-info': { operation: 'RequestEnvironmentInfo', params: { ...env, 'info-type': S }, required: ['info-type'] },
  'retrieve-environment-info': { operation: 'RetrieveEnvironmentInfo', params: { ...env, 'info-type': S }, required: ['info-type'] },
  'validate-configuration-settings': {
    operation: 'ValidateConfigurationSettings',
    params: { 'application-name': S, 'template-name': S, 'environment-name': S, 'option-settings': LS },
    required: ['application-name', 'option-settings'],
  },
  'create-configuration-template': {
    operation: 'CreateConfigurationTemplate',
    params: {
      'application-name': S,
      'template-name': S,
      'solution-stack-name': S,
      'platform-arn': S,
      'source-configuration': ST,
      'environment-id': S,
      description: S,
      'option-settings': LS,
      tags: LS,
    },
    required: ['application-name', 'template-name'],
  },
  'delete-configuration-template': {
    operation: 'DeleteConfigurationTemplate',
    params: { 'application-name': S, 'template-name': S },
    required: ['application-name', 'template-name'],
  },
  'delete-environment-configuration': {
    operation: 'DeleteEnvironmentConfiguration',
    params: { 'application-name': S, 'environment-name': S },
    required: ['application-name', 'environment-name'],
  },
};

type CommandClass = new (input: Record<string, unknown>) => unknown;

/** The SDK command class for an operation (every operation above exists in the SDK). */
export function ebCommandClass(operation: string): CommandClass {
  const found = (EB as unknown as Record<string, CommandClass | undefined>)[`${operation}Command`];
  if (!found) throw new Error(`The SDK has no ${operation}Command`);
  return found;
}
