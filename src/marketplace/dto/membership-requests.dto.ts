import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiSchema, getSchemaPath } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { PageDto } from '../../common/pagination/page-query.dto.js';
import { ID_EXAMPLE } from '../../common/subject.dto.js';
import { IsGiven } from '../../common/validation/presence.js';
import { rule } from '../../common/validation/rule.js';
import { EMAIL_MAX_BYTES, isEmailAddress } from '../../common/validation/space-metadata.js';
import { codePoints } from '../../config/space-tags.js';
import { present } from '../../spaces/dto/mint-tokens.dto.js';

/** The longest message of a request, and the longest reason of a rejection, in characters. */
export const MESSAGE_MAX_LENGTH = 2000;

const IsEmailAddress = rule('isEmailAddress', isEmailAddress, (p) => `${p} must be an email address of at most ${EMAIL_MAX_BYTES} bytes`);

const IsShortText = rule(
  'isShortText',
  (v) => typeof v === 'string' && codePoints(v) <= MESSAGE_MAX_LENGTH,
  (p) => `${p} must be a string of at most ${MESSAGE_MAX_LENGTH} characters`,
);

const IsId = rule(
  'isId',
  (v) => typeof v === 'string',
  (p) => `${p} must be a string`,
);

export const DECISIONS = ['grant', 'reject'] as const;
export type Decision = (typeof DECISIONS)[number];

@ApiSchema({ name: 'SpaceMembershipRequestSubmission', description: 'A request to join an advertised space.' })
export class SubmitMembershipRequestDto {
  @ApiProperty({ description: "Where the space's managers may answer.", maxLength: EMAIL_MAX_BYTES, example: 'user@example.org' })
  @IsGiven({ message: 'contactEmail is required' })
  @IsEmailAddress()
  contactEmail: string;

  @ApiPropertyOptional({
    description: "For the space's managers.",
    maxLength: MESSAGE_MAX_LENGTH,
    default: '',
    example: 'Please let me in.',
  })
  @ValidateIf(present('message'))
  @IsShortText()
  message?: string;
}

@ApiSchema({ name: 'SpaceMembershipRequestId', description: 'The request, new or reminded.' })
export class MembershipRequestIdDto {
  @ApiProperty({ example: ID_EXAMPLE })
  requestId: string;
}

@ApiSchema({ name: 'SpaceMembershipRequestResolution', description: 'How a manager resolves a pending request.' })
export class ResolveMembershipRequestDto {
  @ApiProperty({ enum: DECISIONS, description: '`grant` also needs space_add_user.' })
  @IsGiven({ message: 'decision is required' })
  @IsIn(DECISIONS, { message: `decision must be one of ${DECISIONS.join(', ')}` })
  decision: Decision;

  @ApiPropertyOptional({
    description: 'Shown to the requester among its rejected requests; checked always, kept only with `reject`.',
    maxLength: MESSAGE_MAX_LENGTH,
    example: "The space is for the project's members only.",
  })
  @ValidateIf(present('rejectionReason'))
  @IsShortText()
  rejectionReason?: string;

  @ApiPropertyOptional({ description: 'Accepted when it is the request ID of the path.', example: ID_EXAMPLE })
  @ValidateIf(present('requestId'))
  @IsId()
  requestId?: string;
}

@ApiSchema({ name: 'PendingSpaceMembershipRequest', description: 'A request of the current user that waits for an answer.' })
export class PendingRequestDto {
  @ApiProperty({ example: ID_EXAMPLE })
  requestId: string;

  @ApiProperty({ example: 'user@example.org' })
  contactEmail: string;

  @ApiProperty({ description: 'Unix time (seconds) of the submission or the last reminder.', example: 1_795_000_000 })
  lastActivity: number;
}

@ApiSchema({ name: 'RejectedSpaceMembershipRequest', description: 'A rejected request, listed while the rejection backoff runs.' })
export class RejectedRequestDto extends PendingRequestDto {
  @ApiProperty({ description: 'The reason the manager gave ("" for none).', example: '' })
  rejectionReason: string;
}

@ApiSchema({
  name: 'SpaceMembershipRequests',
  description: "The current user's requests, by space ID: the pending ones, and the rejections still in their backoff.",
})
@ApiExtraModels(PendingRequestDto, RejectedRequestDto)
export class UserMembershipRequestsDto {
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(PendingRequestDto) } })
  pending: Record<string, PendingRequestDto>;

  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(RejectedRequestDto) } })
  rejected: Record<string, RejectedRequestDto>;
}

@ApiSchema({ name: 'SpaceMembershipRequesterInfo', description: 'Who sent a pending request, and what it says.' })
export class RequesterInfoDto {
  @ApiProperty({ example: ID_EXAMPLE })
  userId: string;

  @ApiProperty({ description: "The user's name.", example: 'Alice' })
  fullName: string;

  @ApiProperty({ type: String, nullable: true, description: 'Always null: the service keeps no usernames.', example: null })
  username: null;

  @ApiProperty({ example: 'user@example.org' })
  contactEmail: string;

  @ApiProperty({ example: 'Please let me in.' })
  message: string;

  @ApiProperty({ description: 'Unix time (seconds) of the submission or the last reminder.', example: 1_795_000_000 })
  lastActivity: number;
}

@ApiSchema({ name: 'SpaceMembershipRequestEntry', description: 'A pending request to join the space.' })
export class SpaceRequestDto {
  @ApiProperty({ example: ID_EXAMPLE })
  requestId: string;

  @ApiProperty({ example: ID_EXAMPLE })
  userId: string;

  @ApiProperty({ example: 'user@example.org' })
  contactEmail: string;

  @ApiProperty({ example: 'Please let me in.' })
  message: string;

  @ApiProperty({ example: 1_795_000_000 })
  lastActivity: number;
}

@ApiSchema({ name: 'SpaceMembershipRequestList', description: "A space's pending requests, in request ID order." })
export class SpaceRequestListDto extends PageDto {
  @ApiProperty({ type: [SpaceRequestDto] })
  requests: SpaceRequestDto[];
}
