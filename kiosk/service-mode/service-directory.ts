/**
 * The crew as the terminal knows it now: the provisioned file (re-read at each login, so a file the
 * bank replaces takes effect without a restart) and the bank's list (fetched at each login, the last
 * list kept when the bank cannot be reached). A user in both is taken from the file: what was
 * provisioned on the terminal wins over the network.
 */
import { withTimeout } from '../../domain/async.js';
import { readServiceUsersFile, type ServiceUser } from './service-users.js';

export interface ServiceDirectoryOptions {
  file?: string;
  fromBank?: () => Promise<ServiceUser[]>;
  /** how long a login waits for the bank's list before using the last one (default 3 s) */
  bankWaitMs?: number;
  warn?: (message: string, err: unknown) => void;
}

export class ServiceDirectory {
  readonly #o: ServiceDirectoryOptions;
  #fileUsers: ServiceUser[] = [];
  #bankUsers: ServiceUser[] = [];

  constructor(options: ServiceDirectoryOptions) {
    this.#o = options;
    this.#readFile();
  }

  users(): ServiceUser[] {
    const ids = new Set(this.#fileUsers.map((u) => u.id));
    return [...this.#fileUsers, ...this.#bankUsers.filter((u) => !ids.has(u.id))];
  }

  /** before a login: the file again and the bank's list; a failure keeps what was known */
  async refresh(): Promise<void> {
    this.#readFile();
    const { fromBank } = this.#o;
    if (!fromBank) return;
    try {
      this.#bankUsers = await withTimeout(fromBank(), this.#o.bankWaitMs ?? 3_000, 'service users from the bank');
    } catch (err) {
      this.#o.warn?.('the bank\'s service users could not be fetched; the last list is used', err);
    }
  }

  #readFile(): void {
    if (this.#o.file === undefined) return;
    try {
      this.#fileUsers = readServiceUsersFile(this.#o.file);
    } catch (err) {
      this.#o.warn?.('the service users file could not be read; the last list is used', err);
    }
  }
}
