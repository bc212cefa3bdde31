import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ALLOWED_CALLERS, IS_PUBLIC } from '../../src/auth/auth.decorators.js';
import type { CallerType } from '../../src/auth/caller.js';
import { SPACE_REQUIREMENT, type SpaceRequirement } from '../../src/spaces/access/space-access.js';

export interface Route {
  /** Controller.handler */
  name: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As in the OpenAPI document: /spaces/{id} */
  path: string;
  public: boolean;
  callers: CallerType[] | undefined;
  space: SpaceRequirement | undefined;
}

/** Every route the application's controllers declare, with what it asks of its caller. */
export function listRoutes(app: INestApplication): Route[] {
  const routes: Route[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as { prototype: object; name: string };
      if (!controller?.prototype) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = [Reflect.getMetadata(PATH_METADATA, controller), Reflect.getMetadata(PATH_METADATA, handler)]
          .filter((p) => p && p !== '/')
          .join('/')
          .replace(/:(\w+)/g, '{$1}');
        routes.push({
          name: `${controller.name}.${name}`,
          method: RequestMethod[method].toLowerCase() as Route['method'],
          path: `/${path}`,
          public: Boolean(Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, controller)),
          callers: Reflect.getMetadata(ALLOWED_CALLERS, handler) ?? Reflect.getMetadata(ALLOWED_CALLERS, controller),
          space: Reflect.getMetadata(SPACE_REQUIREMENT, handler),
        });
      }
    }
  }
  return routes;
}
