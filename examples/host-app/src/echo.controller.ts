import { Body, Controller, HttpCode, Post } from '@nestjs/common';

/** A route of the host's own that reads a body: its errors are the host's, whatever the spaces routes answer. */
@Controller('echo')
export class EchoController {
  @Post()
  @HttpCode(200)
  echo(@Body() body: unknown): unknown {
    return body;
  }
}
