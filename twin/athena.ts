/**
 * The twin of a stage's Athena: Trino reading the lake's tables from the Glue API of a moto server,
 * both on loopback, both started here and stopped by `close()`. What the query CLI, the benchmark and
 * the AWS pipeline on one machine use; the tests share one of each per run instead (test/twin.ts).
 */
import { parseStoreSpec, type Lake } from '../store/lake';
import { openTrinoLake, type TrinoLake } from './trino/lake';
import { motoEndpoint, s3EndpointFromEnv, type AwsEndpoint } from './aws-endpoint';
import { startMotoServer, type RunningMoto } from './moto-server';
import { startTrino, type RunningTrino } from './trino/server';

export interface AthenaTwin {
  readonly trino: RunningTrino;
  /** The Glue API (moto) holding the catalog. */
  readonly glue: AwsEndpoint;
  /** Registers the lake's tables in Glue and opens them on Trino. `storeSpec` says whether it is on S3. */
  openLake(lake: Lake, storeSpec: string, env?: NodeJS.ProcessEnv): Promise<TrinoLake>;
  close(): Promise<void>;
}

export async function startAthenaTwin(options: { readonly moto?: RunningMoto; readonly log?: (line: string) => void } = {}): Promise<AthenaTwin> {
  const ownMoto = options.moto === undefined;
  const [moto, trino] = await Promise.all([options.moto ?? startMotoServer(), startTrino({ log: options.log })]);
  const glue = motoEndpoint(moto);
  let lakes = 0;
  return {
    trino,
    glue,
    openLake: (lake, storeSpec, env = process.env) =>
      openTrinoLake(lake, {
        trinoUrl: trino.url,
        glue,
        s3: parseStoreSpec(storeSpec).kind === 's3' ? s3EndpointFromEnv(env) : undefined,
        catalog: `lake_${++lakes}`,
      }),
    async close() {
      await Promise.all([trino.close(), ownMoto ? moto.stop() : Promise.resolve()]);
    },
  };
}
