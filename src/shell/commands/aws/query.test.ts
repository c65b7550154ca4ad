import { describe, it, expect } from 'vitest';
import { compileQuery, QueryError } from './query.ts';
import { CliDouble } from './render.ts';

const data = {
  Environments: [
    { EnvironmentName: 'staging', Status: 'Ready', Health: 'Green', CNAME: 'staging.example', Tags: [{ Key: 'team', Value: 'web' }], Count: 2 },
    { EnvironmentName: 'prod', Status: 'Updating', Health: 'Grey', CNAME: 'prod.example', Tags: [], Count: 5 },
    { EnvironmentName: 'old', Status: 'Terminated', Health: 'Grey', Count: 1 },
  ],
  Account: '000000000000',
};

const q = (expr: string) => compileQuery(expr)(data);

describe('--query (JMESPath subset)', () => {
  it('keeps doubles as floats through comparisons and arithmetic', () => {
    const stats = { Datapoints: [{ Sum: new CliDouble(8) }, { Sum: new CliDouble(2.5) }] };
    const run = (expr: string) => compileQuery(expr)(stats);
    expect(String(run('max(Datapoints[].Sum)'))).toBe('8.0');
    expect(String(run('sum(Datapoints[].Sum)'))).toBe('10.5');
    expect(String(run('min(Datapoints[].Sum)'))).toBe('2.5');
    expect(run('Datapoints[?Sum > `3`] | length(@)')).toBe(1);
    expect(run('Datapoints[?Sum == `8`] | length(@)')).toBe(1);
  });

  it('selects fields, indexes and slices', () => {
    expect(q('Account')).toBe('000000000000');
    expect(q('Environments[0].Status')).toBe('Ready');
    expect(q('Environments[-1].EnvironmentName')).toBe('old');
    expect(q('Environments[5]')).toBeNull();
    expect(q('Environments[:2].EnvironmentName')).toEqual(['staging', 'prod']);
  });

  it('projects lists with [*] and [] and builds multiselects', () => {
    expect(q('Environments[*].EnvironmentName')).toEqual(['staging', 'prod', 'old']);
    expect(q('Environments[].[EnvironmentName,Status]')).toEqual([
      ['staging', 'Ready'],
      ['prod', 'Updating'],
      ['old', 'Terminated'],
    ]);
    expect(q('Environments[*].{Name: EnvironmentName, Url: CNAME}')).toEqual([
      { Name: 'staging', Url: 'staging.example' },
      { Name: 'prod', Url: 'prod.example' },
      { Name: 'old', Url: null },
    ]);
    expect(q('Environments[].Tags[].Key')).toEqual(['team']);
  });

  it('filters, pipes and compares', () => {
    expect(q("Environments[?Status=='Ready'].CNAME | [0]")).toBe('staging.example');
    expect(q("Environments[?Status!='Terminated' && Health=='Grey'].EnvironmentName")).toEqual(['prod']);
    expect(q('Environments[?Count > `1`].EnvironmentName')).toEqual(['staging', 'prod']);
    expect(q("Environments[?!(Status=='Ready')] | length(@)")).toBe(2);
  });

  it('calls the common functions', () => {
    expect(q('length(Environments)')).toBe(3);
    expect(q('sort_by(Environments, &Count)[].EnvironmentName')).toEqual(['old', 'staging', 'prod']);
    expect(q('max_by(Environments, &Count).EnvironmentName')).toBe('prod');
    expect(q("join(', ', Environments[].EnvironmentName)")).toBe('staging, prod, old');
    expect(q("contains(Environments[].Status, 'Ready')")).toBe(true);
    expect(q('max(Environments[].Count)')).toBe(5);
    expect(q('min(Environments[].EnvironmentName)')).toBe('old');
    expect(q('sum(Environments[].Count)')).toBe(8);
    expect(String(q('avg(Environments[].Count)'))).toBe('2.6666666666666665');
    expect(q('reverse(Environments[].Count)')).toEqual([1, 5, 2]);
    expect(q('not_null(Missing, Account)')).toBe('000000000000');
    expect(q('type(Account)')).toBe('string');
    expect(() => q('sum(Environments[].EnvironmentName)')).toThrow(/array of numbers/);
  });

  it('reports mistakes with their position', () => {
    expect(() => compileQuery('Environments[?Status==')).toThrow(QueryError);
    expect(() => compileQuery('Environments[0')).toThrow(/position/);
    expect(() => compileQuery("nope('x')")({})).toThrow(/Unknown function: nope/);
  });
});
