import { describe, expect, it } from 'vitest';
import { exitKindOf } from '@retail-forecast/util';
import { LauncherConfigError, parseLauncherConfig } from '../src/index';

const valid = {
  LAUNCH_TEMPLATE_ID: 'lt-0abc1234def567890',
  INSTANCE_TYPES: 't4g.small, t4g.medium',
  SUBNET_IDS: 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2',
};

describe('parseLauncherConfig', () => {
  it('parses lists and applies defaults', () => {
    expect(parseLauncherConfig(valid)).toEqual({
      launchTemplateId: 'lt-0abc1234def567890',
      launchTemplateVersion: '$Latest',
      instanceTypes: ['t4g.small', 't4g.medium'],
      subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      jobName: 'demand-forecast',
      maxRunMinutes: 60,
      metricsService: 'demand-forecast',
    });
  });

  it('reads the maximum run time and the metrics service', () => {
    const config = parseLauncherConfig({
      ...valid,
      MAX_RUN_MINUTES: '45',
      METRICS_SERVICE: 'nightly-eu',
    });
    expect(config.maxRunMinutes).toBe(45);
    expect(config.metricsService).toBe('nightly-eu');
    expect(() => parseLauncherConfig({ ...valid, MAX_RUN_MINUTES: '2' })).toThrow(
      'MAX_RUN_MINUTES 2 is below 5 (expected 5-720)',
    );
    expect(() => parseLauncherConfig({ ...valid, MAX_RUN_MINUTES: 'an hour' })).toThrow(
      'MAX_RUN_MINUTES "an hour" is not a whole number of minutes (expected 5-720)',
    );
  });

  it('keeps an explicit version and job name', () => {
    const config = parseLauncherConfig({
      ...valid,
      LAUNCH_TEMPLATE_VERSION: '7',
      JOB_NAME: 'nightly',
    });
    expect(config.launchTemplateVersion).toBe('7');
    expect(config.jobName).toBe('nightly');
  });

  it('names every missing variable', () => {
    const err = (() => {
      try {
        parseLauncherConfig({ INSTANCE_TYPES: '' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(LauncherConfigError);
    expect(exitKindOf(err)).toBe('config');
    const issues = (err as LauncherConfigError).issues;
    expect(issues).toHaveLength(3);
    expect(issues.join('\n')).toMatch(/LAUNCH_TEMPLATE_ID is missing/);
    expect(issues.join('\n')).toMatch(/INSTANCE_TYPES is missing/);
    expect(issues.join('\n')).toMatch(/SUBNET_IDS is missing/);
  });

  it('names a malformed value and what was allowed', () => {
    expect(() => parseLauncherConfig({ ...valid, LAUNCH_TEMPLATE_ID: 'my-template' })).toThrow(
      'LAUNCH_TEMPLATE_ID "my-template" is not a launch template id',
    );
    expect(() => parseLauncherConfig({ ...valid, LAUNCH_TEMPLATE_VERSION: 'latest' })).toThrow(
      'LAUNCH_TEMPLATE_VERSION "latest" is not valid (expected a version number, "$Latest" or "$Default")',
    );
    expect(() =>
      parseLauncherConfig({ ...valid, SUBNET_IDS: 'subnet-0aaaaaaaaaaaaaaa1,sn-2' }),
    ).toThrow('SUBNET_IDS entry "sn-2" is not valid');
  });

  it('rejects a list with only separators', () => {
    expect(() => parseLauncherConfig({ ...valid, INSTANCE_TYPES: ' , ' })).toThrow(
      'INSTANCE_TYPES is empty',
    );
  });
});
