import type { StageConfig } from '../../config/stage-config';
import type { Ec2Settings } from '../../generator/ec2-settings';

/** Where the stage keeps the generator's settings in SSM Parameter Store. */
export function settingsParameterName(stem: string): string {
  return `/${stem}/generator/settings`;
}

/**
 * The generator's settings for this stage: its stage config section, minus what only the
 * infrastructure uses, plus where to write. The bucket's default encryption applies to every put,
 * so no encryption header is needed.
 */
export function generatorSettings(config: Pick<StageConfig, 'generator' | 'region'>, rawBucket: string): Ec2Settings {
  const generator = config.generator;
  return {
    bucket: rawBucket,
    region: config.region,
    runMode: generator.runMode,
    eventsPerSecond: generator.eventsPerSecond,
    ...(generator.runMode === 'once' ? { totalEvents: generator.totalEvents } : {}),
    users: generator.users,
    ...(generator.seed !== undefined ? { seed: generator.seed } : {}),
    eventsPerFile: generator.eventsPerFile,
  };
}
