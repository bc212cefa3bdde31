// Jest 30 in ESM mode (run with --experimental-vm-modules), TypeScript through SWC.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

// Node 20 loads ES-module-only packages with require(); Jest cannot. The few
// that a CommonJS dependency requires (@fastify/static, @nestjs/throttler) are
// compiled for the tests: to CommonJS where they are required, left as they
// are where they are imported (@swc/jest picks by how the file is loaded).
const REQUIRED_ESM = ['content-disposition', '@nestjs/common', '@nestjs/core'];
const toCommonJs = ['@swc/jest', { jsc: { target: 'es2022' } }];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/(.+/node_modules/)?(${REQUIRED_ESM.join('|')})/.+\\.js$`]: toCommonJs,
  },
  transformIgnorePatterns: [`/node_modules/(?!(.+/node_modules/)?(${REQUIRED_ESM.join('|')})/)`],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The package by its own name (examples/host-app imports it so), from source.
    '^spaces-service$': '<rootDir>/src/index.ts',
    '^spaces-service/client$': '<rootDir>/src/client/index.ts',
    '^spaces-service/metrics$': '<rootDir>/src/metrics.ts',
  },
  testEnvironment: 'node',
};

/**
 * End-to-end files that take long on their own (processes started, history
 * replayed, thousands of generated requests, random graphs): `npm run
 * test:slow` runs them, so that `npm test` stays short; CI runs both.
 */
const SLOW_E2E = ['fuzz', 'migrations', 'migrations-v2', 'process', 'groups-graph', 'host-app', 'limits', 'tracing'];
const slowFile = (name) => `/test/e2e/${name}\\.e2e-spec\\.ts$`;

/** @type {import('jest').Config} */
export default {
  // PGlite leaves Emscripten timers (about 10 s) running after close(); they
  // hold no resource of ours, but would keep Jest waiting.
  forceExit: true,
  // End-to-end tests start applications and databases; migration checks replay history on a shadow database.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...SLOW_E2E.map(slowFile)],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
      slowTestThreshold: 20,
    },
    {
      ...common,
      displayName: 'slow',
      testMatch: SLOW_E2E.map((name) => `<rootDir>/test/e2e/${name}.e2e-spec.ts`),
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
      slowTestThreshold: 60,
    },
    {
      // Swagger UI in Debian's chromium (npm run test:browser; CI installs chromium).
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      // Slow: services as processes, killed, stopped and cut off from their database (npm run test:reliability).
      ...common,
      displayName: 'reliability',
      testMatch: ['<rootDir>/test/reliability/**/*.reliability-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
      testTimeout: 120_000,
    },
    {
      // A Patroni cluster of its own, failed over under load (npm run test:ha; needs patroni, etcd-server, haproxy).
      ...common,
      displayName: 'ha',
      testMatch: ['<rootDir>/test/ha/**/*.ha-spec.ts'],
      testTimeout: 600_000,
    },
  ],
};
