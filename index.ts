import './cli/supported-node';
import { createStack } from './components/stack';
import { readStageConfig } from './config/pulumi-stage';

// `pulumi up` for the current stack: its config (Pulumi.<stage>.yaml), validated, composed into the
// stage's components. The stack looks up where it deploys before it declares anything, so the
// program is an async function; Pulumi exports what it returns (`pulumi stack output`): bucket
// names, database, workgroup, named query ids, Glue job, generator instance, dashboard URL.
export = async () => createStack(readStageConfig());
