import { Injectable } from '@nestjs/common';
import { ZONE_VIEWER, type ZonePrivilege, ZonePrivileges } from '../access/zone-privileges.js';
import { ApiError } from '../common/api-error.js';
import type { UpdateZonePrivilegesDto } from './dto/zone-privileges.dto.js';
import { ZonePrivilegesRepository } from './zone-privileges.repository.js';

const noUser = () => ApiError.notFound('There is no such user.');

/** Users' zone privileges: reading, granting and revoking them. Who may was decided by the route. */
@Injectable()
export class ZonePrivilegesService {
  constructor(private readonly privileges: ZonePrivilegesRepository) {}

  levels(): { admin: ZonePrivilege[]; viewer: ZonePrivilege[] } {
    return { admin: [...ZonePrivileges.all], viewer: ZonePrivileges.names(ZonePrivileges.mask(ZONE_VIEWER)) };
  }

  async of(userId: string): Promise<ZonePrivilege[]> {
    const mask = await this.privileges.of(userId);
    if (mask === null) throw noUser();
    return ZonePrivileges.names(mask);
  }

  async change(userId: string, dto: UpdateZonePrivilegesDto): Promise<void> {
    const grant = dto.grant ?? [];
    const revoke = dto.revoke ?? [];
    if (grant.length === 0 && revoke.length === 0) throw ApiError.invalidRequest('grant or revoke must name at least one privilege.');
    const both = grant.filter((p) => revoke.includes(p));
    if (both.length > 0) throw ApiError.invalidRequest(`Both granted and revoked: ${[...new Set(both)].join(', ')}.`);
    if (!(await this.privileges.change(userId, ZonePrivileges.mask(grant), ZonePrivileges.mask(revoke)))) throw noUser();
  }

  async clear(userId: string): Promise<void> {
    if (!(await this.privileges.change(userId, 0, ZonePrivileges.allMask))) throw noUser();
  }
}
