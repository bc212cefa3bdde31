import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PrismaPg } from '@prisma/adapter-pg';
import { migrateSpacesDatabase, PrismaClient } from 'spaces-service';
import { HostModule, type HostSpacesSettings } from './host.module.js';

/**
 * The example host: on PostgreSQL when DATABASE_URL is set (its own Prisma
 * client, the spaces migrations applied first), else on the embedded database.
 */
async function bootstrap(): Promise<void> {
  const url = process.env.DATABASE_URL;
  let spaces: HostSpacesSettings = { dataDir: process.env.DATA_DIR ?? './data-host', tokenSecret: process.env.TOKEN_SECRET };
  let prisma: PrismaClient | undefined;
  if (url) {
    await migrateSpacesDatabase(url);
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    spaces = { ...spaces, database: { prisma } };
  }
  const app = await NestFactory.create<NestFastifyApplication>(HostModule.forRoot(spaces), new FastifyAdapter());
  app.setGlobalPrefix('platform');
  await app.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`Host platform on ${await app.getUrl()}/platform; spaces under /platform/onezone\n`);
  const stop = async () => {
    await app.close();
    await prisma?.$disconnect(); // the host's client: the host closes it
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

void bootstrap();
