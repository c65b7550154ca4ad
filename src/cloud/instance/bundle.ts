// Bundle inspection: zip validity and safety, .ebextensions, platform hooks, proxy overrides, Procfile, Buildfile
// and the app model, read once per application version.

import type { PlatformVersion } from '../services/elasticbeanstalk/platforms.ts';
import type { OptionContext, OptionSettingInput } from '../services/elasticbeanstalk/options/index.ts';
import type { BundleReport, InstanceEvent } from './types.ts';

/** Limits EB (and our browser-hosted extraction) apply to a bundle. */
export const BUNDLE_LIMITS = {
  /** 512 MiB: the console, the docs and the EB CLI agree. */
  maxBundleBytes: 536_870_912,
  /** What an instance's staging volume holds once extracted. */
  maxExtractedBytes: 2 * 1024 * 1024 * 1024,
  /** Compression ratio above which an entry is treated as a zip bomb. */
  maxEntryRatio: 200,
  maxEntries: 100_000,
} as const;

/** Inspects a source bundle for a platform. Pure; never throws on bad input (the report says what is wrong). */
export function inspectBundle(bytes: Uint8Array, platform: PlatformVersion): BundleReport {
  void bytes;
  void platform;
  throw new Error('inspectBundle: not implemented yet');
}

/** The option_settings of the bundle's .ebextensions in application order (later files win), skipped files left out. */
export function bundleOptionSettings(report: BundleReport): OptionSettingInput[] {
  return report.ebextensions.filter((c) => !c.skipped).flatMap((c) => c.optionSettings);
}

/**
 * Events for .ebextensions option_settings that fail validation: `"option_settings" in one of the configuration
 * files failed validation. More details to follow.`, the specific error, then `Failed to deploy application.`
 * Empty when they are all valid.
 */
export function checkBundleOptionSettings(report: BundleReport, ctx: OptionContext): InstanceEvent[] {
  void report;
  void ctx;
  throw new Error('checkBundleOptionSettings: not implemented yet');
}
