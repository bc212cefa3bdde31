import { Injectable } from '@nestjs/common';
import { ZONE_VIEWER, type ZonePrivilege, ZonePrivileges } from '../access/zone-privileges.js';
import { ApiError } from '../common/api-error.js';
import type { UpdateZonePrivilegesDto } from './dto/zone-privileges.dto.js';
import { ZonePrivilegesRepository } from './zone-privileges.repository.js';
import { privilegeChange } from './members.service.js';

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
    const { grant, revoke } = privilegeChange(ZonePrivileges, dto);
    if (!(await this.privileges.change(userId, grant, revoke))) throw noUser();
  }

  async clear(userId: string): Promise<void> {
    if (!(await this.privileges.change(userId, 0, ZonePrivileges.allMask))) throw noUser();
  }
}
