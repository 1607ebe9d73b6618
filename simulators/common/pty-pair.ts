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
    if (failed) throw failed;
    if (child.exitCode !== null) throw new Error(`socat exited (${child.exitCode}): ${stderr.trim()}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`socat did not create ${devicePath} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    devicePath,
    emulatorPath,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
