import { describe, expect, it } from 'vitest';
import { findByShortName } from '../services/elasticbeanstalk/platforms.ts';
import { answerRequest, checkHealth, deployToInstance, inspectBundle, LOG_FILES } from './index.ts';
import { makeZip, type FixtureFile } from './zip-fixture.ts';

const node = findByShortName('node.js-22')!;

function deploy(files: Record<string, string | FixtureFile>, env: Record<string, string> = {}) {
  const report = inspectBundle(makeZip(files), node, { versionLabel: 'v2' });
  const result = deployToInstance({
    report,
    versionLabel: 'v2',
    instanceId: 'i-0fedcba9876543210',
    isLeader: true,
    env,
    options: () => undefined,
    platform: node,
    startedAt: Date.UTC(2026, 10, 23, 9, 0, 0),
  });
  const web = result.logs.filter((l) => l.file === LOG_FILES.web).map((l) => l.text).join('\n');
  const req = (path: string, method = 'GET', body?: string) => answerRequest(result.process, { method, path, ...(body !== undefined ? { body } : {}) });
  return { report, result, process: result.process, web, req };
}

const pkg = (extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'pettracker', version: '1.2.0', scripts: { start: 'node server.js' }, dependencies: { express: '^4.21.2' }, ...extra });

const EXPRESS = [
  "const express = require('express');",
  'const app = express();',
  'const PORT = process.env.PORT || 3000;',
  '',
  "app.get('/', (req, res) => res.send('PetTracker is up'));",
  "app.get('/health', (req, res) => res.json({ status: 'ok' }));",
  "app.post('/pets', (req, res) => res.status(201).json({ created: true }));",
  "app.get('/pets/:id', (req, res) => res.json({ id: req.params.id }));",
  '',
  'app.listen(PORT, () => console.log(`Listening on ${PORT}`));',
  '',
].join('\n');

describe('Node.js app model', () => {
  it('runs npm start, listens on process.env.PORT (8080 behind nginx) and answers its routes', () => {
    const { result, process, web, req } = deploy({ 'package.json': pkg(), 'server.js': EXPRESS });
    expect(result.ok).toBe(true);
    expect(process?.command).toBe('npm start');
    expect(process?.listenPort).toBe(8080);
    expect(process?.upstreamPort).toBe(8080);
    expect(web).toContain('> pettracker@1.2.0 start');
    expect(web).toContain('> node server.js');
    expect(web).toContain('Listening on 8080');
    expect(req('/').body).toBe('PetTracker is up');
    expect(req('/health').body).toBe('{"status":"ok"}');
    expect(req('/pets', 'POST').status).toBe(201);
    expect(req('/pets/42').status).toBe(200);
    const missing = req('/cats');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<pre>Cannot GET /cats</pre>');
    expect(req('/', 'DELETE').body).toContain('Cannot DELETE /');
  });

  it('answers 502 when the app listens on a literal 3000 instead of PORT', () => {
    const { process, req } = deploy({ 'package.json': pkg(), 'server.js': EXPRESS.replace('process.env.PORT || 3000', '3000') });
    expect(process?.listenPort).toBe(3000);
    expect(req('/').status).toBe(502);
    expect(checkHealth(process, { path: '/health' }).healthy).toBe(false);
  });

  it("fails with Node's own text when a module is not in dependencies", () => {
    const code = `const cors = require('cors');\n${EXPRESS}`;
    const { process, web } = deploy({ 'package.json': pkg(), 'server.js': code });
    expect(process?.state).toBe('exited');
    expect(process?.exit?.error).toBe("Error: Cannot find module 'cors'");
    expect(web).toContain("Error: Cannot find module 'cors'");
    expect(web).toContain('- /var/app/current/server.js');
    expect(web).toContain("code: 'MODULE_NOT_FOUND'");
    expect(web).toContain('Node.js v22.22.2');
  });

  it('does not install devDependencies, so requiring one at run time fails', () => {
    const code = `const morgan = require('morgan');\n${EXPRESS}`;
    const { process } = deploy({ 'package.json': pkg({ devDependencies: { morgan: '^1' } }), 'server.js': code });
    expect(process?.exit?.error).toBe("Error: Cannot find module 'morgan'");
  });

  it('reports a missing package from an ES module with ERR_MODULE_NOT_FOUND', () => {
    const code = "import express from 'express';\nimport helmet from 'helmet';\nconst app = express();\napp.listen(process.env.PORT);\n";
    const { process, web } = deploy({ 'package.json': pkg({ type: 'module' }), 'server.js': code });
    expect(process?.exit?.error).toBe("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'helmet'");
    expect(web).toContain("Cannot find package 'helmet' imported from /var/app/current/server.js");
  });

  it('fails on a missing local file required at start', () => {
    const code = `const db = require('./db');\n${EXPRESS}`;
    const { process } = deploy({ 'package.json': pkg(), 'server.js': code });
    expect(process?.exit?.error).toBe("Error: Cannot find module './db'");
    const ok = deploy({ 'package.json': pkg(), 'server.js': code, 'db.js': "module.exports = { url: process.env.DATABASE_URL || 'sqlite://memory' };" });
    expect(ok.process?.state).toBe('running');
  });

  it('crashes when start-up code throws on a missing environment variable, and runs once it is set', () => {
    const code = `if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required');\n${EXPRESS}`;
    const missing = deploy({ 'package.json': pkg(), 'server.js': code });
    expect(missing.process?.exit?.error).toBe('Error: DATABASE_URL is required');
    expect(missing.web).toContain('Error: DATABASE_URL is required');
    expect(deploy({ 'package.json': pkg(), 'server.js': code }, { DATABASE_URL: 'postgres://x' }).process?.state).toBe('running');
  });

  it('crashes with a TypeError when start-up code uses an unset variable', () => {
    const code = `const origins = process.env.ALLOWED_ORIGINS.split(',');\n${EXPRESS}`;
    expect(deploy({ 'package.json': pkg(), 'server.js': code }).process?.exit?.error).toBe("TypeError: Cannot read properties of undefined (reading 'split')");
  });

  it('ignores environment reads inside handlers and reads with a fallback', () => {
    const code = EXPRESS.replace("res.send('PetTracker is up')", 'res.send(process.env.GREETING.toUpperCase())');
    expect(deploy({ 'package.json': pkg(), 'server.js': code }).process?.state).toBe('running');
  });

  it('mounts Express routers from other files under their prefix', () => {
    const server = "const express = require('express');\nconst pets = require('./routes/pets');\nconst app = express();\napp.use('/api/pets', pets);\napp.listen(process.env.PORT);\n";
    const routes = "const express = require('express');\nconst router = express.Router();\nrouter.get('/', (req, res) => res.json([]));\nrouter.get('/:id', (req, res) => res.json({}));\nmodule.exports = router;\n";
    const { req } = deploy({ 'package.json': pkg(), 'server.js': server, 'routes/pets.js': routes });
    expect(req('/api/pets').body).toBe('[]');
    expect(req('/api/pets/7').body).toBe('{}');
    expect(req('/7').status).toBe(404);
  });

  it('runs an express-generator layout (bin/www without an extension)', () => {
    const www = "#!/usr/bin/env node\nvar app = require('../app');\nvar http = require('http');\nvar port = normalizePort(process.env.PORT || '3000');\napp.set('port', port);\nvar server = http.createServer(app);\nserver.listen(port);\nfunction normalizePort(val) { return parseInt(val, 10); }\n";
    const app = "var express = require('express');\nvar app = express();\napp.get('/', function (req, res) { res.send('index'); });\nmodule.exports = app;\n";
    const { process, req } = deploy({ 'package.json': pkg({ scripts: { start: 'node ./bin/www' } }), 'bin/www': www, 'app.js': app });
    expect(process?.state).toBe('running');
    expect(process?.listenPort).toBe(8080);
    expect(req('/').body).toBe('index');
    expect(req('/nope').status).toBe(404);
  });

  it('fails with SyntaxError: Unexpected end of input when a brace is never closed', () => {
    const broken = EXPRESS.replace("app.get('/health', (req, res) => res.json({ status: 'ok' }));", "app.get('/health', (req, res) => {\n  res.json({ status: 'ok' });\n");
    const { process, web } = deploy({ 'package.json': pkg(), 'server.js': broken });
    expect(process?.exit?.error).toBe('SyntaxError: Unexpected end of input');
    expect(web).toContain('SyntaxError: Unexpected end of input');
    // Brackets inside strings, comments and regex literals do not count.
    const fine = `// (unbalanced in a comment\nconst re = /[(]/;\nconst s = '{';\n${EXPRESS}`;
    expect(deploy({ 'package.json': pkg(), 'server.js': fine }).process?.state).toBe('running');
  });

  it('answers every path for a plain http server', () => {
    const code = "const http = require('http');\nhttp.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('hi'); }).listen(process.env.PORT || 8080);\n";
    const { req } = deploy({ 'app.js': code });
    expect(req('/any/path').status).toBe(200);
    expect(req('/any/path').body).toBe('hi');
  });

  it('reads `if (req.url === ...)` branches of a plain http server as routes', () => {
    const code = [
      "const http = require('http');",
      'const port = process.env.PORT || 8080;',
      'http.createServer((req, res) => {',
      "  if (req.url === '/health') {",
      "    res.writeHead(200, { 'content-type': 'application/json' });",
      "    res.end(JSON.stringify({ status: 'ok' }));",
      '    return;',
      '  }',
      "  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });",
      "  res.end('<h1>PetTracker</h1>');",
      '}).listen(port);',
    ].join('\n');
    const { req } = deploy({ 'server.js': code });
    expect(req('/health').body).toBe('{"status":"ok"}');
    expect(req('/health').headers['content-type']).toBe('application/json');
    expect(req('/').body).toBe('<h1>PetTracker</h1>');
    expect(req('/elsewhere').headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('uses app.js, then server.js without package.json, and EB’s event when neither exists', () => {
    const plain = "require('http').createServer((q, s) => s.end('x')).listen(process.env.PORT);\n";
    expect(deploy({ 'server.js': plain }).process?.command).toBe('node server.js');
    const none = deploy({ 'index.js': plain });
    expect(none.result.ok).toBe(false);
    expect(none.result.events).toContainEqual({
      severity: 'ERROR',
      message: "Instance deployment failed to generate a 'Procfile' for Node.js. Provide one of these files: 'package.json', 'server.js', or 'app.js'. The deployment failed.",
    });
  });

  it('runs npm’s default `node server.js` without a start script, and fails with "Missing script" otherwise', () => {
    const noStart = JSON.stringify({ name: 'p', version: '1.0.0', dependencies: { express: '4' } });
    expect(deploy({ 'package.json': noStart, 'server.js': EXPRESS }).process?.state).toBe('running');
    const r = deploy({ 'package.json': noStart, 'index.js': EXPRESS });
    expect(r.process?.exit?.error).toBe('npm error Missing script: "start"');
  });

  it('fails the deployment when package.json is not valid JSON', () => {
    const r = deploy({ 'package.json': '{ "name": "x", }', 'server.js': EXPRESS });
    expect(r.result.ok).toBe(false);
    expect(r.result.events).toContainEqual({
      severity: 'ERROR',
      message: "Instance deployment: 'npm' failed to install dependencies that you defined in 'package.json'. For details, see 'eb-engine.log'. The deployment failed.",
    });
  });

  it('fails with Node’s text when the Procfile names a file that does not exist', () => {
    const r = deploy({ 'package.json': pkg(), 'server.js': EXPRESS, Procfile: 'web: node index.js\n' });
    expect(r.process?.exit?.error).toBe("Error: Cannot find module '/var/app/current/index.js'");
  });

  it('refuses bodies over client_max_body_size with 413, and honours a .platform/nginx override', () => {
    const big = 'x'.repeat(2 * 1024 * 1024);
    const dflt = deploy({ 'package.json': pkg(), 'server.js': EXPRESS });
    const r = dflt.req('/pets', 'POST', big);
    expect(r.status).toBe(413);
    expect(r.body).toContain('413 Request Entity Too Large');
    expect(r.logs.find((l) => l.file === LOG_FILES.nginxError)?.text).toContain('client intended to send too large body: 2097152 bytes');
    const raised = deploy({ 'package.json': pkg(), 'server.js': EXPRESS, '.platform/nginx/conf.d/size.conf': 'client_max_body_size 10M;\n' });
    expect(raised.req('/pets', 'POST', big).status).toBe(201);
  });
});
