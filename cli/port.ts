import { createServer } from 'node:net';

/**
 * Throws unless `port` on `host` can be listened on now: a command that serves only after minutes of
 * work checks first, so a taken port is reported before the work instead of after it.
 */
export async function checkPortFree(port: number, host: string, fix: string): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`port ${port} on ${host} is already in use (another dashboard?); ${fix}`));
      else if (error.code === 'EACCES') reject(new Error(`port ${port} on ${host} needs privileges this user lacks; ${fix}`));
      else reject(error);
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
