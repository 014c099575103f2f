import { databaseName } from '../model/tables';
import type { StageConfig } from './stage-config';

/**
 * Naming rules for a stage's resources. The query runner finds a deployed stage's workgroup and
 * database by these same rules, so they live here and nowhere else.
 */
export interface StageNames {
  /** `<prefix>-<stage>`: the stem of every resource name. */
  readonly stem: string;
  readonly database: string;
  readonly workgroup: string;
  resource(role: string): string;
}

export function stageNames(config: Pick<StageConfig, 'namePrefix' | 'stage'>): StageNames {
  const stem = `${config.namePrefix}-${config.stage}`;
  return {
    stem,
    database: databaseName(config.stage),
    workgroup: `${stem}-analytics`,
    resource: (role: string) => `${stem}-${role}`,
  };
}
