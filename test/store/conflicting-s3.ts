/**
 * The shared moto server behind one HTTP layer on 127.0.0.1 that answers the next `conflicts`
 * conditional PUTs (those with If-None-Match) with S3's 409 ConditionalRequestConflict, as S3 does when
 * two writers overlap on a key; moto answers everything else. moto itself never answers 409. The same
 * layer in Python is test/etl/python/test_glue_job_s3.py's ConflictingS3.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { once } from 'node:events';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Client, type S3ClientOptions } from '../../store/s3-store';
import type { RunningMoto } from '../../twin/moto-server';

/** S3's answer to a conditional write that overlaps another write to the same key (PutObject, "409 Conflict"). */
const CONFLICT_BODY =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>ConditionalRequestConflict</Code>' +
  '<Message>A conflicting conditional operation is currently in progress against this resource. ' +
  'Please try again.</Message><RequestId>conflict</RequestId></Error>';

export interface ConditionalPut {
  /** The request path without its query, `/<bucket>/<key>` (path style, URL-encoded as sent). */
  readonly path: string;
  readonly status: number;
}

export interface ConflictingS3 {
  readonly endpoint: string;
  /** Client options that reach moto through the layer. */
  readonly clientOptions: S3ClientOptions;
  /** A client on those options, destroyed by close(). */
  readonly client: S3Client;
  /** How many of the next conditional PUTs get a 409; counts down as they arrive. */
  conflicts: number;
  /** Every conditional PUT that reached the layer, in order, with the status it was answered. */
  readonly conditionalPuts: ConditionalPut[];
  close(): Promise<void>;
}

export async function startConflictingS3(moto: RunningMoto): Promise<ConflictingS3> {
  const upstream = new URL(moto.endpoint);
  const agent = new Agent({ keepAlive: true });
  const conditionalPuts: ConditionalPut[] = [];
  const forward = (incoming: IncomingMessage, answer: ServerResponse, onStatus: (status: number) => void): void => {
    const outgoing = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent },
      (response) => {
        onStatus(response.statusCode ?? 502);
        answer.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(answer);
      },
    );
    outgoing.on('error', (error) => answer.destroy(error));
    incoming.pipe(outgoing);
  };

  const server = createServer((incoming, answer) => {
    const path = new URL(incoming.url ?? '/', upstream).pathname;
    if (incoming.method !== 'PUT' || incoming.headers['if-none-match'] === undefined) {
      forward(incoming, answer, () => undefined);
      return;
    }
    if (layer.conflicts > 0) {
      layer.conflicts--;
      conditionalPuts.push({ path, status: 409 });
      incoming.resume(); // read the body the client sends, then answer
      incoming.on('end', () => {
        answer.writeHead(409, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(CONFLICT_BODY) });
        answer.end(CONFLICT_BODY);
      });
      return;
    }
    forward(incoming, answer, (status) => conditionalPuts.push({ path, status }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientOptions: S3ClientOptions = { ...moto.clientOptions, endpoint };
  const client = createS3Client(clientOptions);

  const layer: ConflictingS3 = {
    endpoint,
    clientOptions,
    client,
    conflicts: 0,
    conditionalPuts,
    async close() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      agent.destroy();
    },
  };
  return layer;
}
