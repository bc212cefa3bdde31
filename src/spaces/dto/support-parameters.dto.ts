import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ValidateIf } from 'class-validator';
import { DIR_STATS_STATUSES, type DirStatsServiceStatus } from '../../access/access.repository.js';
import { rule } from '../../common/validation/rule.js';
import { IsStrictBoolean } from '../../common/validation/space-metadata.js';

const given = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined && o[key] !== null;

const IsDirStatsStatus = rule(
  'isDirStatsStatus',
  (value) => typeof value === 'string' && (DIR_STATS_STATUSES as readonly string[]).includes(value),
  (p) => `${p} must be one of ${DIR_STATS_STATUSES.join(', ')}`,
);

@ApiSchema({
  name: 'SpaceSupportParametersUpdate',
  description: 'Support parameters to change: at least one field; null leaves a field as it is.',
})
export class UpdateSupportParametersDto {
  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description: 'The supporting provider itself and the administrator. Needs dirStatsServiceEnabled.',
  })
  @ValidateIf(given('accountingEnabled'))
  @IsStrictBoolean()
  accountingEnabled?: boolean | null;

  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description: 'The supporting provider itself, members with space_update and the administrator.',
  })
  @ValidateIf(given('dirStatsServiceEnabled'))
  @IsStrictBoolean()
  dirStatsServiceEnabled?: boolean | null;

  @ApiPropertyOptional({
    enum: DIR_STATS_STATUSES,
    nullable: true,
    description: 'The state the supporting provider reports (the provider itself only).',
  })
  @ValidateIf(given('dirStatsServiceStatus'))
  @IsDirStatsStatus()
  dirStatsServiceStatus?: DirStatsServiceStatus | null;
}

/** The parameters a provider may ask for when it supports a space. */
export interface RequestedSupportParameters {
  accountingEnabled?: boolean;
  dirStatsServiceEnabled?: boolean;
}

const REQUESTED_KEYS = ['accountingEnabled', 'dirStatsServiceEnabled'];

/** `{accountingEnabled?, dirStatsServiceEnabled?}`, booleans, nothing else. */
export const IsRequestedSupportParameters = rule(
  'isRequestedSupportParameters',
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([k, v]) => REQUESTED_KEYS.includes(k) && typeof v === 'boolean'),
  (p) => `${p} must be an object of accountingEnabled and dirStatsServiceEnabled, each true or false`,
);
