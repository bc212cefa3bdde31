import { Module } from '@nestjs/common';
import { AccessRepository } from './access.repository.js';
import { EffectiveMemberships } from './effective-membership.repository.js';

/** Who stands where (spaces and groups), and the effective memberships behind it. */
@Module({
  providers: [AccessRepository, EffectiveMemberships],
  exports: [AccessRepository, EffectiveMemberships],
})
export class AccessModule {}
