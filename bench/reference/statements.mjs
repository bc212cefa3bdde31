/**
 * The two statements the service sends for a plain creation
 * (`SpacesRepository.createOwned`) and for the loaded read
 * (`AccessRepository.spaceFor` of a user), taken from the built service
 * itself rather than copied: its repositories run over its own Driver, whose
 * adapter only records what it is given. The reference server then sends the
 * same text, the same arguments (all text) under the same prepared-statement
 * name.
 */
const SLOT = { id: '\u0000id', name: '\u0000name', user: '\u0000user', space: '\u0000space' };

export async function serviceStatements() {
  const { AdapterDriver, preparedStatementName } = await import('../../dist/database/driver.js');
  const { SpacesRepository } = await import('../../dist/spaces/spaces.repository.js');
  const { AccessRepository } = await import('../../dist/access/access.repository.js');
  const { SpacePrivileges } = await import('../../dist/access/privileges.js');

  const sent = [];
  const recorder = {
    queryRaw: async (query) => (sent.push(query), { columnNames: [], columnTypes: [], rows: [] }),
    executeRaw: async (query) => (sent.push(query), 1),
  };
  const driver = new AdapterDriver();
  await driver.capture({ provider: 'postgres', adapterName: 'recorder', connect: async () => recorder }).connect();

  // What SpacesService.create passes for a user's plain creation.
  await new SpacesRepository(undefined, driver).createOwned({
    id: SLOT.id,
    name: SLOT.name,
    creator: { type: 'user', id: SLOT.user },
    owner: { userId: SLOT.user, privileges: SpacePrivileges.allMask },
  });
  await new AccessRepository(driver).spaceFor(SLOT.space, { type: 'user', id: SLOT.user });
  if (sent.length !== 2) throw new Error(`expected the service to send 2 statements, it sent ${sent.length}`);

  const [create, read] = sent.map((query) => {
    if (!query.argTypes.every((t) => t.scalarType === 'string' && t.arity === 'scalar')) {
      throw new Error('the Driver no longer sends every argument as text: update the reference server');
    }
    const name = preparedStatementName(query);
    if (!name) throw new Error('the service no longer prepares this statement: update the reference server');
    // Each argument: the request's value for a slot, or the constant the service sends.
    const args = query.args.map((arg) => {
      const slot = Object.entries(SLOT).find(([, marker]) => marker === arg)?.[0];
      return slot ? { slot } : { value: arg };
    });
    return { name, text: query.sql, args };
  });
  return { create, read };
}
