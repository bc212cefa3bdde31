import { HttpException, HttpStatus } from '@nestjs/common';
import { ERRORS, type ErrorBody, type ErrorCode } from './error-codes.js';

/** An error the caller caused or may retry; rendered as the error body. */
export class ApiError extends HttpException {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, description?: string, status?: HttpStatus) {
    const body: ErrorBody = { error: code, error_description: description ?? ERRORS[code].description };
    super(body, status ?? ERRORS[code].status);
    this.code = code;
    this.message = `${code}: ${body.error_description}`;
  }

  get body(): ErrorBody {
    return this.getResponse() as ErrorBody;
  }

  static invalidRequest(description: string): ApiError {
    return new ApiError('invalid_request', description);
  }

  /** A token given in the body failed a check; the reason stays in the log. */
  static invalidToken(): ApiError {
    return new ApiError('invalid_token');
  }

  /** The bearer token failed (401). */
  static invalidBearer(): ApiError {
    return new ApiError('invalid_token', undefined, HttpStatus.UNAUTHORIZED);
  }

  static unauthorized(): ApiError {
    return new ApiError('unauthorized');
  }

  static forbidden(description?: string): ApiError {
    return new ApiError('forbidden', description);
  }

  static notFound(description?: string): ApiError {
    return new ApiError('not_found', description);
  }

  static alreadyExists(description?: string): ApiError {
    return new ApiError('already_exists', description);
  }
}
