// Public surface of grading: run a lab's checks, apply its preset, report results. Checks read files
// through WorkspaceFs and the cloud only through SDK clients (plus sandbox evidence), so any backend works.
export { runChecks, defineChecks, inferPresetFinishedAt, presetVersionLabels, type RunChecksOptions } from './runner.ts';
export { applyPreset, resolveSolutionStack, zipLabFolder, PresetError, type PresetClients, type PresetResult, type PresetSource } from './preset.ts';
export { renderHuman, renderJson, renderJUnit, type ReportInput } from './reporters.ts';
export { builtinChecks } from './kinds/index.ts';
export { parseProcfile } from './kinds/workspace.ts';
export { CheckFailure } from './types.ts';
export type {
  CheckClients,
  CheckContext,
  CheckImplementation,
  CheckOutcome,
  CheckResult,
  CheckRun,
  CheckStatus,
  CustomCheck,
  CustomChecks,
  EnvironmentAnswer,
  EnvironmentRequest,
  Evidence,
  EvidenceKind,
  SandboxEvidenceSource,
} from './types.ts';
// Helpers for a lab's checks.ts (custom checks use the same workspace and SDK access as built-in kinds).
export {
  readWorkspaceText,
  requireWorkspaceText,
  findEnvironment,
  requireEnvironment,
  listVersions,
  learnerVersions,
  listEvents,
  eventEvidence,
  fileEvidence,
  loadBundle,
} from './helpers.ts';
