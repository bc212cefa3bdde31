import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Allow, IsBoolean, IsString, MaxLength, ValidateIf } from 'class-validator';
import { GROUP_PRIVILEGES, GroupPrivileges, SPACE_PRIVILEGES, SpacePrivileges } from '../../access/privileges.js';
import { PageDto } from '../../common/pagination/page-query.dto.js';
import { ID_EXAMPLE } from '../../common/subject.dto.js';
import { IsName, NAME_MAX_LENGTH, NAME_MIN_LENGTH } from '../../common/validation/names.js';
import { IsGiven } from '../../common/validation/presence.js';
import { sizeJson } from '../../common/validation/sizes.js';
import { type Caveat, caveatToJson, parseCaveat } from '../caveats/caveats.js';
import { unixSeconds } from '../token-codec.js';
import { inviteKindOfType, typeJson, type TypeJson } from '../token-kinds.js';
import { MAX_TOKEN_LENGTH } from '../token-codec.js';
import { TokenField } from '../token-field.js';
import { TokenTargetDto } from './tokens.dto.js';
import type { TokenRecord } from '../tokens.repository.js';

const present = (key: string) => (o: Record<string, unknown>) => o[key] !== undefined;

const TYPE_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: true,
  description:
    'What the token is, an object with exactly one key: `{"accessToken": {}}` (the default), `{"identityToken": {}}` or ' +
    '`{"inviteToken": {"inviteType": "userJoinSpace" | "groupJoinSpace" | "supportSpace", "spaceId": …}}` / ' +
    '`{"inviteToken": {"inviteType": "userJoinGroup" | "groupJoinGroup", "groupId": …}}`. Answers also show ' +
    '`{"spaceCreationToken": {}}` and `{"providerSupportToken": {}}` for the tokens of POST /user/spaces/token and POST /provider/spaces/token.',
  example: { accessToken: {} },
};

const CAVEATS_SCHEMA = {
  type: 'array' as const,
  items: { oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }] } as ApiPropertyOptions['items'],
  description:
    'Caveats, each an object (`{"type": "time", "validUntil": 1893456000}`, `{"type": "ip", "whitelist": ["10.0.0.0/8"]}`, ' +
    '`{"type": "interface", "interface": "rest"}`, `{"type": "api", "whitelist": ["ozw/get/space.*.*:*"]}`, ' +
    '`{"type": "consumer", "whitelist": ["usr-<id>"]}`, `{"type": "service", "whitelist": ["opw-*"]}`, `{"type": "data.readonly"}`, ' +
    '`data.path`, `data.objectid`) or its serialised form (`"time < 1893456000"`). See docs/tokens.md.',
  example: [{ type: 'time', validUntil: 1893456000 }],
};

const CUSTOM_METADATA_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  additionalProperties: true,
  description: "The holder's own JSON object, kept with the token (at most 64 KiB).",
  example: { job: 'nightly-sync' },
};

const NAME_SCHEMA = {
  description: `Unique among the subject's tokens; ${NAME_MIN_LENGTH}–${NAME_MAX_LENGTH} characters (the name rule of spaces).`,
  example: 'ci-1',
  minLength: NAME_MIN_LENGTH,
  maxLength: NAME_MAX_LENGTH,
};

@ApiSchema({ name: 'NamedTokenCreateRequest', description: 'A named token to create.' })
export class NamedTokenCreateDto {
  @ApiProperty(NAME_SCHEMA)
  @IsName()
  @IsGiven({ message: 'name is required' })
  name: string;

  @ApiPropertyOptional(TYPE_SCHEMA)
  @Allow()
  type?: unknown;

  @ApiPropertyOptional(CAVEATS_SCHEMA)
  @Allow()
  caveats?: unknown;

  @ApiPropertyOptional(CUSTOM_METADATA_SCHEMA)
  @Allow()
  customMetadata?: unknown;

  @ApiPropertyOptional({ description: 'Create the token revoked (PATCH can reinstate it).', default: false })
  @ValidateIf(present('revoked'))
  @IsBoolean({ message: 'revoked must be a boolean' })
  revoked?: boolean;

  @ApiPropertyOptional({
    description: 'Invite tokens only: how many times it may be used, or "infinity" (the default).',
    oneOf: [
      { type: 'integer', minimum: 1 },
      { type: 'string', enum: ['infinity'] },
    ],
    example: 5,
  })
  @Allow()
  usageLimit?: unknown;

  @ApiPropertyOptional({
    description:
      'Invite tokens that carry privileges only: what a joiner gets (default: the member level). Beyond it, ' +
      'creating the invite needs space_set_privileges (or group_set_privileges).',
    type: 'array',
    items: { type: 'string', enum: [...SPACE_PRIVILEGES, ...GROUP_PRIVILEGES] },
  })
  @Allow()
  privileges?: unknown;
}

@ApiSchema({ name: 'TemporaryTokenCreateRequest', description: 'A temporary token to create: a time caveat is required.' })
export class TemporaryTokenCreateDto {
  @ApiPropertyOptional(TYPE_SCHEMA)
  @Allow()
  type?: unknown;

  @ApiProperty({
    ...CAVEATS_SCHEMA,
    description: `${CAVEATS_SCHEMA.description} At least one time caveat, at most TEMPORARY_TOKEN_MAX_TTL ahead.`,
  })
  @Allow()
  caveats?: unknown;
}

@ApiSchema({ name: 'NamedTokenUpdateRequest', description: 'What to change in a named token: at least one field.' })
export class NamedTokenUpdateDto {
  @ApiPropertyOptional(NAME_SCHEMA)
  @ValidateIf(present('name'))
  @IsName()
  name?: string;

  @ApiPropertyOptional({ ...CUSTOM_METADATA_SCHEMA, description: 'Replaces the custom metadata as a whole.' })
  @Allow()
  customMetadata?: unknown;

  @ApiPropertyOptional({ description: 'Revoke (true) or reinstate (false) the token.' })
  @ValidateIf(present('revoked'))
  @IsBoolean({ message: 'revoked must be a boolean' })
  revoked?: boolean;
}

@ApiSchema({ name: 'NamedTokenCreated', description: 'The new token: the only answer that carries it besides GET /tokens/named/{id}.' })
export class NamedTokenCreatedDto {
  @ApiProperty({ example: ID_EXAMPLE })
  tokenId: string;

  @ApiProperty({ description: 'The serialised token.', maxLength: MAX_TOKEN_LENGTH })
  token: string;
}

@ApiSchema({ name: 'SerializedToken', description: 'A serialised token.' })
export class SerializedTokenDto {
  @ApiProperty({ description: 'The serialised token.', maxLength: MAX_TOKEN_LENGTH })
  token: string;
}

@ApiSchema({ name: 'TokenIdList', description: 'Named token ids, in id order.' })
export class TokenIdListDto extends PageDto {
  @ApiProperty({ type: [String], example: [ID_EXAMPLE] })
  tokens: string[];
}

@ApiSchema({ name: 'TemporaryTokenGeneration', description: "The current generation of a subject's temporary tokens." })
export class GenerationDto {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  generation: number;
}

@ApiSchema({ name: 'TokenStatus', description: 'Whether a named token is revoked.' })
export class TokenStatusDto {
  @ApiProperty()
  revoked: boolean;
}

@ApiSchema({ name: 'TokenSubject', description: 'Whom a token belongs to.' })
export class TokenSubjectDto {
  @ApiProperty({ enum: ['user', 'oneprovider'] })
  type: 'user' | 'oneprovider';

  @ApiProperty({ example: ID_EXAMPLE })
  id: string;
}

@ApiSchema({ name: 'NamedTokenMetadata', description: 'When a named token was made, its custom metadata, and for invites their limits.' })
export class NamedTokenMetadataDto {
  @ApiProperty({ type: 'integer', description: 'Unix time (seconds).' })
  creationTime: number;

  @ApiProperty({ type: 'object', additionalProperties: true })
  custom: Record<string, unknown>;

  @ApiPropertyOptional({ oneOf: [{ type: 'integer' }, { type: 'string', enum: ['infinity'] }] })
  usageLimit?: number | 'infinity';

  @ApiPropertyOptional({ type: 'integer' })
  usageCount?: number;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string' }, nullable: true })
  privileges?: string[] | null;

  @ApiPropertyOptional({ description: 'Provider support tokens: the largest support size, in bytes.', nullable: true })
  maxSize?: number | string | null;
}

@ApiSchema({ name: 'NamedToken', description: 'A named token, with its serialised form.' })
export class NamedTokenDto {
  @ApiProperty({ example: ID_EXAMPLE })
  id: string;

  @ApiProperty({ example: 'ci-1' })
  name: string;

  @ApiProperty({ type: TokenSubjectDto })
  subject: TokenSubjectDto;

  @ApiProperty(TYPE_SCHEMA)
  type: TypeJson;

  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true }, description: 'The caveats it was made with.' })
  caveats: Record<string, unknown>[];

  @ApiProperty({ type: NamedTokenMetadataDto })
  metadata: NamedTokenMetadataDto;

  @ApiProperty()
  revoked: boolean;

  @ApiProperty({ description: 'The serialised token.' })
  token: string;
}

export function toNamedToken(record: TokenRecord, serialized: string): NamedTokenDto {
  const invite = inviteKindOfType(record.type);
  const metadata: NamedTokenMetadataDto = {
    creationTime: unixSeconds(record.createdAt),
    custom: (record.customMetadata ?? {}) as Record<string, unknown>,
  };
  if (invite || record.type === 'space_creation' || record.type === 'provider_support') {
    metadata.usageLimit = record.usageLimit ?? 'infinity';
    metadata.usageCount = record.usageCount;
  }
  if (invite) {
    metadata.privileges =
      invite.privileges === 'space'
        ? SpacePrivileges.names(record.privileges)
        : invite.privileges === 'group'
          ? GroupPrivileges.names(BigInt(record.groupPrivileges))
          : null;
  }
  if (record.type === 'provider_support') metadata.maxSize = record.maxSize === null ? null : sizeJson(record.maxSize);
  return {
    id: record.id,
    name: record.name,
    subject: { type: record.subjectType === 'user' ? 'user' : 'oneprovider', id: record.subjectId },
    type: typeJson(record.type, record.groupId ?? record.spaceId),
    caveats: record.caveats.flatMap((text): Record<string, unknown>[] => {
      const caveat: Caveat | null = parseCaveat(text);
      return caveat ? [caveatToJson(caveat)] : [];
    }),
    metadata,
    revoked: record.revoked,
    token: serialized,
  };
}

@ApiSchema({ name: 'TokenConfineRequest', description: 'A token and the caveats to add to it.' })
export class ConfineTokenDto {
  @TokenField('Any token.')
  token: string;

  @ApiProperty({ ...CAVEATS_SCHEMA, description: `${CAVEATS_SCHEMA.description} At least one.` })
  @IsGiven({ message: 'caveats is required' })
  caveats: unknown;
}

class VerifyBase {
  @TokenField('The token to verify.')
  token: string;

  @ApiPropertyOptional({ description: "The IPv4 address the token is used from (default: this request's client).", example: '10.1.2.3' })
  @ValidateIf(present('peerIp'))
  @IsString({ message: 'peerIp must be a string' })
  @MaxLength(64, { message: 'peerIp must be an IPv4 address' })
  peerIp?: string;

  @ApiPropertyOptional({
    description:
      "An identity token of whoever consumes the token. Default: the authenticated client, when this request's credentials are valid; null: no consumer.",
    nullable: true,
    type: 'string',
  })
  @ValidateIf((o: Record<string, unknown>) => o.consumerToken !== undefined && o.consumerToken !== null)
  @IsString({ message: 'consumerToken must be a string or null' })
  @MaxLength(MAX_TOKEN_LENGTH, { message: `consumerToken must be at most ${MAX_TOKEN_LENGTH} characters long` })
  consumerToken?: string | null;
}

@ApiSchema({ name: 'VerifyAccessTokenRequest', description: 'An access token and where it is used.' })
export class VerifyAccessTokenDto extends VerifyBase {
  @ApiPropertyOptional({
    description: 'An identity token of the provider service verifying (optionally prefixed opw- or opp-).',
    type: 'string',
  })
  @ValidateIf(present('serviceToken'))
  @IsString({ message: 'serviceToken must be a string' })
  @MaxLength(MAX_TOKEN_LENGTH + 4, { message: `serviceToken must be at most ${MAX_TOKEN_LENGTH + 4} characters long` })
  serviceToken?: string;

  @ApiPropertyOptional({
    enum: ['rest', 'oneclient', 'graphsync'],
    description: 'The interface the token came through (default: unknown).',
  })
  @ValidateIf(present('interface'))
  @IsString({ message: 'interface must be one of rest, oneclient, graphsync' })
  interface?: string;

  @ApiPropertyOptional({ description: 'Whether data-access caveats may be present (a data plane verifying).', default: false })
  @ValidateIf(present('allowDataAccessCaveats'))
  @IsBoolean({ message: 'allowDataAccessCaveats must be a boolean' })
  allowDataAccessCaveats?: boolean;
}

@ApiSchema({ name: 'VerifyIdentityTokenRequest', description: 'An identity token and where it is used.' })
export class VerifyIdentityTokenDto extends VerifyBase {
  @ApiPropertyOptional({
    enum: ['rest', 'oneclient', 'graphsync'],
    description: 'The interface the token came through (default: unknown).',
  })
  @ValidateIf(present('interface'))
  @IsString({ message: 'interface must be one of rest, oneclient, graphsync' })
  interface?: string;
}

@ApiSchema({ name: 'VerifyInviteTokenRequest', description: 'An invite token and where it is used.' })
export class VerifyInviteTokenDto extends VerifyBase {
  @ApiPropertyOptional({ description: 'The invite type the token must be.', example: 'userJoinSpace' })
  @ValidateIf(present('expectedInviteType'))
  @IsString({ message: 'expectedInviteType must be a string' })
  expectedInviteType?: string;
}

@ApiSchema({ name: 'VerifiedToken', description: 'Whom a verified token belongs to, and how long it still holds.' })
export class VerifiedTokenDto {
  @ApiProperty({ type: TokenSubjectDto })
  subject: TokenSubjectDto;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Seconds until its earliest time caveat; null when it has none.' })
  ttl: number | null;
}

@ApiSchema({ name: 'ExaminedToken', description: 'What a token is: never its secret.' })
export class ExaminedTokenDto {
  @ApiProperty({ description: 'TOKEN_LOCATION: the zone that issued the token.', example: 'onezone' })
  onezoneDomain: string;

  @ApiProperty({ example: ID_EXAMPLE })
  id: string;

  @ApiProperty({ example: ID_EXAMPLE, description: 'The same as id.' })
  tokenId: string;

  @ApiProperty({ enum: ['named', 'temporary'] })
  persistence: 'named' | 'temporary';

  @ApiProperty({ type: TokenSubjectDto })
  subject: TokenSubjectDto;

  @ApiProperty(TYPE_SCHEMA)
  type: TypeJson;

  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: 'Every caveat, confinements included, in order.',
  })
  caveats: Record<string, unknown>[];

  @ApiProperty({ type: TokenTargetDto, nullable: true })
  target: TokenTargetDto | null;
}

@ApiSchema({ name: 'InferAccessTokenScopeRequest', description: 'An access token whose data-access scope to infer.' })
export class InferScopeDto {
  @TokenField('The access token.')
  token: string;

  @ApiPropertyOptional({
    description: "An identity token of whoever consumes the token. Default: the token's own subject; null: no consumer.",
    nullable: true,
    type: 'string',
  })
  @ValidateIf((o: Record<string, unknown>) => o.consumerToken !== undefined && o.consumerToken !== null)
  @IsString({ message: 'consumerToken must be a string or null' })
  @MaxLength(MAX_TOKEN_LENGTH, { message: `consumerToken must be at most ${MAX_TOKEN_LENGTH} characters long` })
  consumerToken?: string | null;
}

@ApiSchema({ name: 'InferredAccessTokenScope', description: 'What an access token reaches in the data plane.' })
export class InferredScopeDto {
  @ApiProperty({ type: 'integer', nullable: true, description: 'Unix time (seconds) of its earliest time caveat; null when none.' })
  validUntil: number | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description:
      "For a user's token: `readonly`, the `spaces` it reaches (`{<spaceId>: {name, supports: {<providerId>: {readonly}}}}`) " +
      "and those `providers` (`{<providerId>: {name, domain, version, online}}`). Null for a provider's token.",
  })
  dataAccessScope: Record<string, unknown> | null;
}
