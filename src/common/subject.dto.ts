import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** An example id in the OpenAPI document. */
export const ID_EXAMPLE = '6e4ad3b4f5f8d4a3c1e0b2a9d8c7b6a5';

@ApiSchema({ name: 'Subject', description: 'A user or a provider: who created a space, whom a token belongs to.' })
export class SubjectDto {
  @ApiProperty({ enum: ['user', 'provider'] })
  type: 'user' | 'provider';

  @ApiProperty({ example: ID_EXAMPLE })
  id: string;
}
