// The built-in check kinds, one implementation per kind named in lab.yaml.
import type { CheckKind } from '../../course/lab-schema.ts';
import type { CheckImplementation } from '../types.ts';
import { bundleExcludes, bundleNoParentFolder, bundleRootContains } from './bundle.ts';
import {
  applicationExists,
  environmentHealth,
  environmentPlatform,
  environmentStatus,
  envVarSet,
  instanceCount,
  optionSetting,
  versionDeployed,
  versionExists,
  versionProcessed,
} from './cloud.ts';
import { eventSeen, noFailedRequests } from './evidence.ts';
import { ebextensionsOption, fileAbsent, fileContains, fileExists, fileMatches, jsonPathEquals, procfileProcess, yamlPathEquals } from './workspace.ts';

type Builtin = Exclude<CheckKind, 'custom'>;

// Params arrive validated by the lab schema, so each implementation's own param type is sound here.
export const builtinChecks: Record<Builtin, CheckImplementation<never>> = {
  'file-exists': fileExists,
  'file-absent': fileAbsent,
  'file-contains': fileContains,
  'file-matches': fileMatches,
  'yaml-path-equals': yamlPathEquals,
  'json-path-equals': jsonPathEquals,
  'procfile-process': procfileProcess,
  'bundle-root-contains': bundleRootContains,
  'bundle-no-parent-folder': bundleNoParentFolder,
  'bundle-excludes': bundleExcludes,
  'ebextensions-option': ebextensionsOption,
  'application-exists': applicationExists,
  'version-exists': versionExists,
  'version-processed': versionProcessed,
  'environment-status': environmentStatus,
  'environment-health': environmentHealth,
  'environment-platform': environmentPlatform,
  'option-setting': optionSetting,
  'env-var-set': envVarSet,
  'version-deployed': versionDeployed,
  'event-seen': eventSeen,
  'no-failed-requests': noFailedRequests,
  'instance-count': instanceCount,
};
