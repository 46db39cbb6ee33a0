import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

/**
 * Runs one of the project's entry points as `npm start` / `npm run reportline`
 * do (TypeScript through tsx), but as a single process: the tsx command line
 * wraps the program in a second process, and a signal sent to the wrapper
 * would not reach the program a test means to stop or kill.
 */
export function runEntryPoint(script: string, args: string[], env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    // A start-up is a tsx start and the whole app's imports: seconds alone, far longer beside other suites.
    waitForOutput: (pattern, timeoutMs = 90_000) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const match = output.match(pattern);
          if (match) return resolve(match);
          if (child.exitCode !== null)
            return reject(new Error(`exited ${child.exitCode} before ${pattern}: ${output}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}: ${output}`));
          setTimeout(check, 50);
        };
        check();
      }),
  };
}
