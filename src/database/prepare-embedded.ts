/**
 * The child process prepareEmbedded starts: creates the embedded database in
 * the folder it is given if need be, applies the pending migrations, reports
 * the outcome to its parent and exits.
 */
import { migrateEmbeddedHere, type PreparedMessage } from './embedded.js';

// The parent holds DATA_DIR's lock: once it is gone, nothing may go on writing here.
process.on('disconnect', () => process.exit(1));

function report(message: PreparedMessage, code: number): void {
  process.send!(message, () => process.exit(code));
}

const [dataPath] = process.argv.slice(2);
if (!dataPath || !process.send) {
  process.stderr.write('prepare-embedded.js is started by the service, with the embedded database folder to prepare\n');
  process.exit(2);
}
migrateEmbeddedHere(dataPath).then(
  (applied) => report({ applied }, 0),
  (error: unknown) => report({ error: error instanceof Error ? error.message : String(error) }, 1),
);
