import { describe, it, expect } from 'vitest';
import { evaluate, parseWorkflow, triggeredBy, WorkflowError } from './workflow.ts';

const DEPLOY = `name: Deploy
on:
  push:
    branches: [main]
permissions:
  id-token: write
  contents: read
env:
  APP: pettracker-ml
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: bash tests/run.sh
  production:
    needs: [test]
    runs-on: ubuntu-latest
    environment:
      name: production
      url: https://example.com
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::123456789012:role/deploy
          aws-region: us-east-1
      - name: Deploy
        run: eb deploy --label "ml-\${{ github.sha }}"
        env:
          KEY: \${{ secrets.KEY }}
`;

function errorOf(text: string): WorkflowError {
  try {
    parseWorkflow('.github/workflows/deploy.yml', text);
  } catch (error) {
    if (error instanceof WorkflowError) return error;
    throw error;
  }
  throw new Error('expected a WorkflowError');
}

describe('parseWorkflow', () => {
  it('reads triggers, jobs, needs, environments and steps', () => {
    const workflow = parseWorkflow('.github/workflows/deploy.yml', DEPLOY);
    expect(workflow.name).toBe('Deploy');
    expect(workflow.branches).toEqual(['main']);
    expect(workflow.env).toEqual({ APP: 'pettracker-ml' });
    expect(workflow.jobs.map((j) => [j.id, j.needs, j.environment])).toEqual([
      ['test', [], undefined],
      ['production', ['test'], 'production'],
    ]);
    expect(workflow.jobs[0].steps.map((s) => s.uses ?? s.run)).toEqual(['checkout', 'bash tests/run.sh']);
    expect(workflow.jobs[1].steps[0].with['aws-region']).toBe('us-east-1');
    expect(workflow.jobs[1].steps[1]).toMatchObject({ name: 'Deploy', line: 27, env: { KEY: '${{ secrets.KEY }}' } });
  });

  it('names the file, line and key of anything outside the subset', () => {
    const unknownKey = errorOf(DEPLOY.replace('    runs-on: ubuntu-latest\n    steps:', '    runs-on: ubuntu-latest\n    strategy: {}\n    steps:'));
    expect(unknownKey.message).toMatch(/^\.github\/workflows\/deploy\.yml:13: jobs\.test\.strategy: not supported in a job here/);
    const action = errorOf(DEPLOY.replace('actions/checkout@v4', 'actions/setup-python@v5'));
    expect(action.message).toContain('deploy.yml:14: jobs.test.steps[0].uses: actions/setup-python@v5 is not available');
    const expression = errorOf(DEPLOY.replace('github.sha', 'github.event.head_commit.id'));
    expect(expression.message).toContain('deploy.yml:28: jobs.production.steps[1].run: the expression ${{ github.event.head_commit.id }} is not supported');
    expect(errorOf(DEPLOY.replace('needs: [test]', 'needs: [tests]')).message).toContain("jobs.production.needs: no job named 'tests'");
    expect(errorOf(DEPLOY.replace(/on:\n  push:\n    branches: \[main\]/, 'on: schedule')).message).toContain('on: only push triggers workflows here');
    expect(errorOf('on: push\njobs:\n  a:\n    needs: b\n    steps: [{run: x}]\n  b:\n    needs: a\n    steps: [{run: x}]\n').message).toContain('cycle');
    expect(errorOf('on: push\njobs:\n  a:\n    steps:\n      - name: nothing\n').message).toContain('jobs.a.steps[0]: a step needs run:');
    expect(errorOf('on: push\njobs:\n\ta: 1\n').key).toBe('(yaml)');
    expect(errorOf(DEPLOY.replace('actions/checkout@v4', 'actions/checkout@v2')).message).toContain('pin actions/checkout to a major version the lab runner knows: @v3, @v4, @v5 or @v6');
    expect(errorOf('on: push\npermissions: everything\njobs:\n  a:\n    steps: [{run: x}]\n').message).toContain('permissions: "everything" is not a permissions value: use read-all, write-all');
    expect(errorOf('on: push\njobs:\n  a:\n    permissions:\n      id-token: admin\n    steps: [{run: x}]\n').message).toContain('jobs.a.permissions.id-token: "admin" is not a permission level: use read, write or none');
  });

  it('reads permissions at both levels and newer majors of the built-in actions', () => {
    const source = 'on: push\npermissions: read-all\njobs:\n  a:\n    permissions:\n      id-token: write\n    steps:\n      - uses: actions/checkout@v6\n      - uses: aws-actions/configure-aws-credentials@v5\n        with: {aws-region: us-east-1}\n';
    const workflow = parseWorkflow('.github/workflows/cd.yml', source);
    expect(workflow.permissions).toBe('read-all');
    expect(workflow.jobs[0].permissions).toEqual({ 'id-token': 'write' });
    expect(workflow.jobs[0].steps.map((step) => step.usesText)).toEqual(['actions/checkout@v6', 'aws-actions/configure-aws-credentials@v5']);
  });

  it('matches branches and evaluates expressions', () => {
    const workflow = parseWorkflow('w.yml', 'on:\n  push:\n    branches: [main, "release/**"]\njobs:\n  a:\n    steps: [{run: x}]\n');
    expect([triggeredBy(workflow, 'main'), triggeredBy(workflow, 'release/1/2'), triggeredBy(workflow, 'feature')]).toEqual([true, true, false]);
    expect(evaluate('${{ github.sha }}-${{ secrets.MISSING }}-${{env.A}}', { secrets: {}, env: { A: 'a' }, vars: {}, github: { sha: 'abc' } })).toBe('abc--a');
  });
});
