import * as pulumi from '@pulumi/pulumi';
import { PROJECT, STAGE_CONFIG_KEYS, parseStageConfig, type StageConfig } from './stage-config';

/** Reads the current stack's config (`Pulumi.<stage>.yaml`) and validates it. */
export function readStageConfig(): StageConfig {
  const project = new pulumi.Config(PROJECT);
  const raw: Record<string, unknown> = {
    stage: pulumi.getStack(),
    region: new pulumi.Config('aws').get('region'),
  };
  for (const key of STAGE_CONFIG_KEYS) {
    const value = key === 'namePrefix' ? project.get(key) : project.getObject<unknown>(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseStageConfig(raw);
}
