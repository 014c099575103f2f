import './cli/supported-node';
import { createStack } from './components/stack';
import { readStageConfig } from './config/pulumi-stage';

// `pulumi up` for the current stack: its config (Pulumi.<stage>.yaml), validated, composed into the
// stage's components. What a user needs afterwards is exported below (`pulumi stack output`).
const stage = createStack(readStageConfig());

export const rawBucket = stage.rawBucket;
export const processedBucket = stage.processedBucket;
export const resultsBucket = stage.resultsBucket;
export const athenaResultsBucket = stage.athenaResultsBucket;
export const database = stage.database;
export const workgroup = stage.workgroup;
export const namedQueryIds = stage.namedQueryIds;
export const glueJobName = stage.glueJobName;
export const generatorInstanceId = stage.generatorInstanceId;
export const dashboardUrl = stage.dashboardUrl;
export const queryHint = stage.queryHint;
