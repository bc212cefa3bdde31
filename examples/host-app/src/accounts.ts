import { Injectable } from '@nestjs/common';
import type { ResolvedCaller } from 'spaces-service';

/** An account of the host platform: people, and the storage services that offer them space. */
export interface Account {
  id: string;
  kind: 'person' | 'storage';
  displayName: string;
}

/** The host's own directory of accounts (in memory: this is an example). */
@Injectable()
export class AccountsService {
  private readonly accounts = new Map<string, Account>(
    [
      { id: 'alice', kind: 'person', displayName: 'Alice' },
      { id: 'bob', kind: 'person', displayName: 'Bob' },
      { id: 'acme-storage', kind: 'storage', displayName: 'ACME Storage' },
    ].map((account) => [account.id, account as Account]),
  );

  find(id: string): Account | undefined {
    return this.accounts.get(id);
  }

  /** How the spaces feature sees an account: people are users, storage services are providers. */
  asCaller(account: Account): ResolvedCaller {
    return account.kind === 'person'
      ? { type: 'user', userId: account.id, name: account.displayName }
      : { type: 'provider', providerId: account.id, name: account.displayName };
  }
}
