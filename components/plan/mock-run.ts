import * as pulumi from '@pulumi/pulumi';
import { PROJECT, type StageConfig } from '../../config/stage-config';
import { createStack, type StackOptions, type StackOutputs } from '../stack';

/**
 * Runs the stack program in-process under Pulumi's mocks (no CLI, no cloud) and records every
 * resource it registers with its inputs and options. Tests assert on the record; `npm run plan`
 * renders it as a reviewable inventory.
 */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** `true` for component resources. */
  readonly component: boolean;
  readonly inputs: Readonly<Record<string, unknown>>;
  /** `urn::id` of the provider a custom resource was registered with. */
  readonly provider?: string;
  /** The `protect` resource option as the program set it. */
  readonly protect: boolean;
  /** The `retainOnDelete` resource option. */
  readonly retainOnDelete: boolean;
  /** The `ignoreChanges` resource option. */
  readonly ignoreChanges: readonly string[];
  /** Names of the resources in its `dependsOn` option. */
  readonly dependsOn: readonly string[];
}

export interface MockRun {
  readonly resources: readonly RecordedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

/** What the mocked cloud answers: fixed values, so that a run (and its plan) is deterministic. */
export const MOCK_ACCOUNT_ID = '123456789012';
export const MOCK_AMI_ID = 'ami-0123456789abcdef0';

/** An invoke's answer under mocks, by token; `region` is the stage's. */
export type MockCall = (inputs: Record<string, unknown>, region: string) => Record<string, unknown>;

/** Lake Formation's defaults in an account that leaves new databases to IAM (its out-of-the-box mode). */
export const IAM_ONLY_LAKE_FORMATION = {
  createDatabaseDefaultPermissions: [{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }],
  createTableDefaultPermissions: [{ principal: 'IAM_ALLOWED_PRINCIPALS', permissions: ['ALL'] }],
  admins: [],
};

const CALLS: Readonly<Record<string, MockCall>> = {
  'aws:index/getPartition:getPartition': () => ({
    partition: 'aws',
    id: 'aws',
    dnsSuffix: 'amazonaws.com',
    reverseDnsPrefix: 'com.amazonaws',
  }),
  'aws:index/getCallerIdentity:getCallerIdentity': () => ({
    accountId: MOCK_ACCOUNT_ID,
    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/plan`,
    id: MOCK_ACCOUNT_ID,
    userId: 'AIDAPLAN',
  }),
  'aws:ec2/getInstanceType:getInstanceType': (inputs) => ({ instanceType: inputs.instanceType, supportedArchitectures: ['x86_64'] }),
  'aws:ssm/getParameter:getParameter': (inputs) => ({ name: inputs.name, value: MOCK_AMI_ID, type: 'String', insecureValue: MOCK_AMI_ID }),
  'aws:index/getAvailabilityZones:getAvailabilityZones': (_, region) => ({
    id: region,
    names: ['a', 'b', 'c'].map((zone) => `${region}${zone}`),
    zoneIds: ['az1', 'az2', 'az3'].map((zone) => `${region.replace(/-/g, '')}-${zone}`),
  }),
  'aws:ec2/getVpc:getVpc': () => ({ id: 'vpc-0default', cidrBlock: '172.31.0.0/16', default: true }),
  'aws:ec2/getSubnets:getSubnets': (_, region) => ({ id: region, ids: ['subnet-0default-b', 'subnet-0default-a'] }),
  'aws:lakeformation/getDataLakeSettings:getDataLakeSettings': () => IAM_ONLY_LAKE_FORMATION,
};

export interface MockOptions {
  /** The stage's region, for look-ups that answer per region. */
  readonly region?: string;
  /** Answers that replace the default ones (an account without a default VPC, say). */
  readonly calls?: Readonly<Record<string, MockCall>>;
}

/** Outputs that real providers compute and the program reads back. */
function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const physical = typeof inputs.name === 'string' ? inputs.name : name;
  switch (type) {
    case 'aws:s3/bucket:Bucket':
      return { arn: `arn:aws:s3:::${String(inputs.bucket)}` };
    default:
      return { arn: `arn:aws:mock:::${type.split(':').pop()}/${physical}` };
  }
}

function physicalId(type: string, name: string, inputs: Record<string, unknown>): string {
  if (type === 'aws:s3/bucket:Bucket' && typeof inputs.bucket === 'string') return inputs.bucket;
  if (typeof inputs.name === 'string') return inputs.name;
  return `${name}-id`;
}

/** `waitForRPCs` is exported by the runtime but left out of its type declarations. */
interface RuntimeWithRpcQueue {
  waitForRPCs(): Promise<void>;
}

export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

async function resolveOutputs(outputs: StackOutputs): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(outputs).map(async ([key, value]) => [key, pulumi.Output.isInstance(value) ? await valueOf(value) : value] as const),
  );
  return Object.fromEntries(entries);
}

/**
 * Installs the mocks for `stage` and returns the list that will receive every registration. Only
 * one stage's mocks are live at a time: runs in one process must follow each other.
 */
export async function installMocks(stage: string, options: MockOptions = {}): Promise<pulumi.runtime.MockResourceArgs[]> {
  const calls = { ...CALLS, ...options.calls };
  const region = options.region ?? 'eu-west-1';
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: physicalId(args.type, args.name, args.inputs), state: { ...args.inputs, ...computedState(args.type, args.name, args.inputs) } };
      },
      call: (args) => {
        const answer = calls[args.token];
        if (!answer) throw new Error(`the mocks have no answer for invoke ${args.token}; add one to CALLS in components/plan/mock-run.ts`);
        return answer(args.inputs, region);
      },
    },
    PROJECT,
    stage,
    false,
  );
  return registered;
}

/** Resolves once every registration started so far (including ones made inside `apply`) is done. */
export function registrationsDone(): Promise<void> {
  return (pulumi.runtime as unknown as RuntimeWithRpcQueue).waitForRPCs();
}

/** The names of the resources a `dependsOn` option lists (the last part of each URN). */
async function dependencyNames(dependsOn: pulumi.ResourceOptions['dependsOn']): Promise<string[]> {
  // The program passes resources, never outputs of them; anything else would be left out.
  const list: unknown[] = dependsOn === undefined ? [] : Array.isArray(dependsOn) ? dependsOn : [dependsOn];
  const resources = list.filter((item): item is pulumi.Resource => pulumi.Resource.isInstance(item));
  const urns = await Promise.all(resources.map((resource) => valueOf(resource.urn)));
  return urns.map((urn) => urn.split('::').pop() ?? urn).sort();
}

/**
 * Runs the stack for `config` under fresh mocks. The config is passed in rather than read from
 * `PULUMI_CONFIG` (read once per process), so one process can run several stages in turn.
 */
export async function runStackUnderMocks(config: StageConfig, options: StackOptions = {}, mockOptions: MockOptions = {}): Promise<MockRun> {
  const registered = await installMocks(config.stage, { region: config.region, ...mockOptions });
  const resourceOptions = new Map<string, pulumi.ResourceOptions>();
  // Mocks do not see resource options; a transformation (which runs in the SDK) does.
  const observe: pulumi.ResourceTransformation = ({ type, name, opts }) => {
    resourceOptions.set(`${type}::${name}`, opts);
    return undefined;
  };
  // An error inside an `apply` (a failed build of uploaded content, say) surfaces as an unhandled
  // rejection; it fails this run with its own message instead of the whole process.
  let onUnhandled: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    onUnhandled = (reason) => reject(reason instanceof Error ? reason : new Error(String(reason)));
    process.on('unhandledRejection', onUnhandled);
  });
  let outputs: Record<string, unknown>;
  try {
    const stack = createStack(config, {
      ...options,
      componentOptions: { ...options.componentOptions, transformations: [...(options.componentOptions?.transformations ?? []), observe] },
    });
    outputs = await Promise.race([stack.then(resolveOutputs), failed]);
    await Promise.race([registrationsDone(), failed]);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }

  const resources = await Promise.all(
    registered.map(async (args): Promise<RecordedResource> => {
      const opts = resourceOptions.get(`${args.type}::${args.name}`) ?? {};
      return {
        type: args.type,
        name: args.name,
        component: !args.custom,
        inputs: args.inputs,
        provider: args.provider || undefined,
        protect: opts.protect === true,
        retainOnDelete: opts.retainOnDelete === true,
        ignoreChanges: opts.ignoreChanges ?? [],
        dependsOn: await dependencyNames(opts.dependsOn),
      };
    }),
  );
  return { resources, outputs };
}
