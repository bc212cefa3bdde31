import { Body, Controller, Delete, Get, HttpStatus, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Callers, CurrentCaller } from '../auth/auth.decorators.js';
import { ApiDone } from '../common/api-created.js';
import { ApiErrors, BODY_ROUTE_ERRORS, READ_ROUTE_ERRORS } from '../common/api-responses.js';
import { SpacesApi } from '../common/spaces-api.decorator.js';
import type { UserCaller } from './access/space-access.js';
import { ZoneRoute } from './access/zone-route.js';
import { UpdateZonePrivilegesDto, ZonePrivilegeLevelsDto, ZonePrivilegesDto } from './dto/zone-privileges.dto.js';
import { ZonePrivilegesService } from './zone-privileges.service.js';

const UserId = () => ApiParam({ name: 'id', description: 'User ID.', schema: { type: 'string' } });

/** Zone privileges: what a user may do over every space, granted by the administrator. */
@ApiTags('Zone')
@ApiBearerAuth()
@ApiSecurity('X-Auth-Token')
@SpacesApi()
@Controller()
export class ZonePrivilegesController {
  constructor(private readonly privileges: ZonePrivilegesService) {}

  @Get('privileges')
  @Callers('user', 'provider', 'admin')
  @ApiOperation({
    operationId: 'listPrivileges',
    summary: 'List zone privileges',
    description: 'Every zone privilege (admin), and those of a viewer, alphabetically.',
  })
  @ApiOkResponse({ type: ZonePrivilegeLevelsDto })
  @ApiErrors(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN, HttpStatus.INTERNAL_SERVER_ERROR)
  levels(): ZonePrivilegeLevelsDto {
    return this.privileges.levels();
  }

  @Get('user/privileges')
  @Callers('user')
  @ApiOperation({ operationId: 'listCurrentUserPrivileges', summary: "List current user's zone privileges" })
  @ApiOkResponse({ type: ZonePrivilegesDto })
  @ApiErrors(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN, HttpStatus.INTERNAL_SERVER_ERROR)
  async own(@CurrentCaller() caller: UserCaller): Promise<ZonePrivilegesDto> {
    return { privileges: await this.privileges.of(caller.userId) };
  }

  @Get('users/:id/privileges')
  @Callers('admin', 'user')
  @ZoneRoute('oz_view_privileges')
  @UserId()
  @ApiOperation({
    operationId: 'listUserPrivileges',
    summary: "List user's zone privileges",
    description: 'The administrator, or a user holding oz_view_privileges.',
  })
  @ApiOkResponse({ type: ZonePrivilegesDto })
  @ApiErrors(...READ_ROUTE_ERRORS)
  async ofUser(@Param('id') id: string): Promise<ZonePrivilegesDto> {
    return { privileges: await this.privileges.of(id) };
  }

  @Patch('users/:id/privileges')
  @Callers('admin', 'user')
  @ZoneRoute('oz_set_privileges')
  @UserId()
  @ApiOperation({
    operationId: 'updateUserPrivileges',
    summary: "Update user's zone privileges",
    description: 'The administrator, or a user holding oz_set_privileges. An unknown privilege is 400.',
  })
  @ApiBody({ type: UpdateZonePrivilegesDto })
  @ApiDone('The privileges are updated.')
  @ApiErrors(...BODY_ROUTE_ERRORS, HttpStatus.NOT_FOUND)
  async change(@Param('id') id: string, @Body() body: UpdateZonePrivilegesDto): Promise<void> {
    await this.privileges.change(id, body);
  }

  @Delete('users/:id/privileges')
  @Callers('admin', 'user')
  @ZoneRoute('oz_set_privileges')
  @UserId()
  @ApiOperation({
    operationId: 'removeUserPrivileges',
    summary: "Remove user's zone privileges",
    description: 'The administrator, or a user holding oz_set_privileges: the user holds none afterwards.',
  })
  @ApiDone('The user holds no zone privilege.')
  @ApiErrors(...READ_ROUTE_ERRORS)
  async clear(@Param('id') id: string): Promise<void> {
    await this.privileges.clear(id);
  }
}
