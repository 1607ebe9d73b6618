/**
 * `npm run service-user -- add --id T001 --role technician [--name "A. Bekov"] [--file users.json]`:
 * makes one service user entry with the PIN read from stdin (one line, 4-8 digits; never an
 * argument, so it stays out of the shell history and the process list) as a scrypt hash. Without
 * `--file` the entry is printed as JSON; with it, the entry is added to (or replaces the same id in)
 * that users file, created if missing. Exit 0: done; 2: usage, a bad PIN or a bad file.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { hashPin, PIN_PATTERN, readServiceUsersFile, ServiceRole, ServiceUserId, ServiceUsersFileError, ServiceUsersList, type ServiceUser } from '../kiosk/service-mode/service-users.js';

const USAGE = 'usage: npm run service-user -- add --id ID --role technician|collector [--name NAME] [--file USERS.json]  (PIN on stdin)';

interface Args { id: string; role: ServiceRole; name?: string; file?: string }

function parse(argv: string[]): Args | string {
  if (argv[0] !== 'add') return USAGE;
  const raw: Record<string, string> = {};
  for (let i = 1; i < argv.length; i += 2) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!flag || !['--id', '--role', '--name', '--file'].includes(flag) || value === undefined) return `${USAGE}\nunknown or incomplete argument: ${flag ?? ''}`;
    raw[flag.slice(2)] = value;
  }
  const id = ServiceUserId.safeParse(raw.id);
  if (!id.success) return `--id: ${id.error.issues[0]?.message ?? 'invalid'}`;
  const role = ServiceRole.safeParse(raw.role);
  if (!role.success) return '--role: must be technician or collector';
  return { id: id.data, role: role.data, ...(raw.name ? { name: raw.name.slice(0, 64) } : {}), ...(raw.file ? { file: raw.file } : {}) };
}

async function readPin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]?.trim() ?? '';
}

function addTo(file: string, user: ServiceUser): void {
  const users = existsSync(file) ? readServiceUsersFile(file).filter((u) => u.id !== user.id) : [];
  const list = ServiceUsersList.parse({ users: [...users, user] });
  // written whole, then renamed: a terminal reading the file never sees half of it
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n`);
    return 2;
  }
  if (process.stdin.isTTY) process.stderr.write(`PIN for ${args.id} (4-8 digits), then Enter: `);
  const pin = await readPin();
  if (!PIN_PATTERN.test(pin)) {
    process.stderr.write('the PIN must be 4-8 digits\n');
    return 2;
  }
  const user: ServiceUser = { id: args.id, role: args.role, ...(args.name ? { name: args.name } : {}), pin: await hashPin(pin) };
  if (!args.file) {
    process.stdout.write(`${JSON.stringify(user)}\n`);
    return 0;
  }
  try {
    addTo(args.file, user);
  } catch (err) {
    process.stderr.write(`${err instanceof ServiceUsersFileError ? err.message : String(err)}\n`);
    return 2;
  }
  process.stdout.write(`${args.id} (${args.role}) written to ${args.file}\n`);
  return 0;
}

process.exitCode = await main();
