import { applyDecorators, HttpStatus } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ERRORS, type ErrorCode } from './error-codes.js';
import { ErrorDto } from './error.dto.js';

const STATUS_TEXT: Partial<Record<number, string>> = {
  400: 'Invalid request.',
  401: 'Authentication error.',
  403: 'Authorization error.',
  404: 'Resource not found.',
  409: 'Conflict: the resource already exists.',
  413: 'Request body too large.',
  415: 'Unsupported media type.',
  500: 'Internal server Error.',
  503: 'Service unavailable.',
};

/** The error body of Onezone's documentation of the two creation routes (the seed routes), shown for each status they list. */
export const SEED_ERROR_EXAMPLE = {
  error: 'invalid_token',
  error_description: 'Provided token could not be validated.',
};

function example(code: ErrorCode, description?: string) {
  return { value: { error: code, error_description: description ?? ERRORS[code].description } };
}

/** Examples by status: Onezone's documented one first, then each code the status can carry. */
const EXAMPLES: Partial<Record<number, Record<string, { value: object }>>> = {
  400: {
    invalid_token: { value: SEED_ERROR_EXAMPLE },
    invalid_request: example('invalid_request', 'name is required'),
  },
  401: {
    invalid_token: { value: SEED_ERROR_EXAMPLE },
    unauthorized: example('unauthorized'),
  },
  403: { forbidden: example('forbidden') },
  404: { not_found: example('not_found') },
  409: { already_exists: example('already_exists') },
  413: { payload_too_large: example('payload_too_large') },
  415: { unsupported_media_type: example('unsupported_media_type') },
  500: { internal_server_error: example('internal_server_error') },
  503: { service_unavailable: example('service_unavailable') },
};

/**
 * Documents the error statuses a route can return, each with the `Error`
 * schema.
 */
export function ApiErrors(...statuses: HttpStatus[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: STATUS_TEXT[status] ?? 'Error.',
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            examples: EXAMPLES[status],
          },
        },
      }),
    ),
  );
}

/** Errors of a public route that takes a JSON body. */
export const PUBLIC_BODY_ROUTE_ERRORS = [
  HttpStatus.BAD_REQUEST,
  HttpStatus.PAYLOAD_TOO_LARGE,
  HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  HttpStatus.INTERNAL_SERVER_ERROR,
  HttpStatus.SERVICE_UNAVAILABLE,
];

/** Errors of an authenticated route that takes a JSON body (add 404 where a resource may be missing). */
export const BODY_ROUTE_ERRORS = [
  HttpStatus.BAD_REQUEST,
  HttpStatus.UNAUTHORIZED,
  HttpStatus.FORBIDDEN,
  HttpStatus.PAYLOAD_TOO_LARGE,
  HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  HttpStatus.INTERNAL_SERVER_ERROR,
  HttpStatus.SERVICE_UNAVAILABLE,
];

export { ErrorDto };

/** Errors of an authenticated route without a body, on one resource. */
export const READ_ROUTE_ERRORS = [
  HttpStatus.UNAUTHORIZED,
  HttpStatus.FORBIDDEN,
  HttpStatus.NOT_FOUND,
  HttpStatus.INTERNAL_SERVER_ERROR,
  HttpStatus.SERVICE_UNAVAILABLE,
];

/** Errors of an authenticated list route: READ_ROUTE_ERRORS plus 400 for a bad `limit` or `page_token`. */
export const LIST_ROUTE_ERRORS = [HttpStatus.BAD_REQUEST, ...READ_ROUTE_ERRORS];

/** Errors of a list of the caller's own things (no resource in the path to miss). */
export const OWN_LIST_ERRORS = LIST_ROUTE_ERRORS.filter((s) => s !== HttpStatus.NOT_FOUND);
