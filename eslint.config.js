// @ts-check
// ESLint (npm run lint): the recommended rules for JavaScript, typescript-eslint's
// recommended-type-checked set for TypeScript, and eslint-config-prettier last, so
// that no rule argues with Prettier (npm run format) about layout.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier/flat';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Typed rules about `any` values: kept for the service's code, eased for tests (below). */
const UNSAFE_ANY = [
  '@typescript-eslint/no-unsafe-argument',
  '@typescript-eslint/no-unsafe-assignment',
  '@typescript-eslint/no-unsafe-call',
  '@typescript-eslint/no-unsafe-member-access',
  '@typescript-eslint/no-unsafe-return',
];
const off = (rules) => Object.fromEntries(rules.map((rule) => [rule, 'off']));

export default defineConfig(
  // Generated or installed, never written by hand: the Prisma client (npm run generate),
  // the typed client's schema (npm run openapi), builds, results, migrations.
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'src/generated/',
    'client/schema.d.ts',
    'coverage/',
    'bench/results/',
    'prisma/migrations/',
    'data/',
    'data-host/',
    'test-artifacts/',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  {
    rules: {
      // `_name` says "unused on purpose"; `{ dropped, ...rest } = object` is how a key is left out.
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },

  // Scripts, benchmarks, Jest's setup and these configs: plain ES modules on Node. They carry
  // no types, so the type-checked rules would only report `any` everywhere: left untyped.
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },

  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One program for the service, its tests and the example host (tsconfig.eslint.json).
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // Nest's interfaces are Promise-returning (guards, ThrottlerGuard's hooks, ThrottlerStorage,
      // controller methods, the repositories the unit specs fake): `async` without `await` is how a
      // synchronous implementation meets them, and it keeps a throw a rejection, as callers expect.
      '@typescript-eslint/require-await': 'off',
      // Nest's HttpStatus is a numeric enum and statuses come as numbers (getStatus(), a reply's
      // status): `status === HttpStatus.NOT_FOUND` is the idiom, not a string/number mix-up.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // NestJS idioms that stay legal here need no tuning, as the rules that would flag them are
      // not in the recommended set: empty module classes and constructors that only inject
      // (no-extraneous-class, no-useless-constructor), and class-validator DTO fields declared
      // with `!` (no-non-null-assertion). Decorators are plain expressions to every rule.
    },
  },

  // Tests assert on HTTP bodies (supertest's `res.body`), parsed JSON and log lines: `any` by
  // nature, checked by `expect` itself. Typing each body would add casts, not safety.
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      ...off(UNSAFE_ANY),
      // `expect(fake.method).toHaveBeenCalled()` passes a method without calling it, by design.
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // The example host's entry point imports its own platform (@nestjs/platform-express), which only
  // `npm run test:package` installs, into the example's folder: its types are unknown here.
  {
    files: ['examples/host-app/src/main.ts'],
    rules: off(UNSAFE_ANY),
  },

  prettier,
);
