import { describe, expect, it } from 'vitest';
import { AwsError } from '../../protocol/errors.ts';
import {
  allPlatformVersions,
  findBranch,
  findByArn,
  findByShortName,
  findBySolutionStack,
  PLATFORM_BRANCHES,
  PLATFORM_CATALOGUE_DATE,
  resolvePlatform,
  unknownPlatformMessage,
} from './platforms.ts';

describe('platform catalogue', () => {
  it('lists the current AL2023 branches with names in EB’s formats', () => {
    const names = PLATFORM_BRANCHES.map((b) => b.branchName);
    for (const runtime of ['Node.js 20', 'Node.js 22', 'Node.js 24', 'Python 3.11', 'Python 3.12', 'Python 3.13', 'Docker']) {
      expect(names).toContain(`${runtime} running on 64bit Amazon Linux 2023`);
    }
    expect(PLATFORM_CATALOGUE_DATE).toBe('2026-03-31');
    const node22 = findBranch('Node.js 22 running on 64bit Amazon Linux 2023')!;
    expect(node22.defaultProxyPort).toBe(8080);
    expect(node22.platformName).toBe('Node.js');
    expect(findBranch('Python 3.13 running on 64bit Amazon Linux 2023')!.defaultProxyPort).toBe(8000);
    expect(findBranch('Go 1 running on 64bit Amazon Linux 2023')!.defaultProxyPort).toBe(5000);
  });

  it('resolves a solution stack to its version and ARN in the caller’s region', () => {
    const v = findBySolutionStack('64bit Amazon Linux 2023 v6.10.0 running Node.js 22', 'eu-west-1')!;
    expect(v.branch.branchName).toBe('Node.js 22 running on 64bit Amazon Linux 2023');
    expect(v.platformArn).toBe('arn:aws:elasticbeanstalk:eu-west-1::platform/Node.js 22 running on 64bit Amazon Linux 2023/6.10.0');
    expect(v.recommended).toBe(true);
    expect(v.runtimeVersion).toBe('22.22.2');
    // Any v* of a known runtime is accepted: patch versions move every few weeks.
    expect(findBySolutionStack('64bit Amazon Linux 2023 v6.11.3 running Node.js 22')?.version).toBe('6.11.3');
    expect(findBySolutionStack('64bit Amazon Linux 2023 v6.10.0 running Node.js 19')).toBeUndefined();
    expect(findBySolutionStack('64bit Amazon Linux 2 v5.8.0 running Node.js 18')).toBeUndefined();
  });

  it('round-trips ARNs', () => {
    for (const v of allPlatformVersions('us-west-2')) expect(findByArn(v.platformArn)?.solutionStackName).toBe(v.solutionStackName);
    expect(findByArn('arn:aws:elasticbeanstalk:us-east-1::platform/Perl 5 running on 64bit Amazon Linux 2023/1.0.0')).toBeUndefined();
  });

  it('resolves the EB CLI’s short names to the latest version of a branch', () => {
    expect(findByShortName('node.js')?.branch.runtime).toBe('Node.js 24');
    expect(findByShortName('node.js-22')?.branch.runtime).toBe('Node.js 22');
    expect(findByShortName('python-3.13')?.branch.runtime).toBe('Python 3.13');
    expect(findByShortName('Python 3.12')?.branch.runtime).toBe('Python 3.12');
    expect(findByShortName('docker')?.solutionStackName).toBe('64bit Amazon Linux 2023 v4.9.1 running Docker');
    expect(findByShortName('Node.js 20 running on 64bit Amazon Linux 2023')?.branch.runtime).toBe('Node.js 20');
    expect(findByShortName('cobol')).toBeUndefined();
    expect(unknownPlatformMessage('cobol')).toBe('Platform "cobol" does not appear to be valid');
  });

  it('refuses an unknown solution stack or ARN with EB’s errors', () => {
    const err = (spec: Parameters<typeof resolvePlatform>[0]) => {
      try {
        resolvePlatform(spec);
      } catch (e) {
        return e as AwsError;
      }
      throw new Error('expected an error');
    };
    const stack = err({ SolutionStackName: '64bit Amazon Linux 2023 v6.10.0 running Node.js 19' });
    expect(stack).toBeInstanceOf(AwsError);
    expect([stack.code, stack.message]).toEqual(['InvalidParameterValue', "No Solution Stack named '64bit Amazon Linux 2023 v6.10.0 running Node.js 19' found."]);
    expect(err({ PlatformArn: 'arn:nope' }).message).toBe("No Platform named 'arn:nope' found.");
    expect(err({ SolutionStackName: 'a', PlatformArn: 'b' }).code).toBe('InvalidParameterCombination');
    expect(resolvePlatform({ SolutionStackName: '64bit Amazon Linux 2023 v4.9.1 running Python 3.13' }).branch.language).toBe('python');
  });
});
