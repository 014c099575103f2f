import * as aws from '@pulumi/aws';
import { PROJECT, type StageConfig } from '../config/stage-config';

/**
 * The tags every provider of a stage puts on every taggable resource, so cost reports and clean-ups
 * can find a stage's resources.
 */
export function stageDefaultTags(stage: string): { tags: Record<string, string> } {
  return { tags: { project: PROJECT, stage } };
}

/** The one AWS provider of a stage: its region, and the stage's default tags. */
export function stageProvider(config: Pick<StageConfig, 'stage' | 'region'>): aws.Provider {
  return new aws.Provider('aws', {
    region: config.region,
    defaultTags: stageDefaultTags(config.stage),
  });
}
