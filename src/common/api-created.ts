import { applyDecorators, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiNoContentResponse, ApiResponse } from '@nestjs/swagger';

/** A creation: 201 with no body and the new resource's path in `Location`. */
export function ApiCreatedAt(form: string) {
  return applyDecorators(
    HttpCode(HttpStatus.CREATED),
    ApiResponse({
      status: HttpStatus.CREATED,
      description: `ID of the created resource in the form ${form} is returned in the response \`Location\` header.`,
      headers: {
        Location: {
          description: `Path of the created resource, under the API prefix: ${form}.`,
          schema: { type: 'string', example: `/api/v3/onezone${form.replace('{id}', '6e4ad3b4f5f8d4a3c1e0b2a9d8c7b6a5')}` },
        },
      },
    }),
  );
}

/** A change that answers 204 with no body. */
export function ApiDone(description: string) {
  return applyDecorators(HttpCode(HttpStatus.NO_CONTENT), ApiNoContentResponse({ description }));
}
