import { Controller, Get, Req } from '@nestjs/common';
import type { Account } from './accounts.js';
import { type HostRequest, SignedIn } from './fake-auth.guard.js';

/** A route of the host's own, beside the spaces routes. */
@Controller('me')
export class MeController {
  @Get()
  @SignedIn()
  me(@Req() request: HostRequest): Account {
    return request.user!;
  }
}
