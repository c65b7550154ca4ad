// Test helper: a lab shell over an in-memory workspace and an in-process sandbox cloud on a stepped clock,
// optionally with a Node.js app already running in an environment (made with the real `eb`).
import { InMemoryFs } from 'just-bash';
import { DescribeEnvironmentsCommand } from '@aws-sdk/client-elastic-beanstalk';
import { createCloud, ManualClock } from '../../cloud/index.ts';
import { clientsForCloud } from '../../aws/index.ts';
import { createLabShell } from '../index.ts';

export const APP = '/home/learner/lab';

export const NODE_APP: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'pettracker-web', scripts: { start: 'node server.js' }, dependencies: { express: '^4.19.2' } }, null, 2) + '\n',
  'server.js': [
    "const express = require('express');",
    'const app = express();',
    "app.get('/', (req, res) => res.send('PetTracker'));",
    "app.get('/health', (req, res) => res.send('ok'));",
    "app.post('/pets', (req, res) => res.status(201).send('created'));",
    'app.listen(process.env.PORT || 8080);',
    '',
  ].join('\n'),
};

export async function labShell(files: Record<string, string> = NODE_APP) {
  const fs = new InMemoryFs();
  for (const [name, text] of Object.entries(files)) {
    const path = `${APP}/${name}`;
    await fs.mkdir(path.slice(0, path.lastIndexOf('/')), { recursive: true });
    await fs.writeFile(path, text);
  }
  const cloud = createCloud({ clock: new ManualClock(), log: () => {} });
  const clients = clientsForCloud(cloud, { region: 'us-east-1' });
  const shell = createLabShell({ fs, clients, cwd: APP });
  return { fs, cloud, clients, shell };
}

/** A lab whose app runs in environment `pettracker-web-staging`; returns its CNAME too. */
export async function labWithEnvironment() {
  const lab = await labShell();
  const init = await lab.shell.exec('eb init pettracker-web --platform node.js --region us-east-1');
  const create = await lab.shell.exec('eb create pettracker-web-staging');
  if (create.exitCode !== 0) throw new Error(`eb create failed: ${init.stderr}${create.stderr}`);
  const described = await lab.clients.eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ['pettracker-web-staging'] }));
  const cname = described.Environments?.[0]?.CNAME;
  if (!cname) throw new Error('the environment has no CNAME');
  return { ...lab, cname };
}
