import * as aws from '@pulumi/aws';
import { PROJECT, type StageConfig } from '../config/stage-config';

/**
 * The one AWS provider of a stage: its region, and default tags that put `project` and `stage` on
 * every taggable resource, so cost reports and clean-ups can find a stage's resources.
 */
export function stageProvider(config: Pick<StageConfig, 'stage' | 'region'>): aws.Provider {
  return new aws.Provider('aws', {
    region: config.region,
    defaultTags: { tags: { project: PROJECT, stage: config.stage } },
  });
}
