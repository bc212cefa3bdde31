// The part of the WebAssembly global used to load Prisma's schema engine.
// @types/node for Node 20 does not declare it, and the DOM lib would bring far more.
declare namespace WebAssembly {
  type Exports = Record<string, unknown>;
  type ModuleImports = Record<string, unknown>;
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, ModuleImports>);
    readonly exports: Exports;
  }
}
