import { Global, Module } from '@nestjs/common';
import { IdempotencyGuard } from './idempotency.guard.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { Idempotency } from './idempotency.service.js';

@Global()
@Module({
  providers: [IdempotencyRepository, Idempotency, IdempotencyGuard],
  exports: [Idempotency, IdempotencyGuard],
})
export class IdempotencyModule {}
