// Deployment of a bundle on one simulated instance, in the AL2023 order of reference §6.4, with durations,
// events, log lines (eb-engine.log, cfn-init, hooks, web.stdout.log) and the resulting web process.

import { defaultProxyPortFor } from '../services/elasticbeanstalk/platforms.ts';
import type { SourceFiles, StartOutcome } from './app-model.ts';
import { containerCommand, listensOnContainerLoopback } from './docker-app.ts';
import { nginxEmergLine } from './nginx-rules.ts';
import { defaultNodeCommand, startNodeApp, staticFilesOf } from './node-app.ts';
import { defaultPythonCommand, startPythonApp } from './python-app.ts';
import { simulateCommand, simulateScript, type CommandContext } from './shell-sim.ts';
import type {
  AppProcess,
  DeploymentStep,
  EbextensionsCommand,
  EventSeverity,
  HookPhase,
  InstanceDeploymentInput,
  InstanceDeploymentResult,
  InstanceEvent,
  LogLine,
} from './types.ts';
import { LOG_FILES } from './types.ts';

const NGINX_DEFAULT_BODY = 1024 * 1024;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** `2026/11/23 09:00:01.123456`, eb-engine's timestamp. */
export function engineTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}000`;
}

/** `2026-11-23 09:00:01,123`, cfn-init's timestamp. */
function cfnTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())},${pad(d.getUTCMilliseconds(), 3)}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Nov 23 09:00:01`, journald's timestamp in web.stdout.log. */
export function journalTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The instance's private host name, stable per instance id (`ip-172-31-37-112`). */
export function hostNameOf(instanceId: string): string {
  const h = hash(instanceId);
  return `ip-172-31-${(h >>> 8) % 64 + 16}-${h % 250 + 2}`;
}

class StepRecorder {
  readonly steps: DeploymentStep[] = [];
  readonly events: InstanceEvent[] = [];
  readonly logs: LogLine[] = [];
  now: number;

  constructor(startedAt: number) {
    this.now = startedAt;
  }

  engine(level: 'INFO' | 'WARN' | 'ERROR', text: string, step?: DeploymentStep): void {
    const line = { file: LOG_FILES.engine, text: `${engineTime(this.now)} [${level}] ${text}`, at: this.now };
    this.logs.push(line);
    step?.logs.push(line);
  }

  log(file: string, text: string, step?: DeploymentStep): void {
    const line = { file, text, at: this.now };
    this.logs.push(line);
    step?.logs.push(line);
  }

  event(severity: EventSeverity, message: string, step?: DeploymentStep): void {
    const e = { severity, message };
    this.events.push(e);
    step?.events.push(e);
  }

  begin(name: string, order: number): DeploymentStep {
    const step: DeploymentStep = { name, order, startedAt: this.now, durationMs: 0, status: 'ok', events: [], logs: [] };
    this.steps.push(step);
    this.engine('INFO', `Executing instruction: ${name}`, step);
    return step;
  }

  end(step: DeploymentStep, durationMs: number, status: DeploymentStep['status'] = 'ok'): void {
    this.now += durationMs;
    step.durationMs = this.now - step.startedAt;
    step.status = status;
  }
}

function commandText(c: EbextensionsCommand): string {
  return Array.isArray(c.command) ? c.command.join(' ') : c.command;
}

/** Deploys a bundle on one instance. Pure: the same input gives the same steps, logs and process. */
export function deployToInstance(input: InstanceDeploymentInput): InstanceDeploymentResult {
  const { report, platform, instanceId } = input;
  const kind = input.kind ?? 'app-deploy';
  const deploymentId = input.deploymentId ?? 1;
  const rec = new StepRecorder(input.startedAt);
  const host = hostNameOf(instanceId);
  const command = kind === 'config-deploy' ? 'config-deploy' : 'app-deploy';
  const failStep = (step: DeploymentStep, error: string, durationMs: number, events: InstanceEvent[] = []): InstanceDeploymentResult => {
    rec.engine('ERROR', `An error occurred during execution of command [${command}] - [${step.name}]. Stop running the command. Error: ${error}`, step);
    for (const e of events) rec.event(e.severity, e.message, step);
    rec.event('ERROR', "Instance deployment failed. For details, see 'eb-engine.log'.", step);
    rec.event('ERROR', `[Instance: ${instanceId}] Command failed on instance. Return code: 1 Output: Engine execution has encountered an error..`, step);
    rec.end(step, durationMs, 'failed');
    rec.engine('INFO', 'Executing cleanup logic');
    rec.engine('INFO', `CommandService Response: {"status":"FAILURE","api_version":"1.0","results":[{"status":"FAILURE","msg":"Engine execution has encountered an error.","returncode":1,"events":[]}]}`);
    rec.engine('INFO', `Platform Engine finished execution on command: ${command}`);
    return { ok: false, steps: rec.steps, durationMs: rec.now - input.startedAt, events: rec.events, logs: rec.logs, failure: { step: step.name, message: error } };
  };

  rec.engine('INFO', 'Starting...');
  rec.engine('INFO', 'Starting EBPlatform-PlatformEngine');
  rec.engine('INFO', 'reading event message file');
  rec.engine('INFO', `Engine received EB command ${command}`);

  const paths = new Set(report.entries.filter((e) => !e.directory).map((e) => e.path));
  for (const e of report.entries.filter((x) => x.directory)) paths.add(e.path.replace(/\/$/, ''));
  const executable = (p: string) => report.entries.some((e) => e.path === p && e.executable);
  const staging: CommandContext = { paths, executable, cwd: 'staging', appDir: '/var/app/staging' };

  // 1. Download and extract the bundle.
  if (kind !== 'config-deploy') {
    const stage = rec.begin('StageApplication', 1);
    if (!report.ok && report.failure && report.failure.kind !== 'invalid-ebextensions') {
      rec.now += 1500;
      for (const l of report.failure.logs) if (!/Executing instruction: StageApplication/.test(l.text)) rec.log(l.file, l.file === LOG_FILES.engine ? `${engineTime(rec.now)} ${l.text}` : l.text, stage);
      for (const e of report.failure.events) if (!/^Instance deployment failed\. For details/.test(e.message)) rec.event(e.severity, e.message, stage);
      rec.event('ERROR', "Instance deployment failed. For details, see 'eb-engine.log'.", stage);
      rec.event('ERROR', `[Instance: ${instanceId}] Command failed on instance. Return code: 1 Output: Engine execution has encountered an error..`, stage);
      rec.end(stage, 0, 'failed');
      rec.engine('INFO', `Platform Engine finished execution on command: ${command}`);
      return { ok: false, steps: rec.steps, durationMs: rec.now - input.startedAt, events: rec.events, logs: rec.logs, failure: { step: stage.name, message: report.failure.message } };
    }
    rec.engine('INFO', 'extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/', stage);
    rec.engine('INFO', 'finished extracting /opt/elasticbeanstalk/deployment/app_source_bundle to /var/app/staging/ successfully', stage);
    for (const w of report.warnings) rec.event(w.severity, w.message, stage);
    rec.end(stage, 1200 + Math.round(report.size / 10_000));
  }

  // 2. .ebextensions: packages, groups, users, sources, files, commands (cfn-init config set Infra-EmbeddedPreBuild).
  const configs = report.ebextensions.filter((c) => !c.skipped);
  if (kind !== 'config-deploy' && !report.ok && report.failure?.kind === 'invalid-ebextensions') {
    // The bundle extracted; reading its .ebextensions is what fails.
    const pre = rec.begin('PreBuildEbExtension', 2);
    const detail = report.failure.events[0]?.message ?? report.failure.message;
    return failStep(pre, detail, 300, report.failure.events);
  }
  if (kind !== 'config-deploy') {
    const pre = rec.begin('PreBuildEbExtension', 2);
    rec.engine('INFO', 'Starting executing the config set Infra-EmbeddedPreBuild.', pre);
    rec.engine('INFO', `Running command /bin/sh -c /opt/aws/bin/cfn-init -s arn:aws:cloudformation:${platform.region}:000000000000:stack/awseb-stack -r AWSEBAutoScalingGroup --region ${platform.region} --configsets Infra-EmbeddedPreBuild`, pre);
    let duration = 900;
    for (const config of configs) {
      for (const [manager, pkgs] of Object.entries(config.packages)) {
        for (const [name, versions] of Object.entries(pkgs)) {
          rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] ${manager} installed ${name}${versions.length ? ` ${versions.join(', ')}` : ''}`, pre);
          duration += 4000;
        }
      }
      for (const f of config.files) {
        rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] Writing file ${f.path}${f.mode ? ` (mode ${f.mode})` : ''}`, pre);
        duration += 100;
      }
      for (const c of config.commands) {
        const result = c.test !== undefined ? simulateCommand(c.test, { ...staging, cwd: 'root' }) : { exitCode: 0, output: [] };
        if (result.exitCode !== 0) {
          rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] Test for Command ${c.name}`, pre);
          rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] Test failed with code ${result.exitCode}`, pre);
          continue;
        }
        const r = simulateCommand(c.command, { ...staging, cwd: c.cwd && c.cwd.startsWith('/var/app/staging') ? 'staging' : 'root' });
        duration += 1500;
        rec.log(LOG_FILES.cfnInitCmd, `${cfnTime(rec.now + duration)} P${3000 + (hash(instanceId) % 900)} [INFO] Command ${c.name}`, pre);
        for (const o of r.output) rec.log(LOG_FILES.cfnInitCmd, `${cfnTime(rec.now + duration)} P${3000 + (hash(instanceId) % 900)} [INFO] ${o}`, pre);
        if (r.exitCode !== 0 && !c.ignoreErrors) {
          rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [ERROR] Command ${c.name} (${commandText(c)}) failed`, pre);
          rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [ERROR] Error encountered during build of prebuild_0_app: Command ${c.name} failed`, pre);
          return failStep(pre, 'EbExtension build failed. Please refer to /var/log/cfn-init.log for more details.', duration, [
            { severity: 'ERROR', message: `Error occurred during build: Command ${c.name} failed (${config.file})` },
          ]);
        }
        rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] Command ${c.name} ${r.exitCode === 0 ? 'succeeded' : `failed with return code ${r.exitCode}; ignoreErrors is set`}`, pre);
      }
    }
    rec.engine('INFO', 'Finished executing the config set Infra-EmbeddedPreBuild.', pre);
    rec.end(pre, duration);
  }

  const runHooks = (phase: HookPhase, order: number, name: string): InstanceDeploymentResult | undefined => {
    const hooks = kind === 'config-deploy' ? report.confighooks[phase] : report.hooks[phase];
    const dirName = kind === 'config-deploy' ? `.platform/confighooks/${phase}/` : `.platform/hooks/${phase}/`;
    const step = rec.begin(name, order);
    rec.engine('INFO', `Executing platform hooks in ${dirName}`, step);
    if (!hooks.length) rec.engine('INFO', `The dir ${dirName} does not exist`, step);
    let duration = 50;
    for (const h of hooks) {
      rec.engine('INFO', `Following platform hooks will be executed in order: [${h.path.slice(dirName.length)}]`, step);
      rec.engine('INFO', `Running platform hook: ${h.path}`, step);
      if (!h.executable) return failStep(step, `Command ${h.path} failed with error fork/exec ${h.path}: permission denied`, duration);
      if (!h.shebang) return failStep(step, `Command ${h.path} failed with error fork/exec ${h.path}: exec format error`, duration);
      // A script saved with Windows line endings asks for `/bin/bash\r`, which does not exist.
      if (h.shebang.endsWith('\r')) return failStep(step, `Command ${h.path} failed with error fork/exec ${h.path}: no such file or directory`, duration);
      const r = simulateScript(h.content, { ...staging, cwd: 'staging', appDir: phase === 'postdeploy' ? '/var/app/current' : '/var/app/staging' });
      duration += 600;
      for (const o of r.output) rec.log(LOG_FILES.hooks, `${engineTime(rec.now + duration)} [INFO] ${o}`, step);
      if (r.exitCode !== 0) {
        return failStep(step, `Command ${h.path} failed with error exit status ${r.exitCode}. Stderr:${r.output.length ? r.output[r.output.length - 1] : ''}`, duration);
      }
    }
    rec.engine('INFO', `Finished running scripts in /var/app/${phase === 'postdeploy' ? 'current' : 'staging'}/${dirName.slice(0, -1)}`, step);
    rec.end(step, duration);
    return undefined;
  };

  // 3. prebuild hooks.
  const f3 = runHooks('prebuild', 3, kind === 'config-deploy' ? 'RunConfigDeployPreBuildHooks' : 'RunAppDeployPreBuildHooks');
  if (f3) return f3;

  // 4. Buildfile and the platform's dependency installation.
  const lang = platform.branch.language;
  const innerLang = lang === 'docker' || lang === 'ecs' ? report.app.docker?.innerLanguage : lang;
  if (kind !== 'config-deploy') {
    if (report.buildfile?.length) {
      const build = rec.begin('RunBuildfile', 4);
      let d = 100;
      for (const b of report.buildfile) {
        const r = simulateCommand(b.command, staging);
        d += 1500;
        rec.engine('INFO', `Running command /bin/sh -c ${b.command}`, build);
        if (r.exitCode !== 0) return failStep(build, `Buildfile command ${b.name} failed with error exit status ${r.exitCode}. Stderr:${r.output.join(' ')}`, d);
      }
      rec.end(build, d);
    }
    if (lang === 'nodejs') {
      const deps = rec.begin('Use NPM to install dependencies', 4);
      const pkg = report.app.node?.packageJson;
      if (!pkg) {
        rec.engine('INFO', 'no package.json file is found; skip installing dependencies', deps);
        rec.end(deps, 100);
      } else if ([...paths].some((p) => p.startsWith('node_modules/'))) {
        rec.engine('INFO', 'node_modules directory found in the source bundle; skip installing dependencies', deps);
        rec.end(deps, 200);
      } else if (pkg.error) {
        return failStep(deps, `Command /bin/sh -c npm --omit=dev install failed with error exit status 1. Stderr:npm error code EJSONPARSE npm error JSON.parse Invalid package.json: ${pkg.error}`, 1500, [
          { severity: 'ERROR', message: "Instance deployment: 'npm' failed to install dependencies that you defined in 'package.json'. For details, see 'eb-engine.log'. The deployment failed." },
        ]);
      } else {
        rec.engine('INFO', 'Running command /bin/sh -c npm --omit=dev install', deps);
        rec.engine('INFO', `added ${pkg.dependencies.length * 17 + 1} packages, and audited ${pkg.dependencies.length * 17 + 2} packages in ${Math.max(1, Math.round(pkg.dependencies.length * 0.8))}s`, deps);
        rec.end(deps, 5000 + 900 * pkg.dependencies.length);
      }
    } else if (innerLang === 'python' && lang === 'python') {
      const deps = rec.begin('InstallDependency', 4);
      const reqs = report.app.python?.requirements;
      if (reqs !== undefined && !paths.has('requirements.txt')) {
        rec.engine('INFO', 'Installing dependencies with Pipfile by using pipenv', deps);
        rec.end(deps, 8000 + 1800 * reqs.length);
      } else if (reqs === undefined) {
        rec.event('WARN', "Instance deployment: You didn't include a 'requirements.txt' file in your source bundle. The deployment didn't install any dependencies.", deps);
        rec.end(deps, 100);
      } else {
        rec.engine('INFO', 'Installing dependencies with requirements.txt by using Pip', deps);
        rec.engine('INFO', 'Running command /bin/sh -c /var/app/venv/staging-LQM1lest/bin/pip install -r requirements.txt', deps);
        if (reqs.length) rec.engine('INFO', `Successfully installed ${reqs.join(' ')}`, deps);
        rec.end(deps, 6000 + 1800 * reqs.length);
      }
    } else if (lang === 'docker' || lang === 'ecs') {
      const build = rec.begin('Docker Specific Build Application', 4);
      const d = report.app.docker;
      if (!d?.dockerfile && d?.dockerrunPort === undefined && d?.composePort === undefined && !paths.has('Dockerrun.aws.json')) {
        return failStep(build, 'Dockerfile and Dockerrun.aws.json are both missing, abort deployment', 300, [
          { severity: 'ERROR', message: "Instance deployment: Both 'Dockerfile' and 'Dockerrun.aws.json' are missing in your source bundle. Include at least one of them. The deployment failed." },
        ]);
      }
      if (d?.dockerfile && !d.dockerfile.exposes.length && d.dockerrunPort === undefined && d.composePort === undefined) {
        return failStep(build, 'No EXPOSE directive found in Dockerfile, abort deployment', 2000, [
          // AWS documents this failure only by its eb-engine.log line (Docker platform troubleshooting), so the event
          // is the generic one that sends the reader to that log.
          { severity: 'ERROR', message: "Instance deployment failed. For details, see 'eb-engine.log'." },
        ]);
      }
      rec.engine('INFO', `Running command /bin/sh -c docker build -t aws_beanstalk/staging-app /var/app/staging/`, build);
      rec.engine('INFO', 'Successfully built aws_beanstalk/staging-app', build);
      rec.end(build, 45_000);
    }
  }

  // The web process: Procfile or the platform default. The Node.js "failed to generate a 'Procfile'" event is EB's
  // observed text; the Procfile syntax and Docker events below follow EB's style but their wording is ours.
  const procfile = report.procfile;
  const checkProc = rec.begin('check Procfile', 8);
  let webCommand: string | undefined;
  let commandSource: AppProcess['commandSource'] = 'platform-default';
  if (procfile && lang !== 'docker' && lang !== 'ecs') {
    if (procfile.problems.length) {
      const p = procfile.problems[0];
      return failStep(checkProc, `Procfile line ${p.line} is invalid: "${p.text}" (${p.reason})`, 100, [
        { severity: 'ERROR', message: `Instance deployment: Your 'Procfile' has a syntax error on line ${p.line}. The deployment failed.` },
      ]);
    }
    if (!procfile.web) {
      return failStep(checkProc, 'Procfile has no processes', 100, [{ severity: 'ERROR', message: "Instance deployment: Your 'Procfile' defines no process. The deployment failed." }]);
    }
    webCommand = procfile.web.command;
    commandSource = 'Procfile';
    rec.event('INFO', "Instance deployment used the commands in your 'Procfile' to initiate startup of your application.", checkProc);
  } else if (lang === 'nodejs') {
    webCommand = defaultNodeCommand(paths);
    if (!webCommand && (innerLang === 'python' || innerLang === 'nodejs')) {
      return failStep(checkProc, 'failed to generate a Procfile: none of package.json, app.js or server.js exists', 100, [
        { severity: 'ERROR', message: "Instance deployment failed to generate a 'Procfile' for Node.js. Provide one of these files: 'package.json', 'server.js', or 'app.js'. The deployment failed." },
      ]);
    }
    rec.engine('INFO', `generating Procfile with command: web: ${webCommand}`, checkProc);
  } else if (lang === 'python') {
    webCommand = defaultPythonCommand(input.options('aws:elasticbeanstalk:container:python', 'WSGIPath'), input.options('aws:elasticbeanstalk:container:python', 'NumProcesses') ?? '1', input.options('aws:elasticbeanstalk:container:python', 'NumThreads') ?? '15');
    rec.engine('INFO', `generating Procfile with command: web: ${webCommand}`, checkProc);
  } else if (lang === 'docker' || lang === 'ecs') {
    webCommand = report.app.docker ? containerCommand(report.app.docker) : undefined;
  } else {
    webCommand = platform.branch.defaultWebCommand;
  }
  rec.end(checkProc, 80);

  // 5. Proxy configuration from .platform/nginx.
  const proxyServer = (input.options('aws:elasticbeanstalk:environment:proxy', 'ProxyServer') ?? 'nginx') as AppProcess['proxyServer'];
  const proxyStep = rec.begin('configure proxy server', 5);
  if (report.proxy.files.length && proxyServer !== 'none') {
    rec.engine('INFO', `Copying file /var/app/staging/.platform/${proxyServer === 'apache' ? 'httpd' : 'nginx'} to /var/proxy/staging/${proxyServer === 'apache' ? 'httpd' : 'nginx'}`, proxyStep);
    rec.engine('INFO', `Running command /bin/sh -c /usr/sbin/${proxyServer === 'apache' ? 'httpd -t' : 'nginx -t -c /var/proxy/staging/nginx/nginx.conf'}`, proxyStep);
    const broken = proxyServer === 'nginx' ? report.proxy.configError : undefined;
    if (broken) {
      // nginx -t's two stderr lines are nginx's own; the wrapping "copy proxy conf ... validate nginx configuration" is inferred.
      return failStep(
        proxyStep,
        `copy proxy conf from staging failed with error validate nginx configuration failed with error Command /bin/sh -c /usr/sbin/nginx -t -c /var/proxy/staging/nginx/nginx.conf failed with error exit status 1. Stderr:${nginxEmergLine(broken)}\nnginx: configuration file /var/proxy/staging/nginx/nginx.conf test failed`,
        300,
      );
    }
  }
  rec.end(proxyStep, 300);

  // 6. container_commands (leader_only on one instance, not on new instances joining).
  if (kind !== 'config-deploy') {
    const post = rec.begin('PostBuildEbExtension', 6);
    rec.engine('INFO', 'Starting executing the config set Infra-EmbeddedPostBuild.', post);
    let duration = 600;
    const all = configs.flatMap((c) => c.containerCommands.map((cc) => ({ cc, file: c.file })));
    const ordered = [...all.filter((x) => x.cc.leaderOnly), ...all.filter((x) => !x.cc.leaderOnly)];
    for (const { cc, file } of ordered) {
      if (cc.leaderOnly && (!input.isLeader || kind === 'launch')) {
        rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] Command ${cc.name} skipped: leader_only and this instance is not the leader`, post);
        continue;
      }
      if (cc.test !== undefined && !cc.leaderOnly) {
        const t = simulateCommand(cc.test, staging);
        if (t.exitCode !== 0) {
          rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] Test for Command ${cc.name}`, post);
          rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [INFO] Test failed with code ${t.exitCode}`, post);
          continue;
        }
      }
      const r = simulateCommand(cc.command, staging);
      duration += 1500;
      const pid = 4000 + (hash(instanceId) % 900);
      rec.log(LOG_FILES.cfnInitCmd, `${cfnTime(rec.now + duration)} P${pid} [INFO] Command ${cc.name}`, post);
      rec.log(LOG_FILES.cfnInitCmd, `${cfnTime(rec.now + duration)} P${pid} [INFO] -----------------------Command Output-----------------------`, post);
      for (const o of r.output) rec.log(LOG_FILES.cfnInitCmd, `${cfnTime(rec.now + duration)} P${pid} [INFO] \t${o}`, post);
      rec.log(LOG_FILES.cfnInitCmd, `${cfnTime(rec.now + duration)} P${pid} [INFO] ------------------------------------------------------------`, post);
      if (r.exitCode !== 0 && !cc.ignoreErrors) {
        rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [ERROR] Command ${cc.name} (${commandText(cc)}) failed`, post);
        rec.log(LOG_FILES.cfnInit, `${cfnTime(rec.now + duration)} [ERROR] Error encountered during build of postbuild_0_app: Command ${cc.name} failed`, post);
        return failStep(post, 'Container commands build failed. Please refer to /var/log/cfn-init.log for more details.', duration, [
          { severity: 'ERROR', message: `Error occurred during build: Command ${cc.name} failed (${file})` },
        ]);
      }
      rec.log(LOG_FILES.cfnInitCmd, `${cfnTime(rec.now + duration)} P${pid} [INFO] Completed successfully.`, post);
    }
    rec.engine('INFO', 'Finished executing the config set Infra-EmbeddedPostBuild.', post);
    rec.end(post, duration);
  }

  // 7. predeploy hooks.
  const f7 = runHooks('predeploy', 7, kind === 'config-deploy' ? 'RunConfigDeployPreDeployHooks' : 'RunAppDeployPreDeployHooks');
  if (f7) return f7;

  // 8. Start the Procfile processes.
  const flip = rec.begin(kind === 'config-deploy' ? 'RestartAppServer' : 'FlipApplication', 8);
  if (kind !== 'config-deploy') rec.engine('INFO', 'Fetching environment variables...', flip);
  const platformPort = lang === 'docker' || lang === 'ecs' ? undefined : defaultProxyPortFor(lang);
  const processEnv: Record<string, string> = { ...input.env };
  // nginx needs a port number; a PORT property that is not one leaves the platform's upstream in place.
  const portProperty = processEnv.PORT !== undefined && /^\d{1,5}$/.test(processEnv.PORT) ? Number(processEnv.PORT) : undefined;
  if (lang === 'docker' || lang === 'ecs') Object.assign(processEnv, report.app.docker?.dockerfile?.env ?? {}, input.env);
  if (processEnv.PORT === undefined && platformPort !== undefined) processEnv.PORT = String(platformPort);
  const pid = 2000 + (hash(`${instanceId}/${deploymentId}`) % 7000);
  const files: SourceFiles = { text: new Map(), paths };
  // Hook and config texts are all we kept; the app rules work from the facts already in the report.
  let outcome: StartOutcome;
  if (!webCommand && (innerLang === 'python' || innerLang === 'nodejs')) {
    outcome = { running: false, exit: { code: 1, error: 'No web process to start.' }, stdout: [], routes: [], answersEveryPath: false, notFound: { body: '', contentType: 'text/html' }, framework: 'none' };
  } else if (webCommand && innerLang === 'python' && report.app.python) {
    outcome = startPythonApp(report.app.python, withSourceText(files, report), { command: webCommand, env: processEnv, now: rec.now, pid, runtimeVersion: platform.runtimeVersion });
  } else if (webCommand && innerLang === 'nodejs' && report.app.node) {
    outcome = startNodeApp(report.app.node, withSourceText(files, report), { command: webCommand, env: processEnv, now: rec.now, pid, runtimeVersion: lang === 'nodejs' ? platform.runtimeVersion : '22.22.2' });
  } else {
    // Platforms whose apps we do not model (PHP, Java, Go ...): the process serves every path on its port.
    const port = Number(processEnv.PORT ?? platformPort ?? 80);
    outcome = {
      running: true,
      stdout: [`(sandbox) the ${platform.branch.runtime} app is not modelled in detail; it is assumed to serve every path on port ${port}.`],
      listenPort: port,
      routes: [],
      answersEveryPath: true,
      defaultResponse: { method: '*', path: '*', status: 200, body: `${platform.branch.runtime} application (${input.versionLabel})\n`, contentType: 'text/html; charset=UTF-8' },
      notFound: { body: '', contentType: 'text/html' },
      framework: platform.branch.language,
    };
  }
  rec.engine('INFO', `Running command /bin/sh -c systemctl start web.service`, flip);
  rec.end(flip, 1500);
  // The web process's journal belongs to the step that started it, so it reaches the instance's logs (eb logs).
  const journal = (line: string) => rec.log(LOG_FILES.web, `${journalTime(rec.now)} ${host} web[${pid}]: ${line}`, flip);
  for (const line of outcome.stdout) journal(line);

  // 9. (Re)start the proxy.
  const proxyStart = rec.begin('start proxy with new configuration', 9);
  let upstreamPort: number;
  if (proxyServer === 'none') upstreamPort = Number(input.options('aws:elasticbeanstalk:environment:process:default', 'Port') ?? 80);
  else if (report.proxy.replacesMainConfig && !report.proxy.keepsElasticBeanstalkInclude) upstreamPort = 0;
  else if (report.proxy.proxyPassPort !== undefined) upstreamPort = report.proxy.proxyPassPort;
  else if (lang === 'docker' || lang === 'ecs') {
    const d = report.app.docker;
    upstreamPort = d?.dockerrunPort ?? d?.dockerfile?.exposes[0] ?? d?.composePort ?? 80;
    if (outcome.running && webCommand && listensOnContainerLoopback(webCommand, innerLang, processEnv, outcome.listenHost)) delete outcome.listenPort;
  } else upstreamPort = portProperty ?? platformPort ?? 5000;
  rec.engine('INFO', `Running command /bin/sh -c systemctl restart ${proxyServer === 'apache' ? 'httpd' : 'nginx'}.service`, proxyStart);
  rec.end(proxyStart, 700);

  // 10. postdeploy hooks.
  const f10 = runHooks('postdeploy', 10, kind === 'config-deploy' ? 'RunConfigDeployPostDeployHooks' : 'RunAppDeployPostDeployHooks');
  if (f10) return f10;

  rec.engine('INFO', 'Executing cleanup logic');
  rec.engine('INFO', `CommandService Response: {"status":"SUCCESS","api_version":"1.0","results":[{"status":"SUCCESS","msg":"Engine execution has succeeded.","returncode":0,"events":[{"msg":"Instance deployment completed successfully.","timestamp":${rec.now},"severity":"INFO"}]}]}`);
  rec.engine('INFO', `Platform Engine finished execution on command: ${command}`);
  rec.event('INFO', 'Instance deployment completed successfully.');

  const staticFiles = innerLang === 'nodejs' && report.app.node ? staticFilesOf(report.app.node, withSourceText(files, report)) : [];
  if (lang === 'python') {
    const staticDir = input.options('aws:elasticbeanstalk:environment:proxy:staticfiles', '/static') ?? 'static';
    staticFiles.push({ urlPrefix: '/static', files: [...paths].filter((p) => p.startsWith(`${staticDir}/`)).map((p) => p.slice(staticDir.length + 1)) });
  }
  const process: AppProcess = {
    instanceId,
    versionLabel: input.versionLabel,
    deploymentId,
    command: webCommand ?? '',
    commandSource,
    state: outcome.running ? 'running' : 'exited',
    ...(outcome.exit ? { exit: outcome.exit } : {}),
    ...(outcome.running && outcome.listenPort !== undefined ? { listenPort: lang === 'docker' || lang === 'ecs' ? outcome.listenPort : outcome.listenPort } : {}),
    upstreamPort,
    proxyServer,
    clientMaxBodySize: report.proxy.clientMaxBodySize ?? NGINX_DEFAULT_BODY,
    ...(report.proxy.rules && proxyServer === 'nginx' ? { nginxRules: report.proxy.rules } : {}),
    routes: outcome.routes,
    answersEveryPath: outcome.answersEveryPath,
    ...(outcome.defaultResponse ? { defaultResponse: outcome.defaultResponse } : {}),
    notFound: outcome.notFound,
    framework: outcome.framework,
    ...(outcome.requestFailure ? { requestFailure: outcome.requestFailure } : {}),
    ...(staticFiles.length ? { staticFiles } : {}),
    startedAt: rec.now,
  };
  return { ok: true, steps: rec.steps, durationMs: rec.now - input.startedAt, events: rec.events, logs: rec.logs, process };
}

// The app rules need the source lines for tracebacks; the report keeps facts, and the lines they cite.
function withSourceText(files: SourceFiles, report: InstanceDeploymentInput['report']): SourceFiles {
  const text = new Map(files.text);
  for (const [file, lines] of Object.entries(report.app.citedLines ?? {})) {
    const numbers = Object.keys(lines).map(Number);
    const out: string[] = new Array(Math.max(0, ...numbers)).fill('');
    for (const n of numbers) out[n - 1] = lines[n];
    text.set(file, out.join('\n'));
  }
  return { text, paths: files.paths };
}
