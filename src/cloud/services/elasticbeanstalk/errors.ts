// Elastic Beanstalk's errors with the wire codes, HTTP statuses and message texts real EB sends
// (reference §1.3); the EB CLI matches several of these texts, so they are copied exactly.

import { AwsError } from '../../protocol/errors.ts';

export const invalidParameter = (message: string) => new AwsError('InvalidParameterValue', message, 400);
export const invalidCombination = (message: string) => new AwsError('InvalidParameterCombination', message, 400);
export const missingParameter = (name: string) =>
  new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400);
export const validationError = (message: string) => new AwsError('ValidationError', `1 validation error detected: ${message}`, 400);

export const applicationExists = (name: string) => invalidParameter(`Application ${name} already exists.`);
export const noApplication = (name: string) => invalidParameter(`No Application named '${name}' found.`);
export const versionExists = (label: string) => invalidParameter(`Application Version ${label} already exists.`);
export const noVersion = (label: string) => invalidParameter(`No Application Version named '${label}' found.`);
export const noEnvironmentByName = (name: string) => invalidParameter(`No Environment found for EnvironmentName = '${name}'.`);
export const noEnvironmentById = (id: string) => invalidParameter(`No Environment found for EnvironmentId = '${id}'.`);
export const environmentExists = (name: string) => invalidParameter(`Environment ${name} already exists.`);
export const dnsTaken = (fqdn: string) => invalidParameter(`DNS name (${fqdn}) is not available.`);
export const notReady = (name: string) =>
  invalidParameter(`Environment named ${name} is in an invalid state for this operation. Must be Ready.`);
export const noSolutionStack = (stack: string) => invalidParameter(`No Solution Stack named '${stack}' found.`);
export const noPlatform = (arn: string) => invalidParameter(`No Platform named '${arn}' found.`);
export const templateExists = (name: string) => invalidParameter(`Configuration Template ${name} already exists.`);
export const noTemplate = (name: string, app: string) =>
  invalidParameter(`No Configuration Template named '${app}/${name}' found.`);

export const operationInProgress = (message: string) => new AwsError('OperationInProgressFailure', message, 400);
export const sourceBundleDeletion = (message: string) => new AwsError('SourceBundleDeletionFailure', message, 400);
export const insufficientPrivileges = (message: string) => new AwsError('InsufficientPrivilegesException', message, 403);
export const invalidRequest = (message: string) => new AwsError('InvalidRequestException', message, 400);
export const resourceNotFound = (message: string) => new AwsError('ResourceNotFoundException', message, 400);
export const resourceTypeNotSupported = (message: string) => new AwsError('ResourceTypeNotSupportedException', message, 400);
export const managedActionInvalidState = (message: string) => new AwsError('ManagedActionInvalidStateException', message, 400);
export const platformStillReferenced = (message: string) => new AwsError('PlatformVersionStillReferencedException', message, 400);
export const s3NotInRegion = (message: string) => new AwsError('S3LocationNotInServiceRegionException', message, 400);
export const codeBuildNotInRegion = (message: string) => new AwsError('CodeBuildNotInServiceRegionException', message, 400);

export const tooManyApplications = (max: number) =>
  new AwsError('TooManyApplicationsException', `You cannot have more than ${max} applications.`, 400);
export const tooManyVersions = (max: number) =>
  new AwsError('TooManyApplicationVersionsException', `You cannot have more than ${max} application versions.`, 400);
export const tooManyEnvironments = (max: number) =>
  new AwsError('TooManyEnvironmentsException', `You cannot have more than ${max} environments.`, 400);
export const tooManyTemplates = (max: number) =>
  new AwsError('TooManyConfigurationTemplatesException', `You cannot have more than ${max} configuration templates.`, 400);
export const tooManyTags = (max: number) =>
  new AwsError('TooManyTagsException', `You cannot have more than ${max} tags on a resource.`, 400);
export const tooManyPlatforms = (max: number) =>
  new AwsError('TooManyPlatformsException', `You cannot have more than ${max} custom platforms.`, 400);

export const configurationValidation = (message: string) =>
  new AwsError('ConfigurationValidationException', `Configuration validation exception: ${message}`, 400);
