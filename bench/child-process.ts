/**
 * How a benchmark runs one measurement in a process of its own (so that its peak memory is its own):
 * Node with `args`, its figures the JSON of the last line it prints.
 */
import { spawn } from 'node:child_process';

export function runJsonChild<T>(args: readonly string[], what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${what} exited with ${code}`));
      else resolve(JSON.parse(output.trim().split('\n').pop()!) as T);
    });
  });
}
