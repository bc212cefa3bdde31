import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service.js';

@Injectable()
export class IdentitiesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async createUser(id: string, name: string): Promise<void> {
    await this.prisma.user.create({ data: { id, name } });
  }

  async createProvider(id: string, name: string, capacity: bigint | null): Promise<void> {
    await this.prisma.provider.create({ data: { id, name, capacity } });
  }

  async userExists(id: string): Promise<boolean> {
    return (await this.prisma.user.count({ where: { id } })) > 0;
  }

  async providerExists(id: string): Promise<boolean> {
    return (await this.prisma.provider.count({ where: { id } })) > 0;
  }
}
