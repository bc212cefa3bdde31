import { Global, Module } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { Idempotency } from './idempotency.service.js';

@Global()
@Module({
  providers: [IdempotencyRepository, Idempotency, IdempotencyInterceptor],
  exports: [Idempotency, IdempotencyInterceptor],
})
export class IdempotencyModule {}
