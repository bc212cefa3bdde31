import path from 'node:path';
import { DEFAULT_SPACE_TAGS } from './space-tags.js';
import { ConfigError, loadConfig } from './environment.js';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      PORT: 3000,
      HOST: '0.0.0.0',
      API_PREFIX: '/api/v3/onezone',
      DATABASE_POOL_SIZE: 10,
      DATABASE_REPLICA_FRESH_SECONDS: 5,
      REQUEST_DEADLINE_SECONDS: 0,
      TOKEN_CACHE_SECONDS: 2,
      TEMPORARY_TOKEN_MAX_TTL: 2592000,
      LOG_FORMAT: 'auto',
      METRICS_ENABLED: true,
      DATA_DIR: path.resolve('./data'),
      TOKEN_LOCATION: 'onezone',
      RATE_LIMIT: 1000,
      RATE_LIMIT_WINDOW_SECONDS: 60,
      IDEMPOTENCY_KEY_HOURS: 24,
      GROUP_MAX_DEPTH: 32,
      MEMBERSHIP_CHANGE_MAX_ROWS: 100_000,
      CORS_ORIGINS: '*',
      TRUST_PROXY: 'false',
      AVAILABLE_SPACE_TAGS: DEFAULT_SPACE_TAGS,
      SPACE_MARKETPLACE_ENABLED: true,
      MARKETPLACE_REMINDER_BACKOFF_SECONDS: 86_400,
      MARKETPLACE_REJECTION_BACKOFF_SECONDS: 86_400,
      LOG_LEVEL: 'info',
    });
  });

  it('reads the space tags as a JSON object, the Marketplace switch and its backoffs', () => {
    const config = loadConfig({
      AVAILABLE_SPACE_TAGS: '{"x":["a","b"],"y":[]}',
      SPACE_MARKETPLACE_ENABLED: 'false',
      MARKETPLACE_REMINDER_BACKOFF_SECONDS: '0',
      MARKETPLACE_REJECTION_BACKOFF_SECONDS: '31536000',
    });
    expect(config).toMatchObject({
      AVAILABLE_SPACE_TAGS: { x: ['a', 'b'], y: [] },
      SPACE_MARKETPLACE_ENABLED: false,
      MARKETPLACE_REMINDER_BACKOFF_SECONDS: 0,
      MARKETPLACE_REJECTION_BACKOFF_SECONDS: 31_536_000,
    });
    for (const [name, value] of [
      ['AVAILABLE_SPACE_TAGS', '[1]'],
      ['SPACE_MARKETPLACE_ENABLED', 'yes'],
      ['MARKETPLACE_REMINDER_BACKOFF_SECONDS', '31536001'],
      ['MARKETPLACE_REJECTION_BACKOFF_SECONDS', '-1'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
    }
  });

  it('reads every variable, treating empty as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      API_PREFIX: '/',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/spaces',
      DATABASE_POOL_SIZE: '20',
      DATA_DIR: '/var/lib/spaces',
      ADMIN_TOKEN: 'admin-token-0123456789',
      TOKEN_SECRET: 'x'.repeat(32),
      TOKEN_LOCATION: 'zone.example.org',
      LOG_LEVEL: 'debug',
      RATE_LIMIT: '0',
      RATE_LIMIT_WINDOW_SECONDS: '1',
      CORS_ORIGINS: 'https://app.example.org, http://localhost:8080',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
      GROUP_MAX_DEPTH: '1000',
      MEMBERSHIP_CHANGE_MAX_ROWS: '1',
      UNRELATED: 'ignored',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      API_PREFIX: '',
      DATABASE_POOL_SIZE: 20,
      LOG_LEVEL: 'debug',
      RATE_LIMIT: 0,
      RATE_LIMIT_WINDOW_SECONDS: 1,
      CORS_ORIGINS: 'https://app.example.org, http://localhost:8080',
      TRUST_PROXY: '10.0.0.0/8,127.0.0.1',
    });
    expect(loadConfig({ API_PREFIX: '' }).API_PREFIX).toBe('/api/v3/onezone');
  });

  it.each([
    ['PORT', 'abc', /PORT must be an integer from 0 to 65535 \(got "abc"\)/],
    ['PORT', '70000', /PORT must be an integer from 0 to 65535/],
    ['PORT', '-1', /PORT must be an integer/],
    ['API_PREFIX', 'api', /API_PREFIX must be \/ or a path/],
    ['API_PREFIX', '/api/', /API_PREFIX/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must be a postgresql:\/\/ connection URL$/],
    ['DATABASE_POOL_SIZE', '0', /DATABASE_POOL_SIZE must be an integer from 1 to 1000/],
    ['DATABASE_REPLICA_URL', 'mysql://x', /DATABASE_REPLICA_URL must be a postgresql:\/\/ connection URL$/],
    ['DATABASE_REPLICA_FRESH_SECONDS', '3601', /DATABASE_REPLICA_FRESH_SECONDS must be an integer from 0 to 3600/],
    ['REQUEST_DEADLINE_SECONDS', '301', /REQUEST_DEADLINE_SECONDS must be an integer from 0 to 300/],
    ['REDIS_URL', 'http://x', /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL$/],
    ['TOKEN_CACHE_SECONDS', '301', /TOKEN_CACHE_SECONDS must be an integer from 0 to 300/],
    ['TOKEN_CACHE_SECONDS', '-1', /TOKEN_CACHE_SECONDS must be an integer from 0 to 300/],
    ['LOG_FORMAT', 'fancy', /LOG_FORMAT must be one of auto, json, pretty/],
    ['TEMPORARY_TOKEN_MAX_TTL', '59', /TEMPORARY_TOKEN_MAX_TTL must be an integer from 60 to 31536000/],
    ['TEMPORARY_TOKEN_MAX_TTL', '31536001', /TEMPORARY_TOKEN_MAX_TTL must be an integer from 60 to 31536000/],
    ['ADMIN_TOKEN', 'short', /ADMIN_TOKEN must be 16 to 4096 printable ASCII characters/],
    ['ADMIN_TOKEN', 'has a space in it, quite long', /ADMIN_TOKEN/],
    ['TOKEN_SECRET', 'too-short', /TOKEN_SECRET must be at least 32 characters long$/],
    ['TOKEN_LOCATION', 'with space', /TOKEN_LOCATION/],
    ['RATE_LIMIT', '-5', /RATE_LIMIT must be an integer from 0 to 1000000000/],
    ['RATE_LIMIT', 'lots', /RATE_LIMIT must be an integer/],
    ['RATE_LIMIT_WINDOW_SECONDS', '0', /RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400/],
    ['IDEMPOTENCY_KEY_HOURS', '23', /IDEMPOTENCY_KEY_HOURS must be an integer from 24 to 8760/],
    ['CORS_ORIGINS', 'app.example.org', /CORS_ORIGINS must be \* or a comma-separated list of origins/],
    ['CORS_ORIGINS', 'https://a.org/path', /CORS_ORIGINS/],
    ['TRUST_PROXY', 'yes please', /TRUST_PROXY must be true, false, a number of hops/],
    ['GROUP_MAX_DEPTH', '1', /GROUP_MAX_DEPTH must be an integer from 2 to 1000/],
    ['GROUP_MAX_DEPTH', '1001', /GROUP_MAX_DEPTH must be an integer from 2 to 1000/],
    ['GROUP_MAX_DEPTH', 'deep', /GROUP_MAX_DEPTH must be an integer from 2 to 1000/],
    ['MEMBERSHIP_CHANGE_MAX_ROWS', '0', /MEMBERSHIP_CHANGE_MAX_ROWS must be an integer from 1 to 100000000/],
    ['MEMBERSHIP_CHANGE_MAX_ROWS', '100000001', /MEMBERSHIP_CHANGE_MAX_ROWS must be an integer from 1 to 100000000/],
    ['LOG_LEVEL', 'verbose', /LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
  ])('refuses %s=%j with a message naming it', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('never echoes a secret value in its message', () => {
    try {
      loadConfig({ TOKEN_SECRET: 'leaky-secret' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect((error as Error).message).not.toContain('leaky-secret');
    }
  });

  it('reports every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT.*; LOG_LEVEL/);
  });
});
