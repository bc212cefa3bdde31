import { normalizeRoutePrefix, spacesConfig } from './spaces-module.options.js';

describe('SpacesModule options', () => {
  it('normalises the route prefix: Onezone’s by default, slashes trimmed, / for none', () => {
    expect(normalizeRoutePrefix(undefined)).toBe('/api/v3/onezone');
    expect(normalizeRoutePrefix('onezone')).toBe('/onezone');
    expect(normalizeRoutePrefix('/a/b/')).toBe('/a/b');
    expect(normalizeRoutePrefix('')).toBe('/');
    expect(normalizeRoutePrefix('/')).toBe('/');
  });

  it('becomes the configuration the environment gives, defaults included', () => {
    const config = spacesConfig({ database: { url: 'postgresql://db/spaces', poolSize: 4 }, rateLimit: 0, dataDir: '/srv/spaces' }, '/x');
    expect(config).toMatchObject({
      API_PREFIX: '/x',
      DATABASE_URL: 'postgresql://db/spaces',
      DATABASE_POOL_SIZE: 4,
      DATA_DIR: '/srv/spaces',
      RATE_LIMIT: 0,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      TOKEN_LOCATION: 'onezone',
    });
    expect(spacesConfig({}, '/').API_PREFIX).toBe('');
  });

  it('refuses bad values by their option names, and a database given two ways', () => {
    expect(() => spacesConfig({ tokenCacheSeconds: 301 }, '/')).toThrow(/tokenCacheSeconds must be an integer from 0 to 300/);
    expect(() => spacesConfig({ database: { url: 'mysql://x' } }, '/')).toThrow(/database\.url must be a postgresql:\/\/ connection URL/);
    expect(() => spacesConfig({ database: { url: 'postgresql://x', prisma: {} } as never }, '/')).toThrow(/either url or prisma/);
    expect(() => spacesConfig({ resolveCaller: 'nobody' as never }, '/')).toThrow(/resolveCaller must be a function/);
    expect(() => spacesConfig({ availableSpaceTags: { x: [1] } as never }, '/')).toThrow(/availableSpaceTags must be a JSON object/);
    expect(() => spacesConfig({ marketplaceRejectionBackoffSeconds: -1 }, '/')).toThrow(/marketplaceRejectionBackoffSeconds must be/);
  });

  it('takes the space tags as an object or its JSON, and the Marketplace settings', () => {
    const tags = { science: ['physics', 'biology'], other: ['misc'] };
    expect(spacesConfig({ availableSpaceTags: tags, spaceMarketplaceEnabled: false }, '/')).toMatchObject({
      AVAILABLE_SPACE_TAGS: tags,
      SPACE_MARKETPLACE_ENABLED: false,
    });
    expect(Object.keys(spacesConfig({ availableSpaceTags: JSON.stringify(tags) }, '/').AVAILABLE_SPACE_TAGS)).toEqual(['science', 'other']);
  });
});
