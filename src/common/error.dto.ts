import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ERRORS, type ErrorCode } from './error-codes.js';

@ApiSchema({ name: 'Error', description: 'The body of every error response.' })
export class ErrorDto {
  @ApiProperty({
    description: 'Error code.',
    enum: Object.keys(ERRORS),
    example: 'invalid_token',
  })
  error: ErrorCode;

  @ApiProperty({
    description: 'Human-readable description of the error.',
    example: 'Provided token could not be validated.',
  })
  error_description: string;
}
