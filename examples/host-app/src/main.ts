import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PrismaPg } from '@prisma/adapter-pg';
import { migrateSpacesDatabase, PrismaClient } from 'spaces-service';
import { HostModule, type HostSpacesSettings } from './host.module.js';

/**
 * The example host, on Express (Nest's default) or, with HOST_PLATFORM=fastify,
 * on Fastify. On PostgreSQL when DATABASE_URL is set (its own Prisma client,
 * the spaces migrations applied first), else on the embedded database.
 */
export async function createHost(platform: 'express' | 'fastify', spaces: HostSpacesSettings): Promise<INestApplication> {
  const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(HostModule.forRoot(spaces), adapter, { logger: ['error', 'warn'] });
  app.setGlobalPrefix('platform');
  return app;
}

async function bootstrap(): Promise<void> {
  const url = process.env.DATABASE_URL;
  let spaces: HostSpacesSettings = { dataDir: process.env.DATA_DIR ?? './data-host', tokenSecret: process.env.TOKEN_SECRET };
  let prisma: PrismaClient | undefined;
  if (url) {
    await migrateSpacesDatabase(url);
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    spaces = { ...spaces, database: { prisma } };
  }
  const app = await createHost(process.env.HOST_PLATFORM === 'fastify' ? 'fastify' : 'express', spaces);
  await app.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`Host platform on ${await app.getUrl()}/platform; spaces under /platform/onezone\n`);
  const stop = async () => {
    await app.close();
    await prisma?.$disconnect(); // the host's client: the host closes it
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) void bootstrap();
