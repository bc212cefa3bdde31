/** The tags spaces may carry, by category (AVAILABLE_SPACE_TAGS). A tag may sit in several categories. */
export type SpaceTagCatalogue = Readonly<Record<string, readonly string[]>>;

export const MAX_TAG_LENGTH = 64;

/** Onezone's shipped list. */
export const DEFAULT_SPACE_TAGS: SpaceTagCatalogue = Object.freeze({
  general: [
    'archival',
    'big-data',
    'copyrighted',
    'demo',
    'dynamic',
    'experiment',
    'EU-funded',
    'images',
    'incomplete',
    'multidimensional-data',
    'open-data',
    'open-science',
    'preliminary',
    'raw-data',
    'simulation',
    'spatial-data',
    'static',
    'text-data',
    'training-set',
    'videos',
  ],
  domains: [
    'agriculture',
    'culture',
    'economy',
    'education',
    'energy',
    'environment',
    'finance',
    'fisheries',
    'food',
    'forestry',
    'government',
    'health',
    'international-issues',
    'justice',
    'legal-system',
    'population',
    'public-safety',
    'public-sector',
    'regions-and-cities',
    'science',
    'society',
    'sport',
    'technology',
    'transport',
  ],
});

/** Characters as code points, as every length rule of space fields counts them. */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function isSpaceTagCatalogue(value: unknown): value is SpaceTagCatalogue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([category, tags]) =>
      category.length > 0 &&
      Array.isArray(tags) &&
      tags.every((t) => typeof t === 'string' && codePoints(t) >= 1 && codePoints(t) <= MAX_TAG_LENGTH),
  );
}

/** Every configured tag, whatever its category. */
export function allowedTags(catalogue: SpaceTagCatalogue): ReadonlySet<string> {
  return new Set(Object.values(catalogue).flat());
}
