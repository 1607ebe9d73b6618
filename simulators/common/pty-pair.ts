/**
 * A real pseudo-terminal pair made by socat: the emulator opens one end, the driver the other,
 * both with the real serialport stack. socat links the ptys to stable paths we choose.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PtyPair {
  /** the end the kiosk's driver opens (as it would open /dev/ttyUSB0) */
  devicePath: string;
  /** the end the emulator opens */
  emulatorPath: string;
  close(): Promise<void>;
}

export class SocatMissingError extends Error {
  constructor() {
    super('socat is not installed: run `apt-get install -y socat` (the simulators need it for serial devices)');
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function openPtyPair(devicePath: string, emulatorPath: string, timeoutMs = 5_000): Promise<PtyPair> {
  await mkdir(dirname(devicePath), { recursive: true });
  await mkdir(dirname(emulatorPath), { recursive: true });
  const child: ChildProcess = spawn(
    'socat',
    ['-d', '-d', `pty,raw,echo=0,link=${devicePath}`, `pty,raw,echo=0,link=${emulatorPath}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const watchdog = socatWatchdog(child);
  let failed: Error | undefined;
  child.once('error', (err: NodeJS.ErrnoException) => {
    failed = err.code === 'ENOENT' ? new SocatMissingError() : err;
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString();
  });
  const started = Date.now();
  while (!(await exists(devicePath)) || !(await exists(emulatorPath))) {
    if (failed) {
      watchdog.release();
      throw failed;
    }
    if (child.exitCode !== null) {
      watchdog.release();
      throw new Error(`socat exited (${child.exitCode}): ${stderr.trim()}`);
    }
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      watchdog.release();
      throw new Error(`socat did not create ${devicePath} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    devicePath,
    emulatorPath,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          watchdog.release();
          return resolve();
        }
        child.once('exit', () => {
          watchdog.release();
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * socat must not outlive the simulator that started it, even one killed with SIGKILL (no exit
 * hook runs then): a stale socat keeps the old ptys behind the stable links, so a restarted
 * simulator's device is unreachable. A tiny shell holds the read end of a pipe whose write end only
 * this process has; when this process dies for any reason the kernel closes it, `cat` sees EOF and
 * the shell kills socat. `release()` ends the watchdog when socat is closed the normal way.
 */
function socatWatchdog(socat: ChildProcess): { release(): void } {
  if (socat.pid === undefined) return { release: () => undefined };
  const dog = spawn('sh', ['-c', 'cat >/dev/null; kill "$1" 2>/dev/null', 'socat-watchdog', String(socat.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  dog.once('error', () => undefined);
  dog.stdin?.on('error', () => undefined);
  // neither keeps the simulator's event loop alive
  dog.unref();
  (dog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      dog.stdin?.end();
    },
  };
}
