// The sample application EB deploys for `eb create --sample` or an environment created without a version.

import type { PlatformVersion } from '../services/elasticbeanstalk/platforms.ts';

/** The sample application bundle (zip bytes) for a platform. */
export function sampleApplication(platform: PlatformVersion): Uint8Array {
  void platform;
  throw new Error('sampleApplication: not implemented yet');
}
