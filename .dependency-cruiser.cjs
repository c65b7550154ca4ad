// Dependency rules of shared/ARCHITECTURE.md, checked by test/dependency-rules.test.ts (`npm test`) and
// `npm run depcheck`. Each rule's comment says what to do instead when it fires.

/** Files that run only in Node: they may use node: modules, and browser code must not import them. */
const NODE_ONLY = [
  '^src/tools/',
  '^src/cloud/server\\.ts$',
  '^src/workspace/node-fs\\.ts$',
  '^src/eb/node-main\\.ts$',
  '^src/aws/aws-profile\\.ts$',
  '-node\\.ts$',
  // Astro page modules run at build time in Node; client code lives in src/components/scripts and src/workbench.
  '^src/pages/',
].join('|');

const SITE = '^src/(components|layouts|pages)/';

/** Test support code (helpers, fixtures in test/ folders): it may reach into any layer to set up a scenario. */
const TEST_SUPPORT = '(\\.test\\.ts|\\.bench\\.ts|/test-helpers\\.ts)$|/test/';

/** Applies the layer rules to shipped code only: test support code is exempt from them. */
function shippedCodeOnly(rule) {
  if (rule.name === 'no-production-imports-of-tests' || rule.name === 'no-circular') return rule;
  const pathNot = rule.from.pathNot ? `(${rule.from.pathNot})|${TEST_SUPPORT}` : TEST_SUPPORT;
  return { ...rule, from: { ...rule.from, pathNot } };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: /** @type {import('dependency-cruiser').IForbiddenRuleType[]} */ ([
    {
      name: 'cloud-is-a-leaf',
      comment: 'src/cloud imports nothing from other src folders (not even src/workspace): give it what it needs through createCloud options or its own interfaces.',
      severity: 'error',
      from: { path: '^src/cloud/' },
      to: { path: '^src/', pathNot: '^src/cloud/' },
    },
    {
      name: 'cloud-uses-sdk-types-only',
      comment: 'src/cloud may use the SDK packages for their model types only: write `import type { ... } from "@aws-sdk/..."`.',
      severity: 'error',
      from: { path: '^src/cloud/' },
      to: { path: 'node_modules/@aws-sdk/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cloud-node-modules-only-in-server',
      comment: 'Only src/cloud/server.ts (the node:http host) may use node: modules; the rest of the cloud also runs in the browser.',
      severity: 'error',
      from: { path: '^src/cloud/', pathNot: '^src/cloud/server\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'workspace-is-a-leaf',
      comment: 'src/workspace is the shared filesystem interface every layer uses; it must not depend on any of them.',
      severity: 'error',
      from: { path: '^src/workspace/' },
      to: { path: '^src/', pathNot: '^src/workspace/' },
    },
    {
      name: 'eb-and-checks-reach-the-cloud-through-aws',
      comment: 'eb and checks talk to any cloud through SDK clients from src/aws (plus /_sandbox/* over HTTP), never through src/cloud internals, so they work against LocalStack and AWS too.',
      severity: 'error',
      from: { path: '^src/(eb|checks)/' },
      to: { path: '^src/cloud/' },
    },
    {
      name: 'eb-stays-below-shell-and-checks',
      comment: 'The eb command is used by shell, workbench and tools; it must not depend on them or on checks.',
      severity: 'error',
      from: { path: '^src/eb/' },
      to: { path: '^src/(checks|shell|workbench|tools)/' },
    },
    {
      name: 'checks-stay-below-shell-and-workbench',
      comment: 'Grading must run headless (academy grade) and in the workbench alike; it must not depend on shell, workbench or tools.',
      severity: 'error',
      from: { path: '^src/checks/' },
      to: { path: '^src/(shell|workbench|tools)/' },
    },
    {
      name: 'aws-only-builds-clients',
      comment: 'src/aws builds SDK clients (for an endpoint or an in-process cloud); it must not depend on the layers that use them.',
      severity: 'error',
      from: { path: '^src/aws/' },
      to: { path: '^src/(eb|shell|checks|course|workbench|tools)/' },
    },
    {
      name: 'shell-composes-eb-and-aws',
      comment: 'The lab shell composes eb and aws over a virtual filesystem and knows no UI; reach the cloud through src/aws.',
      severity: 'error',
      from: { path: '^src/shell/' },
      to: { path: '^src/(cloud|checks|workbench|tools)/' },
    },
    {
      name: 'course-is-schemas-and-loaders',
      comment: 'src/course (chapter and lab schemas, loaders, progress) is used by the site, tools and workbench; it depends on none of the runtime layers.',
      severity: 'error',
      from: { path: '^src/course/' },
      to: { path: '^src/(cloud|aws|eb|shell|checks|workbench|tools)/' },
    },
    {
      name: 'workbench-not-tools',
      comment: 'The workbench runs in the browser; src/tools is the Node CLI. Share code through the lower layers instead.',
      severity: 'error',
      from: { path: '^src/workbench/' },
      to: { path: '^src/tools/' },
    },
    {
      name: 'only-tools-import-tools',
      comment: 'src/tools composes everything for Node; nothing below it may import it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/tools/' },
      to: { path: '^src/tools/' },
    },
    {
      name: 'libraries-do-not-import-the-site',
      comment: 'Astro components, layouts and pages sit on top; move shared logic into src/course (or the layer it belongs to).',
      severity: 'error',
      from: { path: '^src/(cloud|aws|eb|shell|checks|course|workspace|tools|workbench)/' },
      to: { path: SITE },
    },
    {
      name: 'browser-code-no-node-modules',
      comment: 'This module can end up in the browser bundle, where node: modules do not exist. Move the Node part into a *-node.ts file (or src/tools) and keep this one portable.',
      severity: 'error',
      from: { path: '^src/', pathNot: NODE_ONLY },
      // `buffer` is the npm polyfill of the same name (node_modules/buffer), which browsers can load.
      to: { dependencyTypes: ['core'], pathNot: '^buffer$' },
    },
    {
      name: 'browser-code-no-node-only-modules',
      comment: 'A browser-side module imports a Node-only one (tools, server.ts, node-fs.ts, node-main.ts, *-node.ts, aws-profile.ts). Pass the Node part in from the Node entry instead.',
      severity: 'error',
      from: { path: '^src/', pathNot: NODE_ONLY },
      to: { path: NODE_ONLY },
    },
    {
      name: 'no-production-imports-of-tests',
      comment: 'Production code must not import test files or test helpers.',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_SUPPORT },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'no-circular',
      comment: 'A dependency cycle; usually a sign that an interface belongs one layer lower.',
      severity: 'warn',
      from: {},
      to: { circular: true },
    },
  ]).map(shippedCodeOnly),
  options: {
    doNotFollow: { path: 'node_modules' },
    // Test files are not shipped; test helpers are cruised so shipped code importing them is caught.
    exclude: { path: '(\\.test\\.ts|\\.bench\\.ts)$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.mjs', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
