import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Observable } from 'rxjs';
import { ApiError } from './api-error.js';

export const BODY_LIMIT = '1mb';
const JSON_TYPES = ['application/json', 'application/*+json'];

type BodyRequest = Request & { bodyError?: unknown };

/**
 * Parses JSON bodies, but keeps a body's fault (not JSON: 415, malformed:
 * 400, too large: 413) on the request instead of answering at once, so that
 * routes check in Onezone's order: authenticate → authorise → validate.
 * BodyErrorInterceptor raises it once the guards have passed.
 */
export function parseJsonBodies(): RequestHandler {
  const parse = express.json({ limit: BODY_LIMIT, type: JSON_TYPES, strict: true });
  return (req: BodyRequest, res: Response, next: NextFunction) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
    if (hasBody && !req.is(JSON_TYPES)) {
      req.bodyError = new ApiError('unsupported_media_type');
      next();
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (error) req.bodyError = error;
      next();
    });
  };
}

/** Raises the body fault parseJsonBodies kept, after authentication and authorisation. */
@Injectable()
export class BodyErrorInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const error = context.switchToHttp().getRequest<BodyRequest>().bodyError;
    if (error !== undefined) throw error;
    return next.handle();
  }
}
