import { HttpStatus } from '@nestjs/common';

/** The `error` values of the error body, with their status and default text. */
export const ERRORS = {
  invalid_request: { status: HttpStatus.BAD_REQUEST, description: 'Invalid request.' },
  invalid_token: {
    status: HttpStatus.BAD_REQUEST,
    description: 'Provided token could not be validated.',
  },
  unauthorized: {
    status: HttpStatus.UNAUTHORIZED,
    description: 'Authentication required: send a token as "Authorization: Bearer <token>" or "X-Auth-Token: <token>".',
  },
  forbidden: {
    status: HttpStatus.FORBIDDEN,
    description: 'You are not authorized to perform this operation.',
  },
  not_found: { status: HttpStatus.NOT_FOUND, description: 'The resource could not be found.' },
  already_exists: { status: HttpStatus.CONFLICT, description: 'The resource already exists.' },
  payload_too_large: {
    status: HttpStatus.PAYLOAD_TOO_LARGE,
    description: 'The request body is larger than the limit.',
  },
  unsupported_media_type: {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    description: 'The request body must be JSON (Content-Type: application/json).',
  },
  idempotency_conflict: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    description: 'The Idempotency-Key was already used with another request.',
  },
  too_many_requests: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    description: 'Too many requests: retry later.',
  },
  internal_server_error: {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    description: 'Internal server error.',
  },
  service_unavailable: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    description: 'The service is temporarily unavailable: retry later.',
  },
} as const satisfies Record<string, { status: HttpStatus; description: string }>;

export type ErrorCode = keyof typeof ERRORS;

/** The error body every failed request gets. */
export interface ErrorBody {
  error: ErrorCode;
  error_description: string;
}
