/**
 * Which workgroup and database a deployed stage's queries run in: the stage's `Pulumi.<stage>.yaml`
 * gives its region and name prefix, config/naming.ts turns them into names, exactly as the stack did
 * when it created them.
 */
import { stageNames } from '../config/naming';
import { PROJECT_ROOT, readStageFile } from '../config/stage-file';
import type { AthenaTarget } from './athena-runner';

/** Reads `Pulumi.<stage>.yaml` under `root` and derives the stage's Athena workgroup, database and region. */
export function stageTarget(stage: string, root: string = PROJECT_ROOT): AthenaTarget {
  const settings = readStageFile(stage, root);
  const names = stageNames(settings);
  return { workgroup: names.workgroup, database: names.database, region: settings.region };
}
