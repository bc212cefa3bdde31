import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsGiven } from '../common/validation/presence.js';
import { MAX_TOKEN_LENGTH } from './token-codec.js';

/** A required `token` field of a request body: a serialised token. */
export function TokenField(description: string) {
  return applyDecorators(
    ApiProperty({ description, example: 'MDAxNWxvY2F0aW9uIG9uZXpvbmUK…', maxLength: MAX_TOKEN_LENGTH }),
    IsString({ message: 'token must be a string' }),
    MaxLength(MAX_TOKEN_LENGTH, { message: `token must be at most ${MAX_TOKEN_LENGTH} characters long` }),
    IsGiven({ message: 'token is required' }), // nearest the field: reported first
  );
}
