import { PolicyDocumentError, isRecord, parsePolicyDocument, statementLabel, type Statement } from './iam-document';

/**
 * Security rules for any Pulumi AWS (v7) stack, as pure functions over resource types and inputs.
 * `policy/pack.ts` wraps them in a PolicyPack for `pulumi preview --policy-pack policy`; the tests
 * run them directly, on hand-made resources and on the resources of the dev and prod stacks.
 */
export interface ReviewedResource {
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  readonly props: Readonly<Record<string, unknown>>;
  /** URNs of the resources this one's inputs came from (known at preview, when ids are not). */
  readonly dependencies?: readonly string[];
}

export interface Violation {
  readonly policy: string;
  /** `type::name` of the offending resource. */
  readonly resource: string;
  readonly urn?: string;
  readonly message: string;
}

/** A rule about one resource at a time. */
export interface ResourceRule {
  readonly name: string;
  readonly description: string;
  readonly types: readonly string[];
  /** Problems found, each a sentence naming the property, what it is and what it must be. */
  check(resource: ReviewedResource): string[];
}

/** A rule about how resources relate (a bucket and the configuration resources attached to it). */
export interface StackRule {
  readonly name: string;
  readonly description: string;
  check(resources: readonly ReviewedResource[]): Violation[];
}

export const TYPES = {
  bucket: 'aws:s3/bucket:Bucket',
  bucketEncryption: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  bucketPublicAccessBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  bucketOwnershipControls: 'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  bucketPolicy: 'aws:s3/bucketPolicy:BucketPolicy',
  bucketObject: 'aws:s3/bucketObjectv2:BucketObjectv2',
  role: 'aws:iam/role:Role',
  rolePolicyAttachment: 'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  policyAttachment: 'aws:iam/policyAttachment:PolicyAttachment',
  userPolicyAttachment: 'aws:iam/userPolicyAttachment:UserPolicyAttachment',
  groupPolicyAttachment: 'aws:iam/groupPolicyAttachment:GroupPolicyAttachment',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  policy: 'aws:iam/policy:Policy',
  userPolicy: 'aws:iam/userPolicy:UserPolicy',
  groupPolicy: 'aws:iam/groupPolicy:GroupPolicy',
  instance: 'aws:ec2/instance:Instance',
  launchTemplate: 'aws:ec2/launchTemplate:LaunchTemplate',
  securityGroup: 'aws:ec2/securityGroup:SecurityGroup',
  securityGroupRule: 'aws:ec2/securityGroupRule:SecurityGroupRule',
  securityGroupIngressRule: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  athenaWorkgroup: 'aws:athena/workgroup:Workgroup',
  glueJob: 'aws:glue/job:Job',
  glueSecurityConfiguration: 'aws:glue/securityConfiguration:SecurityConfiguration',
  snsTopic: 'aws:sns/topic:Topic',
  stateMachine: 'aws:sfn/stateMachine:StateMachine',
  awsProvider: 'pulumi:providers:aws',
} as const;

/**
 * Actions AWS does not let a policy scope to a resource: only these may be allowed on `*`.
 * cloudwatch:PutMetricData has no resource-level permissions (scope it with a
 * `cloudwatch:namespace` condition instead); neither have Session Manager's ssmmessages channels,
 * the Describe look-ups a `pulumi preview` makes, nor the log delivery API a state machine needs to
 * write its execution log (the log group is named in the state machine's logging configuration).
 */
export const ACTIONS_WITHOUT_RESOURCE_SCOPE: readonly string[] = [
  'cloudwatch:PutMetricData',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcs',
  'lakeformation:GetDataLakeSettings',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
];

/**
 * Service principals whose role trust cannot take an aws:SourceAccount condition: EC2 sets none
 * when an instance takes its profile's role, and only this account can pass the role to an instance.
 */
export const SERVICES_WITHOUT_SOURCE_ACCOUNT: readonly string[] = ['ec2.amazonaws.com'];

/**
 * Stands for a value known only once deployed (at preview: a new bucket's id). A bucket
 * configuration with unknown settings is given the benefit of the doubt at preview; the same rules
 * run again on `pulumi up`, when every value is known.
 */
export const UNKNOWN = '(unknown until deployed)';

function mentionsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some(mentionsUnknown);
}

/** Tags every taggable resource must carry, through the provider's default tags. */
export const REQUIRED_DEFAULT_TAGS: readonly string[] = ['project', 'stage'];

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function list(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Checks one policy document; `where` names the property it came from. */
function documentProblems(document: unknown, where: string, check: (statement: Statement, label: string) => string[]): string[] {
  if (document === undefined || document === null || document === '' || document === UNKNOWN) return [];
  try {
    return parsePolicyDocument(document).flatMap((statement, index) => check(statement, `${where} ${statementLabel(statement, index)}`));
  } catch (error) {
    if (error instanceof PolicyDocumentError) return [`${where} is not a readable IAM policy document: ${error.message}`];
    throw error;
  }
}

/** The identity-policy documents a resource carries, with where each one is. */
function identityPolicyDocuments(type: string, props: Readonly<Record<string, unknown>>): Array<{ where: string; document: unknown }> {
  if (type === TYPES.role) {
    return list(props.inlinePolicies).map((inline, index) => ({ where: `inlinePolicies[${index}].policy`, document: record(inline).policy }));
  }
  return [{ where: 'policy', document: props.policy }];
}

const IDENTITY_POLICY_TYPES = [TYPES.role, TYPES.rolePolicy, TYPES.policy, TYPES.userPolicy, TYPES.groupPolicy];

const leastPrivilegeActions: ResourceRule = {
  name: 'iam-no-wildcard-actions',
  description: 'Allow statements name exact actions: no "*", no "service:*", no wildcards, no NotAction.',
  types: IDENTITY_POLICY_TYPES,
  check: ({ type, props }) =>
    identityPolicyDocuments(type, props).flatMap(({ where, document }) =>
      documentProblems(document, where, (statement, label) => {
        if (statement.effect !== 'Allow') return [];
        const problems: string[] = [];
        const wild = statement.actions.filter((action) => action.includes('*'));
        if (wild.length > 0) {
          problems.push(`${label} allows wildcard action(s) ${wild.join(', ')}; list the exact actions the role needs`);
        }
        if (statement.notActions.length > 0) {
          problems.push(`${label} allows everything except ${statement.notActions.join(', ')} (NotAction); list the exact actions instead`);
        }
        return problems;
      }),
    ),
};

const scopedResources: ResourceRule = {
  name: 'iam-resources-scoped',
  description: `Allow statements name their resources; "*" only for actions AWS cannot scope (${ACTIONS_WITHOUT_RESOURCE_SCOPE.join(', ')}).`,
  types: IDENTITY_POLICY_TYPES,
  check: ({ type, props }) =>
    identityPolicyDocuments(type, props).flatMap(({ where, document }) =>
      documentProblems(document, where, (statement, label) => {
        if (statement.effect !== 'Allow') return [];
        const problems: string[] = [];
        if (statement.notResources.length > 0) {
          problems.push(`${label} allows every resource except ${statement.notResources.join(', ')} (NotResource); list the resources instead`);
        }
        if (statement.resources.includes('*')) {
          const scopable = statement.actions.filter((action) => !ACTIONS_WITHOUT_RESOURCE_SCOPE.includes(action));
          if (scopable.length > 0) {
            problems.push(`${label} allows ${scopable.join(', ')} on Resource "*"; name the ARNs these actions need`);
          }
        }
        return problems;
      }),
    ),
};

const trustedPrincipals: ResourceRule = {
  name: 'iam-trust-policy-no-wildcard-principal',
  description: 'A role trust policy never lets "*" assume the role.',
  types: [TYPES.role],
  check: ({ props }) =>
    documentProblems(props.assumeRolePolicy, 'assumeRolePolicy', (statement, label) =>
      statement.effect === 'Allow' && statement.principals.includes('*')
        ? [`${label} lets any principal ("*") assume the role; name the service or account that needs it`]
        : [],
    ),
};

const publicBucketPolicy: ResourceRule = {
  name: 's3-bucket-policy-not-public',
  description: 'A bucket policy never allows "*" without a condition.',
  types: [TYPES.bucketPolicy],
  check: ({ props }) =>
    documentProblems(props.policy, 'policy', (statement, label) =>
      statement.effect === 'Allow' && statement.principals.includes('*') && Object.keys(statement.conditions).length === 0
        ? [`${label} allows ${statement.actions.join(', ')} to anyone ("*"); grant a named principal instead`]
        : [],
    ),
};

const PUBLIC_ACLS = ['public-read', 'public-read-write', 'authenticated-read'];

const privateObjects: ResourceRule = {
  name: 's3-object-not-public',
  description: 'Objects are never uploaded with a public canned ACL.',
  types: [TYPES.bucketObject],
  check: ({ props }) =>
    typeof props.acl === 'string' && PUBLIC_ACLS.includes(props.acl) ? [`acl is "${props.acl}"; remove it (buckets enforce owner-only access)`] : [],
};

function blockDevices(props: Readonly<Record<string, unknown>>): Array<{ where: string; device: Record<string, unknown> }> {
  return [
    ...(props.rootBlockDevice === undefined ? [] : [{ where: 'rootBlockDevice', device: record(props.rootBlockDevice) }]),
    ...list(props.ebsBlockDevices).map((device, index) => ({ where: `ebsBlockDevices[${index}]`, device: record(device) })),
  ];
}

const imdsv2: ResourceRule = {
  name: 'ec2-imdsv2-required',
  description: 'Instances require IMDSv2 session tokens (no IMDSv1) with a hop limit of 1.',
  types: [TYPES.instance, TYPES.launchTemplate],
  check: ({ props }) => {
    const metadata = record(props.metadataOptions);
    const problems: string[] = [];
    if (metadata.httpTokens !== 'required') {
      problems.push(`metadataOptions.httpTokens is ${JSON.stringify(metadata.httpTokens)}; set it to "required" (IMDSv2 only)`);
    }
    const hopLimit = Number(metadata.httpPutResponseHopLimit ?? 1);
    if (hopLimit > 1) {
      problems.push(`metadataOptions.httpPutResponseHopLimit is ${hopLimit}; set it to 1 so containers cannot reach the instance's credentials`);
    }
    return problems;
  },
};

const encryptedVolumes: ResourceRule = {
  name: 'ec2-volumes-encrypted',
  description: 'Every instance volume is encrypted and the root volume is declared.',
  types: [TYPES.instance],
  check: ({ props }) => {
    const problems = blockDevices(props)
      .filter(({ device }) => device.encrypted !== true && device.encrypted !== 'true')
      .map(({ where }) => `${where}.encrypted is not true; set encrypted: true`);
    if (props.rootBlockDevice === undefined) problems.push('rootBlockDevice is not declared; declare it with encrypted: true');
    return problems;
  },
};

const OPEN_CIDRS = ['0.0.0.0/0', '::/0'];

function openCidrs(rule: Record<string, unknown>): string[] {
  return [...list(rule.cidrBlocks), ...list(rule.ipv6CidrBlocks), rule.cidrIpv4, rule.cidrIpv6].filter(
    (cidr): cidr is string => typeof cidr === 'string' && OPEN_CIDRS.includes(cidr),
  );
}

const noInternetIngress: ResourceRule = {
  name: 'ec2-no-ingress-from-internet',
  description: 'No security group accepts inbound traffic from the whole internet (use SSM Session Manager).',
  types: [TYPES.securityGroup, TYPES.securityGroupRule, TYPES.securityGroupIngressRule],
  check: ({ props }) => {
    const ingress =
      props.type === 'ingress' || props.cidrIpv4 !== undefined || props.cidrIpv6 !== undefined ? [props] : list(props.ingress).map(record);
    return ingress
      .filter((rule) => openCidrs(rule).length > 0)
      .map((rule) => `ingress from ${openCidrs(rule).join(', ')} on ports ${String(rule.fromPort ?? '?')}-${String(rule.toPort ?? '?')}; remove it and connect through SSM Session Manager`);
  },
};

const athenaWorkgroup: ResourceRule = {
  name: 'athena-workgroup-enforced-and-encrypted',
  description: 'Athena workgroups enforce their settings and encrypt query results.',
  types: [TYPES.athenaWorkgroup],
  check: ({ props }) => {
    const configuration = record(props.configuration);
    const encryption = record(record(configuration.resultConfiguration).encryptionConfiguration);
    const problems: string[] = [];
    if (configuration.enforceWorkgroupConfiguration !== true) {
      problems.push('configuration.enforceWorkgroupConfiguration is not true; set it so clients cannot bypass encryption and limits');
    }
    if (typeof encryption.encryptionOption !== 'string') {
      problems.push('configuration.resultConfiguration.encryptionConfiguration.encryptionOption is not set; use SSE_S3 or SSE_KMS');
    }
    if (configuration.bytesScannedCutoffPerQuery === undefined) {
      problems.push('configuration.bytesScannedCutoffPerQuery is not set; set a per-query scan limit');
    }
    return problems;
  },
};

const glueJobSecurity: ResourceRule = {
  name: 'glue-job-security-configuration',
  description: 'Glue jobs run with a security configuration.',
  types: [TYPES.glueJob],
  check: ({ props }) =>
    typeof props.securityConfiguration === 'string' && props.securityConfiguration !== ''
      ? []
      : ['securityConfiguration is not set; attach a Glue security configuration that encrypts S3 output'],
};

const glueSecurityConfiguration: ResourceRule = {
  name: 'glue-security-configuration-encrypts-s3',
  description: 'Glue security configurations encrypt what jobs write to S3.',
  types: [TYPES.glueSecurityConfiguration],
  check: ({ props }) => {
    const encryption = record(props.encryptionConfiguration);
    const modes = list(encryption.s3Encryption).map((entry) => record(entry).s3EncryptionMode);
    return modes.length > 0 && modes.every((mode) => mode === 'SSE-S3' || mode === 'SSE-KMS')
      ? []
      : [`encryptionConfiguration.s3Encryption mode is ${JSON.stringify(modes)}; use SSE-S3 or SSE-KMS`];
  },
};

const encryptedTopics: ResourceRule = {
  name: 'sns-topic-encrypted',
  description: 'SNS topics are encrypted at rest with a KMS key (kmsMasterKeyId).',
  types: [TYPES.snsTopic],
  check: ({ props }) =>
    typeof props.kmsMasterKeyId === 'string' && props.kmsMasterKeyId !== ''
      ? []
      : ['kmsMasterKeyId is not set; give the topic a KMS key (a customer-managed one if CloudWatch alarms publish to it)'],
};

const LOG_LEVELS = ['ALL', 'ERROR', 'FATAL'];

const loggedStateMachines: ResourceRule = {
  name: 'sfn-execution-logging',
  description: 'State machines log their executions to CloudWatch Logs (level ALL, ERROR or FATAL).',
  types: [TYPES.stateMachine],
  check: ({ props }) => {
    const logging = record(props.loggingConfiguration);
    const problems: string[] = [];
    if (!LOG_LEVELS.includes(String(logging.level))) {
      problems.push(`loggingConfiguration.level is ${JSON.stringify(logging.level)}; set ALL, ERROR or FATAL so failed executions leave a log`);
    }
    if (typeof logging.logDestination !== 'string' || logging.logDestination === '') {
      problems.push('loggingConfiguration.logDestination is not set; name a CloudWatch Logs log group ARN ending in :*');
    }
    return problems;
  },
};

/** Provider inputs arrive as objects from the engine and JSON-encoded from mocks: accept both. */
function decoded(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

const providerTags: ResourceRule = {
  name: 'aws-provider-default-tags',
  description: `AWS providers tag every resource with ${REQUIRED_DEFAULT_TAGS.join(' and ')} (default tags).`,
  types: [TYPES.awsProvider],
  check: ({ props }) => {
    const tags = record(record(decoded(props.defaultTags)).tags);
    const missing = REQUIRED_DEFAULT_TAGS.filter((tag) => typeof tags[tag] !== 'string' || tags[tag] === '');
    return missing.length === 0 ? [] : [`defaultTags.tags lacks ${missing.join(', ')}; add them so every resource carries them`];
  },
};


const trustNamesSourceAccount: ResourceRule = {
  name: 'iam-service-trust-source-account',
  description: 'A role trusted by an AWS service names the account (aws:SourceAccount or aws:SourceArn) it may act for.',
  types: [TYPES.role],
  check: ({ props }) =>
    documentProblems(props.assumeRolePolicy, 'assumeRolePolicy', (statement, label) => {
      if (statement.effect !== 'Allow') return [];
      const services = statement.principals.filter((principal) => principal.endsWith('.amazonaws.com') && !SERVICES_WITHOUT_SOURCE_ACCOUNT.includes(principal));
      const keys = Object.values(statement.conditions).flatMap((condition) => Object.keys(condition).map((key) => key.toLowerCase()));
      return services.length > 0 && !keys.includes('aws:sourceaccount') && !keys.includes('aws:sourcearn')
        ? [`${label} lets ${services.join(', ')} assume the role for any account; add Condition StringEquals aws:SourceAccount <this account> (confused-deputy protection)`]
        : [];
    }),
};

const kmsStatementsNameKeys: ResourceRule = {
  name: 'iam-kms-statements-name-keys',
  description: 'KMS permissions name key ARNs: IAM never matches a statement on an alias ARN, so it grants nothing.',
  types: IDENTITY_POLICY_TYPES,
  check: ({ type, props }) =>
    identityPolicyDocuments(type, props).flatMap(({ where, document }) =>
      documentProblems(document, where, (statement, label) => {
        const aliases = statement.resources.filter((resource) => /^arn:[a-z-]+:kms:.*:alias\//.test(resource));
        return statement.effect === 'Allow' && statement.actions.some((action) => action.startsWith('kms:')) && aliases.length > 0
          ? [`${label} allows kms actions on the alias ${aliases.join(', ')}, which grants nothing; name the key ARN instead`]
          : [];
      }),
    ),
};

const AWS_MANAGED_POLICY = /^arn:[a-z-]+:iam::aws:policy\/(.+)$/;

/** The managed policy ARNs a resource attaches. */
function attachedPolicies(type: string, props: Readonly<Record<string, unknown>>): string[] {
  const arns = type === TYPES.role ? list(props.managedPolicyArns) : [props.policyArn];
  return arns.filter((arn): arn is string => typeof arn === 'string');
}

const noAwsManagedPolicies: ResourceRule = {
  name: 'iam-no-aws-managed-policies',
  description: 'No AWS managed policy is attached: the rules cannot review what it allows (AmazonSSMManagedInstanceCore reads every SSM parameter).',
  types: [TYPES.role, TYPES.rolePolicyAttachment, TYPES.policyAttachment, TYPES.userPolicyAttachment, TYPES.groupPolicyAttachment],
  check: ({ type, props }) =>
    attachedPolicies(type, props).flatMap((arn) => {
      const name = AWS_MANAGED_POLICY.exec(arn)?.[1];
      return name === undefined
        ? []
        : [`attaches the AWS managed policy ${name}, whose actions and resources no rule here reviews; attach a policy of your own with the exact actions and resources needed`];
    }),
};

const standardCredits: ResourceRule = {
  name: 'ec2-burstable-standard-credits',
  description: 'Burstable (T) instances run on standard CPU credits: unlimited mode bills surplus CPU without a ceiling.',
  types: [TYPES.instance, TYPES.launchTemplate],
  check: ({ props }) => {
    const instanceType = props.instanceType;
    if (typeof instanceType !== 'string' || !/^t\d[a-z]*\./.test(instanceType)) return [];
    const credits = record(props.creditSpecification).cpuCredits;
    return credits === 'standard'
      ? []
      : [`creditSpecification.cpuCredits is ${JSON.stringify(credits)} for the burstable ${instanceType} (unlimited by default); set it to "standard"`];
  },
};

/** Job arguments a Glue version no longer accepts, with the first version that refuses them. */
const RETIRED_GLUE_ARGUMENTS: Readonly<Record<string, number>> = { '--enable-continuous-cloudwatch-log': 5 };

const glueJobFitsItsVersion: ResourceRule = {
  name: 'glue-job-fits-its-version',
  description: 'Glue Spark jobs use batch worker types (not G.025X, for streaming) and no argument their Glue version dropped.',
  types: [TYPES.glueJob],
  check: ({ props }) => {
    const problems: string[] = [];
    const command = record(props.command).name;
    if (props.workerType === 'G.025X' && command !== 'gluestreaming') {
      problems.push(`workerType is "G.025X", which Glue allows for streaming jobs only; use G.1X or larger`);
    }
    const version = Number(props.glueVersion ?? 0);
    for (const [argument, refusedFrom] of Object.entries(RETIRED_GLUE_ARGUMENTS)) {
      if (version >= refusedFrom && record(props.defaultArguments)[argument] !== undefined) {
        problems.push(`defaultArguments sets ${argument}, which Glue ${refusedFrom}.0 and later do not accept; remove it`);
      }
    }
    return problems;
  },
};

export const RESOURCE_RULES: readonly ResourceRule[] = [
  leastPrivilegeActions,
  scopedResources,
  trustedPrincipals,
  trustNamesSourceAccount,
  kmsStatementsNameKeys,
  noAwsManagedPolicies,
  publicBucketPolicy,
  privateObjects,
  imdsv2,
  encryptedVolumes,
  standardCredits,
  noInternetIngress,
  athenaWorkgroup,
  glueJobSecurity,
  glueJobFitsItsVersion,
  glueSecurityConfiguration,
  encryptedTopics,
  loggedStateMachines,
  providerTags,
];

/** Runs one resource through every rule that applies to its type. */
export function checkResource(resource: ReviewedResource): Violation[] {
  return RESOURCE_RULES.filter((rule) => rule.types.includes(resource.type)).flatMap((rule) =>
    rule.check(resource).map((message) => ({ policy: rule.name, resource: `${resource.type}::${resource.name}`, urn: resource.urn, message })),
  );
}

/** A bucket's name as its configuration resources refer to it (their `bucket` input). */
function bucketNameOf(bucket: ReviewedResource): string | undefined {
  const name = bucket.props.bucket ?? bucket.props.id;
  return typeof name === 'string' ? name : undefined;
}

/** Whether `companion` configures `bucket`: by name, or (at preview, before ids exist) by dependency. */
function configures(companion: ReviewedResource, bucket: ReviewedResource): boolean {
  const name = bucketNameOf(bucket);
  if (name !== undefined && companion.props.bucket === name) return true;
  return bucket.urn !== undefined && (companion.dependencies ?? []).includes(bucket.urn);
}

interface BucketCompanionRule {
  readonly name: string;
  readonly description: string;
  readonly companionType: string;
  /** What to add when the bucket has no such companion. */
  readonly fix: string;
  /** The problem with one companion, or undefined when it does the job. */
  problem(companion: ReviewedResource, bucketName: string | undefined): string | undefined;
}

const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Deny s3:* to everyone without TLS, on the bucket and on its objects (any partition). */
function tlsDenyStatement(statement: Statement, bucketName: string | undefined): boolean {
  const denied = statement.actions.includes('s3:*') || statement.actions.includes('*');
  const everyone = statement.principals.includes('*');
  const insecure = (statement.conditions.Bool?.['aws:SecureTransport'] ?? []).includes('false');
  const covers = (suffix: string) =>
    bucketName === undefined ||
    statement.resources.some((resource) => new RegExp(`^arn:[a-z-]+:s3:::${escapeRegExp(bucketName + suffix)}$`).test(resource));
  return statement.effect === 'Deny' && denied && everyone && insecure && covers('') && covers('/*');
}

const BUCKET_COMPANION_RULES: readonly BucketCompanionRule[] = [
  {
    name: 's3-bucket-encrypted',
    description: 'Every bucket has default server-side encryption (SSE-S3 or SSE-KMS).',
    companionType: TYPES.bucketEncryption,
    fix: 'add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm AES256 or aws:kms',
    problem: ({ props }) => {
      const algorithms = list(props.rules).map((rule) => record(record(rule).applyServerSideEncryptionByDefault).sseAlgorithm);
      return algorithms.some((algorithm) => typeof algorithm === 'string' && SSE_ALGORITHMS.includes(algorithm))
        ? undefined
        : `its encryption configuration uses ${JSON.stringify(algorithms)}; use AES256 or aws:kms`;
    },
  },
  {
    name: 's3-bucket-public-access-blocked',
    description: 'Every bucket blocks public ACLs and policies (all four settings).',
    companionType: TYPES.bucketPublicAccessBlock,
    fix: 'add an aws.s3.BucketPublicAccessBlock with all four settings true',
    problem: ({ props }) => {
      const off = ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'].filter(
        (setting) => props[setting] !== true && props[setting] !== 'true',
      );
      return off.length === 0 ? undefined : `its public access block leaves ${off.join(', ')} off; set them to true`;
    },
  },
  {
    name: 's3-bucket-acls-disabled',
    description: 'Every bucket disables ACLs (object ownership BucketOwnerEnforced).',
    companionType: TYPES.bucketOwnershipControls,
    fix: 'add an aws.s3.BucketOwnershipControls with objectOwnership BucketOwnerEnforced',
    problem: ({ props }) => {
      const ownership = record(props.rule).objectOwnership;
      return ownership === 'BucketOwnerEnforced' ? undefined : `its object ownership is ${JSON.stringify(ownership)}; use BucketOwnerEnforced`;
    },
  },
  {
    name: 's3-bucket-tls-only',
    description: 'Every bucket policy denies requests made without TLS (aws:SecureTransport false).',
    companionType: TYPES.bucketPolicy,
    fix: 'add an aws.s3.BucketPolicy denying s3:* to "*" on the bucket and its objects when aws:SecureTransport is false',
    problem: ({ props }, bucketName) => {
      try {
        return parsePolicyDocument(props.policy).some((statement) => tlsDenyStatement(statement, bucketName))
          ? undefined
          : 'its bucket policy has no statement denying s3:* to "*" on the bucket and its objects when aws:SecureTransport is false';
      } catch (error) {
        if (error instanceof PolicyDocumentError) return `its bucket policy is not a readable policy document: ${error.message}`;
        throw error;
      }
    },
  },
];

export const STACK_RULES: readonly StackRule[] = BUCKET_COMPANION_RULES.map(
  (rule): StackRule => ({
    name: rule.name,
    description: rule.description,
    check: (resources) =>
      resources
        .filter((resource) => resource.type === TYPES.bucket)
        .flatMap((bucket): Violation[] => {
          const bucketName = bucketNameOf(bucket);
          const companions = resources.filter((resource) => resource.type === rule.companionType && configures(resource, bucket));
          const problems = companions.map((companion) =>
            mentionsUnknown({ ...companion.props, bucket: undefined }) ? undefined : rule.problem(companion, bucketName),
          );
          if (companions.length > 0 && problems.some((problem) => problem === undefined)) return [];
          const label = bucketName ? `bucket "${bucketName}"` : `bucket ${bucket.name}`;
          const message = companions.length === 0 ? `${label} has none: ${rule.fix}` : `${label}: ${problems.join('; ')}`;
          return [{ policy: rule.name, resource: `${bucket.type}::${bucket.name}`, urn: bucket.urn, message }];
        }),
  }),
);

/** Every rule over a whole stack: what the policy pack reports, as one list. */
export function reviewStack(resources: readonly ReviewedResource[]): Violation[] {
  return [...resources.flatMap(checkResource), ...STACK_RULES.flatMap((rule) => rule.check(resources))];
}
