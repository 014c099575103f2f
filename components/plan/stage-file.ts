import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT, parseStageConfig, type StageConfig } from '../../config/stage-config';

export const PROJECT_ROOT = join(__dirname, '..', '..');

/**
 * Reads `Pulumi.<stage>.yaml` as `pulumi` would hand it to the program (stack name = stage), for
 * running the stack without the CLI: the plan and the tests.
 */
export function readStageFile(stage: string, root: string = PROJECT_ROOT): StageConfig {
  const path = join(root, `Pulumi.${stage}.yaml`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`no stage file ${path}; stages are the Pulumi.<stage>.yaml files next to Pulumi.yaml (create one with "pulumi stack init ${stage}")`);
  }
  const document = parseYaml(text) as { config?: Record<string, unknown> } | null;
  const config = document?.config ?? {};
  const raw: Record<string, unknown> = { stage, region: config['aws:region'] };
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith(`${PROJECT}:`)) raw[key.slice(PROJECT.length + 1)] = value;
  }
  return parseStageConfig(raw);
}
