/**
 * Which workgroup and database a deployed stage's queries run in: the stage's `Pulumi.<stage>.yaml`
 * gives its region and name prefix, config/naming.ts turns them into names, exactly as the stack did
 * when it created them.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { stageNames } from '../config/naming';
import { PROJECT, STAGE_CONFIG_KEYS, parseStageConfig } from '../config/stage-config';
import type { AthenaTarget } from './athena-runner';

export const PROJECT_ROOT = join(__dirname, '..');

function knownStages(root: string): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stage): stage is string => stage !== undefined)
    .sort();
}

/** Reads `Pulumi.<stage>.yaml` under `root` and derives the stage's Athena workgroup, database and region. */
export function stageTarget(stage: string, root: string = PROJECT_ROOT): AthenaTarget {
  const file = join(root, `Pulumi.${stage}.yaml`);
  if (!/^[a-z][a-z0-9-]*$/.test(stage) || !existsSync(file)) {
    const stages = knownStages(root);
    throw new Error(`no stage "${stage}": ${file} does not exist; known stages: ${stages.length > 0 ? stages.join(', ') : 'none'}`);
  }
  const document: unknown = parse(readFileSync(file, 'utf8'));
  const config = (document as { config?: Record<string, unknown> } | null)?.config ?? {};
  const raw: Record<string, unknown> = { stage, region: config['aws:region'] };
  for (const key of STAGE_CONFIG_KEYS) {
    const value = config[`${PROJECT}:${key}`];
    if (value !== undefined) raw[key] = value;
  }
  const settings = parseStageConfig(raw);
  const names = stageNames(settings);
  return { workgroup: names.workgroup, database: names.database, region: settings.region };
}
