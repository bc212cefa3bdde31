import type { getMetadataStorage } from 'class-validator';

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type Lookup = MetadataStorage['getTargetValidationMetadatas'];
type ValidationMetadata = ReturnType<Lookup>[number];
type Grouped = ReturnType<MetadataStorage['groupByPropertyName']>;

const MEMOISED = Symbol.for('spaces.validation-metadata-memoised');

/**
 * Keeps class-validator's answers to "which rules does this class have" for
 * as long as no rule is added. On every validation class-validator looks them
 * up again: it filters the class's own rules and tests the class against
 * every other class that has any (`instanceof`, for inherited rules), then
 * groups them by property, which on a service of many DTOs was most of the
 * validator's own time. The answer depends only on the registered rules and
 * the lookup's arguments, so it is cached per class and arguments, with its
 * grouping, and forgotten whenever a rule is registered (a class loaded late,
 * a host's own DTOs; a schema's rules are registered one by one the same
 * way). Lookups with validation groups are not cached.
 *
 * Installs itself once per storage (class-validator keeps one per process);
 * the cached arrays are never changed by class-validator, which only reads them.
 */
export function memoiseValidationMetadata(storage: MetadataStorage): void {
  const target = storage as MetadataStorage & { [MEMOISED]?: true };
  if (target[MEMOISED]) return;
  target[MEMOISED] = true;

  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addValidation = storage.addValidationMetadata.bind(storage);
  let lookups = new Map<unknown, Map<string, ValidationMetadata[]>>();
  /** The groupings of the lists this cache handed out (a list another caller made may change). */
  let groupings = new WeakMap<ValidationMetadata[], Grouped>();
  const forget = () => {
    lookups = new Map();
    groupings = new WeakMap();
  };

  storage.getTargetValidationMetadatas = (constructor, schema, always, strictGroups, groups) => {
    if (groups && groups.length > 0) return lookup(constructor, schema, always, strictGroups, groups);
    const key = `${schema}\u0000${always}\u0000${strictGroups}`;
    let byArguments = lookups.get(constructor);
    if (!byArguments) lookups.set(constructor, (byArguments = new Map<string, ValidationMetadata[]>()));
    let found = byArguments.get(key);
    if (!found) {
      byArguments.set(key, (found = lookup(constructor, schema, always, strictGroups, groups)));
      groupings.set(found, group(found));
    }
    return found;
  };
  storage.groupByPropertyName = (metadata) => groupings.get(metadata) ?? group(metadata);
  storage.addValidationMetadata = (metadata) => {
    forget();
    addValidation(metadata);
  };
}
