import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * The field must be present (not undefined). Unlike @IsDefined, null counts as
 * present, so that a null value is reported by the field's own rule.
 */
export function IsGiven(options: ValidationOptions & { message: string }): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isGiven',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: { validate: (value: unknown) => value !== undefined },
    });
}
