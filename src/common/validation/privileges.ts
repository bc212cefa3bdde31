import { registerDecorator, type ValidationOptions } from 'class-validator';
import { GroupPrivileges, SpacePrivileges } from '../../access/privileges.js';

type Catalogue = typeof SpacePrivileges | typeof GroupPrivileges;

function privilegeList(catalogue: Catalogue, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isPrivilegeList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property, value }) => {
          if (!Array.isArray(value)) return `${property} must be an array of privilege names`;
          const unknown = value.filter((v) => !catalogue.isPrivilege(v)).map((v) => JSON.stringify(v));
          if (unknown.length === 0) return `${property} lists too many privileges`;
          return `${property} has unknown privileges: ${unknown.slice(0, 10).join(', ')} (known: ${catalogue.all.join(', ')})`;
        },
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) && value.length <= catalogue.all.length * 4 && value.every((v) => catalogue.isPrivilege(v)),
      },
    });
}

/** An array of space privilege names, each known; repeats are harmless. */
export function IsPrivilegeList(options?: ValidationOptions): PropertyDecorator {
  return privilegeList(SpacePrivileges, options);
}

/** An array of group privilege names, each known; repeats are harmless. */
export function IsGroupPrivilegeList(options?: ValidationOptions): PropertyDecorator {
  return privilegeList(GroupPrivileges, options);
}
