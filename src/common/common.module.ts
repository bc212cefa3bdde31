import { Global, Module } from '@nestjs/common';
import { Locations } from './location.js';

/** Stateless helpers every feature module uses. */
@Global()
@Module({ providers: [Locations], exports: [Locations] })
export class CommonModule {}
