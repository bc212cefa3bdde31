import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ErrorDto } from '../error.dto.js';
import { IDEMPOTENT_LOCATION } from './idempotency.guard.js';

/**
 * The route honours `Idempotency-Key`. `location` is the path, under the API
 * prefix, of what the route creates, without its id: a replay answers
 * `Location: <prefix>/<location…>/<id>` (a `:name` segment is the request's path parameter).
 * @SpacesApi() on the controller puts it in force: IdempotencyGuard as the
 * route's last guard, and its handler wrapped (honourIdempotencyKey).
 */
export function Idempotent(...location: string[]): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_LOCATION, location),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes a retry safe: a request with the same key (from the same caller) and the same body, ' +
        'within 24 hours, gets the first answer again (with `Idempotent-Replayed: true`) and creates nothing more. ' +
        '1 to 255 printable ASCII characters, such as a UUID.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    }),
    ApiResponse({
      status: 422,
      description: 'The Idempotency-Key was already used with another request (`idempotency_conflict`).',
      type: ErrorDto,
    }),
  );
}
