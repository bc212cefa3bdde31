import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { APP_CONFIG, CONFIG_NAMESPACE, ConfigModule } from './config.module.js';
import type { AppConfig } from './environment.js';

describe('ConfigModule', () => {
  it('validates the given environment and serves it through ConfigService, without touching process.env', async () => {
    const before = { ...process.env };
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({ PORT: '8123', RATE_LIMIT: '7', DATA_DIR: '/tmp/spaces-config-spec', ADMIN_TOKEN: 'admin-token-0123456789' }),
      ],
    }).compile();
    const config = moduleRef.get(ConfigService);
    expect(config.get<number>(`${CONFIG_NAMESPACE}.PORT`)).toBe(8123);
    expect(config.get<number>(`${CONFIG_NAMESPACE}.RATE_LIMIT`)).toBe(7);
    expect(config.get<string>(`${CONFIG_NAMESPACE}.API_PREFIX`)).toBe('/api/v3/onezone');
    expect(moduleRef.get<AppConfig>(APP_CONFIG).RATE_LIMIT).toBe(7);
    expect(Object.isFrozen(moduleRef.get<AppConfig>(APP_CONFIG))).toBe(true);
    expect(config.get('PATH')).toBeUndefined(); // only the validated settings, not the process environment
    expect(process.env).toEqual(before);
  });

  it('refuses an invalid environment, naming the variable', async () => {
    await expect(Test.createTestingModule({ imports: [ConfigModule.forRoot({ RATE_LIMIT: '-1' })] }).compile()).rejects.toThrow(
      /RATE_LIMIT must be an integer from 0 to 1000000000/,
    );
  });
});
