import type { ValidationOptions } from 'class-validator';
import { rule } from './rule.js';

/**
 * The field must be present (not undefined). Unlike @IsDefined, null counts as
 * present, so that a null value is reported by the field's own rule.
 */
export const IsGiven = (options: ValidationOptions & { message: string }): PropertyDecorator =>
  rule(
    'isGiven',
    (value) => value !== undefined,
    () => options.message,
  )(options);
