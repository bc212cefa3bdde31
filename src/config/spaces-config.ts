/**
 * The settings the spaces feature runs with, wherever it runs: from the
 * environment when the service runs alone, from SpacesModule's options in a
 * host application. Validated by the Environment schema either way.
 */
export const SPACES_CONFIG = Symbol('SpacesConfig');

/** The token secret and the admin token (see secrets.ts). */
export const SECRETS = Symbol('Secrets');
