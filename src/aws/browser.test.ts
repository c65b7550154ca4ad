// The in-process cloud and its SDK clients in a real browser: bundled for the browser platform (so a
// node: import would fail the build) and run in headless Chromium. Skipped when Chromium is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!existsSync(CHROMIUM)) console.log(`Skipping the browser test: ${CHROMIUM} is not installed.`);

const ENTRY = `
import { createCloud, ManualClock } from './src/cloud/index.ts';
import { clientsForCloud } from './src/aws/index.ts';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { CreateApplicationCommand, DescribeApplicationsCommand } from '@aws-sdk/client-elastic-beanstalk';
window.run = async () => {
  const cloud = createCloud({ clock: new ManualClock(), log: (m) => console.error(m) });
  const aws = clientsForCloud(cloud);
  const me = await aws.sts.send(new GetCallerIdentityCommand({}));
  await aws.s3.send(new CreateBucketCommand({ Bucket: 'browser-bucket' }));
  const put = await aws.s3.send(new PutObjectCommand({ Bucket: 'browser-bucket', Key: 'app/a b.txt', Body: new TextEncoder().encode('hello from the page') }));
  const got = await aws.s3.send(new GetObjectCommand({ Bucket: 'browser-bucket', Key: 'app/a b.txt' }));
  const blob = new Blob(['streamed from the page']);
  await aws.s3.send(new PutObjectCommand({ Bucket: 'browser-bucket', Key: 'stream.txt', Body: blob.stream(), ContentLength: blob.size }));
  const streamed = await (await aws.s3.send(new GetObjectCommand({ Bucket: 'browser-bucket', Key: 'stream.txt' }))).Body.transformToString();
  const text = await got.Body.transformToString();
  const list = await aws.s3.send(new ListObjectsV2Command({ Bucket: 'browser-bucket' }));
  await aws.eb.send(new CreateApplicationCommand({ ApplicationName: 'pettracker' }));
  const apps = await aws.eb.send(new DescribeApplicationsCommand({}));
  const before = aws.now();
  await aws.sleep(60000);
  return { account: me.Account, etag: put.ETag, text, streamed, keys: list.Contents.map((c) => c.Key), apps: apps.Applications.map((a) => a.ApplicationName), slept: aws.now() - before };
};
`;

describe.skipIf(!existsSync(CHROMIUM))('in a browser', () => {
  let server: Server;
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: root, loader: 'ts', sourcefile: 'browser-entry.ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0].contents;
    server = createServer((req, res) => {
      if (req.url === '/bundle.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(script);
      } else if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<!doctype html><title>sandbox</title><script type="module" src="/bundle.js"></script>');
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('runs STS, S3 (bytes and a stream body) and EB calls against the in-process cloud, with the clock-following sleep', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as unknown as { run?: unknown }).run === 'function');
    const result = await page.evaluate(() => (window as unknown as { run: () => Promise<unknown> }).run());
    expect(errors).toEqual([]);
    expect(result).toEqual({
      account: '000000000000',
      etag: '"c993e7da0e8d5ae1488413591e2539dc"',
      text: 'hello from the page',
      streamed: 'streamed from the page',
      keys: ['app/a b.txt', 'stream.txt'],
      apps: ['pettracker'],
      slept: 60000,
    });
  });
});
