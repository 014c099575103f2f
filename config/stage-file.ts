import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT, STAGE_CONFIG_KEYS, parseStageConfig, type StageConfig } from './stage-config';

export const PROJECT_ROOT = join(__dirname, '..');

/** The stages that have a `Pulumi.<stage>.yaml` under `root`. */
export function knownStages(root: string = PROJECT_ROOT): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.([a-z][a-z0-9-]*)\.yaml$/.exec(file)?.[1])
    .filter((stage): stage is string => stage !== undefined)
    .sort();
}

/**
 * Reads `Pulumi.<stage>.yaml` as `pulumi` would hand it to the program (stack name = stage), for
 * everything that needs a stage's settings without the CLI: the plan, the query runner and the tests.
 */
export function readStageFile(stage: string, root: string = PROJECT_ROOT): StageConfig {
  const path = join(root, `Pulumi.${stage}.yaml`);
  if (!/^[a-z][a-z0-9-]*$/.test(stage) || !existsSync(path)) {
    const stages = knownStages(root);
    throw new Error(
      `no stage "${stage}": ${path} does not exist; known stages: ${stages.length > 0 ? stages.join(', ') : 'none'} (create one with "pulumi stack init <stage>")`,
    );
  }
  const document = parseYaml(readFileSync(path, 'utf8')) as { config?: Record<string, unknown> } | null;
  const config = document?.config ?? {};
  const raw: Record<string, unknown> = { stage, region: config['aws:region'] };
  for (const key of STAGE_CONFIG_KEYS) {
    const value = config[`${PROJECT}:${key}`];
    if (value !== undefined) raw[key] = value;
  }
  return parseStageConfig(raw);
}
