/**
 * Runs s3rver in its own process for the tests (see s3rver.ts for why): serves the folder given as the
 * first argument on 127.0.0.1, a random port, silently; prints `{"port":N}` once listening and stops
 * when its parent closes stdin.
 */
import type { AddressInfo } from 'node:net';

type S3rverConstructor = new (options: { address: string; port: number; directory: string; silent: boolean }) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
};

// s3rver ships no type declarations; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver: S3rverConstructor = require('s3rver');

async function main(): Promise<void> {
  const directory = process.argv[2];
  if (directory === undefined) throw new Error('usage: s3rver-server.ts <directory>');
  const server = new S3rver({ address: '127.0.0.1', port: 0, directory, silent: true });
  const address = await server.run();
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void server.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
