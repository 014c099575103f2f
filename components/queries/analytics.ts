import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AwsContext } from '../aws-context';
import { ATHENA_RESULTS_PREFIX } from '../storage/lifecycle';
import type { NamedQuery } from '../../queries/catalogue';

export interface AnalyticsArgs {
  readonly workgroupName: string;
  readonly databaseName: pulumi.Input<string>;
  readonly athenaResultsBucket: string;
  readonly bytesScannedCutoffMb: number;
  readonly kmsKeyArn?: string;
  /** Deleting the workgroup deletes its named queries and query history with it. */
  readonly forceDestroy: boolean;
  /** The named-query catalogue (`loadCatalogue()`): each query's whole file is deployed. */
  readonly queries: readonly Pick<NamedQuery, 'name' | 'description' | 'sql'>[];
  readonly context: pulumi.Input<AwsContext>;
}

const BYTES_PER_MB = 1024 * 1024;

/**
 * Where analysts query: an Athena workgroup whose settings clients cannot override (encrypted
 * results in the stage's athena-results bucket, a per-query scan limit, CloudWatch metrics), and
 * the named-query catalogue as one NamedQuery per `queries/*.sql` file.
 */
export class Analytics extends pulumi.ComponentResource {
  public readonly workgroup: aws.athena.Workgroup;
  public readonly workgroupName: pulumi.Output<string>;
  /** NamedQuery ids by query name. */
  public readonly namedQueryIds: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('clickstream:queries:Analytics', name, {}, opts);
    const child = { parent: this };

    this.workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: args.workgroupName,
        description: 'Clickstream analytics: encrypted results, scan limit per query, metrics in CloudWatch.',
        state: 'ENABLED',
        forceDestroy: args.forceDestroy,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.bytesScannedCutoffMb * BYTES_PER_MB,
          engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
          resultConfiguration: {
            outputLocation: `s3://${args.athenaResultsBucket}/${ATHENA_RESULTS_PREFIX}`,
            expectedBucketOwner: pulumi.output(args.context).accountId,
            encryptionConfiguration:
              args.kmsKeyArn === undefined
                ? { encryptionOption: 'SSE_S3' }
                : { encryptionOption: 'SSE_KMS', kmsKeyArn: args.kmsKeyArn },
          },
        },
      },
      child,
    );
    this.workgroupName = this.workgroup.name;

    const namedQueries = args.queries.map(
      (query) =>
        [
          query.name,
          new aws.athena.NamedQuery(
            `${name}-query-${query.name}`,
            {
              name: query.name,
              description: query.description,
              database: args.databaseName,
              workgroup: this.workgroup.name,
              query: query.sql,
            },
            child,
          ),
        ] as const,
    );
    this.namedQueryIds = pulumi
      .all(namedQueries.map(([queryName, namedQuery]) => namedQuery.id.apply((id) => [queryName, id] as const)))
      .apply((entries) => Object.fromEntries(entries));

    this.registerOutputs({ workgroupName: this.workgroupName, namedQueryIds: this.namedQueryIds });
  }
}
