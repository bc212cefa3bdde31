import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * A class-validator property decorator from a predicate and a message naming
 * the property; options may override the message.
 */
export function rule(
  name: string,
  validate: (value: unknown) => boolean,
  message: (property: string) => string,
): (options?: ValidationOptions) => PropertyDecorator {
  return (options) => (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property }) => message(property), ...options },
      validator: { validate },
    });
}
