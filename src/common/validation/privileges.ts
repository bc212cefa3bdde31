import { registerDecorator, type ValidationOptions } from 'class-validator';
import { ALL_PRIVILEGES, isPrivilege } from '../../spaces/privileges.js';

/** An array of space privilege names, each known; repeats are harmless. */
export function IsPrivilegeList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPrivilegeList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property, value }) => {
          if (!Array.isArray(value)) return `${property} must be an array of privilege names`;
          const unknown = value.filter((v) => !isPrivilege(v)).map((v) => JSON.stringify(v));
          return `${property} has unknown privileges: ${unknown.join(', ')} (known: ${ALL_PRIVILEGES.join(', ')})`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) && value.length <= ALL_PRIVILEGES.length * 4 && value.every(isPrivilege),
      },
    });
}
