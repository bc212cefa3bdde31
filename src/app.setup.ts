import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type INestApplication, NotFoundException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { parseJsonBodies } from './common/body-parsing.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { ErrorDto } from './common/error.dto.js';
import { APP_CONFIG } from './config/config.module.js';
import type { AppConfig } from './config/environment.js';

export function buildOpenApiDocument(app: INestApplication, config: AppConfig): OpenAPIObject {
  const options = new DocumentBuilder()
    .setTitle('Spaces service')
    .setDescription(
      'Create and share spaces, and support them with storage providers, following the ' +
        'Onezone REST API. Authenticate with an access token as `Authorization: Bearer <token>` ' +
        'or `X-Auth-Token: <token>`. Every error has the `Error` body.',
    )
    .setVersion('3')
    .addServer(config.API_PREFIX || '/', 'This service')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An access token (or the admin token).' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Auth-Token', description: 'An access token.' }, 'X-Auth-Token')
    .build();
  return SwaggerModule.createDocument(app, options, {
    extraModels: [ErrorDto],
    ignoreGlobalPrefix: true,
    operationIdFactory: (_controller, method) => method,
  });
}

/**
 * Requests the HTTP parser refuses (headers over Node's limit, malformed
 * HTTP) still get an error body.
 */
function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      error: 'invalid_request',
      error_description: tooLarge ? 'The request headers are too large.' : 'The request is not valid HTTP.',
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/**
 * App-wide set-up shared by main.ts and the e2e tests: body parsing, the
 * prefix, Swagger, and error rendering outside Nest's routes.
 * Initialises the application; call listen() next.
 */
export async function configureApp(app: NestExpressApplication): Promise<void> {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('etag', false); // answers are not cached by validators: hashing each body is waste
  app.use(parseJsonBodies());
  if (config.API_PREFIX) app.setGlobalPrefix(config.API_PREFIX, { exclude: ['health', 'health/live', 'docs'] });

  const document = buildOpenApiDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    customSiteTitle: 'Spaces service API',
    swaggerOptions: { persistAuthorization: true },
  });
  await app.init();

  // After the routes: paths outside the API prefix, and errors raised in
  // middleware, get the same body as everything else.
  const filter = new AllExceptionsFilter();
  const render = (error: unknown, req: Request, res: Response) =>
    filter.catch(error, { switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }) } as never);
  app.use((req: Request, res: Response) => render(new NotFoundException(), req, res));
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    render(error, req, res);
  });
  answerClientErrors(app.getHttpServer());
}
