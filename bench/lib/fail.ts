// One way to stop the suite: a one-line reason on stderr and a non-zero exit, never a stack trace.
// Cleanup hooks (servers, nginx) run first so a failed run leaves nothing listening.
const cleanups: Array<() => void> = [];

export function onExit(cleanup: () => void): void {
  cleanups.push(cleanup);
}

export function runCleanups(): void {
  while (cleanups.length > 0) {
    try {
      cleanups.pop()?.();
    } catch {
      // Cleaning up after a failure must not hide the failure.
    }
  }
}

export class BenchError extends Error {}

export function fail(message: string): never {
  throw new BenchError(message);
}

process.on('exit', runCleanups);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    runCleanups();
    process.exit(130);
  });
}
