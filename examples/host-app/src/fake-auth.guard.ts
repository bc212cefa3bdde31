import { type CanActivate, type ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { type Account, AccountsService } from './accounts.js';

/** The host's requests, as its authentication leaves them. */
export interface HostRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: Account;
}

const SIGNED_IN = 'host:signed-in';

/** A host route that needs a signed-in account. */
export const SignedIn = () => SetMetadata(SIGNED_IN, true);

/**
 * The host's own authentication, global to its application: a stand-in for
 * its sessions or its identity provider. `Authorization: Fake <account id>`
 * (or `Bearer <account id>`, as the host's API clients send it) signs in as that account and sets `request.user`, as passport would.
 * Unknown accounts get the host's own 401; requests without credentials go
 * on anonymously, and each route decides (the spaces routes answer them 401).
 */
@Injectable()
export class FakeAuthGuard implements CanActivate {
  constructor(
    private readonly accounts: AccountsService,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<HostRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^(?:Fake|Bearer) (\S+)$/.exec(header) : null;
    if (match) {
      const account = this.accounts.find(match[1]);
      if (!account) throw new UnauthorizedException('No such account');
      request.user = account;
    }
    const needsAccount = this.reflector.getAllAndOverride<boolean>(SIGNED_IN, [context.getHandler(), context.getClass()]);
    if (needsAccount && !request.user) throw new UnauthorizedException('Sign in first');
    return true;
  }
}
