import { type ArgumentMetadata, Injectable, ValidationPipe, type ValidationError } from '@nestjs/common';
import * as classTransformer from 'class-transformer';
import * as classValidator from 'class-validator';
import { ApiError } from './api-error.js';
import { memoiseValidationMetadata } from './validation/metadata-cache.js';

function messages(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([kind, message]) =>
      kind === 'whitelistValidation' ? `unknown field '${path}'` : message,
    );
    // One message per field: the first rule it breaks.
    return [...own.slice(0, 1), ...messages(e.children ?? [], path)];
  });
}

/**
 * The global validation: whitelisted DTOs, unknown fields refused, errors in
 * the error body. A missing body counts as `{}`, so optional bodies work
 * and required fields are reported by name; a body that is not a JSON object
 * is refused.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      // The copies the DTOs' decorators were registered with, not whichever a host's
      // @nestjs/common would find: class-transformer keeps its metadata per copy.
      validatorPackage: classValidator,
      transformerPackage: classTransformer,
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => ApiError.invalidRequest(`${messages(errors).join('; ')}.`),
    });
    memoiseValidationMetadata(classValidator.getMetadataStorage());
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (value === undefined) value = {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw ApiError.invalidRequest('The request body must be a JSON object.');
      }
    }
    return super.transform(value, metadata);
  }
}
