// Public surface of a simulated EC2 instance: bundle inspection (pure, per application version), deployment on one
// instance in the AL2023 order, answering requests and health checks from the app model, and sample applications.

export * from './types.ts';
export { inspectBundle, bundleOptionSettings, checkBundleOptionSettings, BUNDLE_LIMITS } from './bundle.ts';
export type { InspectOptions } from './bundle.ts';
export { deployToInstance } from './deploy.ts';
export { answerRequest, checkHealth, routeMatches } from './proxy.ts';
export { sampleApplication } from './sample-app.ts';
