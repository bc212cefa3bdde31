import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
export type Http = ReturnType<typeof request>;
import { AppModule } from '../../src/app.module.js';
import { configureApp, createHttpAdapter } from '../../src/app.setup.js';
import { loadConfig } from '../../src/config/environment.js';
import { PrismaService } from '../../src/database/prisma.service.js';
import { dropDatabase, onPostgres, seededDataDir, seededDatabase } from './databases.js';

export const PREFIX = '/api/v3/onezone';

export interface TestEnv {
  DATA_DIR: string;
  DATABASE_URL?: string;
  ADMIN_TOKEN: string;
  TOKEN_SECRET: string;
  LOG_LEVEL: string;
  [key: string]: string | undefined;
}

/** Storage for one test file: a seeded DATA_DIR, and a PostgreSQL database when DATABASE_URL is set. */
export async function testEnv(overrides: Partial<TestEnv> = {}): Promise<TestEnv> {
  const env: TestEnv = {
    DATA_DIR: await seededDataDir(),
    ADMIN_TOKEN: `admin-${randomBytes(16).toString('hex')}`,
    TOKEN_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    // The suites make thousands of requests as a few callers; limits.e2e tests the limit itself.
    RATE_LIMIT: '1000000',
    ...overrides,
  };
  if (onPostgres() && !overrides.DATABASE_URL) env.DATABASE_URL = await seededDatabase();
  return env;
}

export async function disposeEnv(env: TestEnv): Promise<void> {
  if (env.DATABASE_URL) await dropDatabase(env.DATABASE_URL);
  await rm(env.DATA_DIR, { recursive: true, force: true });
}

export interface TestApp {
  app: NestFastifyApplication;
  http: Http;
  env: TestEnv;
  prisma: PrismaService;
  close(): Promise<void>;
}

/**
 * The whole application, as main.ts builds it, on the test file's database.
 * `override` may swap providers through DI (to inject failures).
 */
export async function startApp(
  env: TestEnv,
  override: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b,
  /** Where to listen; another machine's browser needs more than loopback. */
  host = '127.0.0.1',
): Promise<TestApp> {
  const moduleRef = await override(Test.createTestingModule({ imports: [AppModule.forRoot(env)] })).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(loadConfig(env)), {
    bodyParser: false,
    logger: false,
  });
  await configureApp(app);
  await app.listen(0, host);
  return {
    app,
    http: request(app.getHttpServer()),
    env,
    prisma: app.get(PrismaService),
    close: () => app.close(),
  };
}
