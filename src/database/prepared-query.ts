/**
 * One run of one of the Driver's named statements on a `pg` connection, as a
 * submittable (the extension point `pg` gives for queries of one's own, as
 * pg-cursor uses it): the same extended-protocol messages pg's own Query
 * sends (Parse on a connection's first use of the statement, Bind, Execute,
 * Sync, corked into one write), less the per-run work the Driver's fixed
 * statements do not need:
 *
 * - no Describe after the statement's first successful run on a
 *   connection: its columns are learnt from that RowDescription, and
 *   PostgreSQL no longer sends (nor `pg` parses) one on every run;
 * - no Result, type parsers or row objects of `pg`'s: every column is read
 *   as PostgreSQL's text, as it comes off the wire, straight into the row
 *   the Driver returns.
 *
 * The columns are learnt per connection, from the Describe sent with the
 * statement's Parse there: on one connection PostgreSQL itself refuses a
 * prepared statement whose result type has changed (0A000), so what a
 * connection learnt cannot go stale. Should a run's rows ever have another
 * width than the columns learnt, the run fails and the statement is
 * described again on its next run.
 */

/** The messages of `pg`'s protocol parser this query reads. */
interface RowDescription {
  fields: { name: string }[];
}
interface DataRow {
  fields: (string | null)[];
}
interface CommandComplete {
  text: string;
}

/** The part of `pg`'s Connection a submittable drives. */
export interface PgConnection {
  parsedStatements: Record<string, string | undefined>;
  submittedNamedStatements: Record<string, string | undefined>;
  stream: { cork?: () => void; uncork?: () => void };
  parse(config: { text: string; name: string; types: unknown[] }): void;
  bind(config: { statement: string; values: readonly (string | null)[] }): void;
  describe(config: { type: 'P'; name: string }): void;
  execute(config?: Record<string, never>): void;
  sync(): void;
}

export interface PreparedResult {
  rows: Record<string, string | null>[];
  /** The rows the statement changed or returned (its command tag's count), 0 when the tag has none. */
  rowCount: number;
}

type Callback = (error: Error | null, result?: PreparedResult) => void;

/** The service's own refusals: nothing was sent, or every message of the run was read; the connection is fine. */
export class StatementRefused extends Error {}

/** Per connection, each statement's column names, learnt from its RowDescription (or none, for a statement without rows). */
const COLUMNS = new WeakMap<object, Map<string, readonly string[]>>();

function columnsOn(connection: object): Map<string, readonly string[]> {
  let known = COLUMNS.get(connection);
  if (known === undefined) COLUMNS.set(connection, (known = new Map<string, readonly string[]>()));
  return known;
}

const NO_TYPES: unknown[] = [];

/** The count at the end of a command tag: `SELECT 1`, `UPDATE 3`, `INSERT 0 1`. */
function rowCountOf(tag: string): number {
  const space = tag.lastIndexOf(' ');
  if (space < 0) return 0;
  const count = Number(tag.slice(space + 1));
  return Number.isInteger(count) ? count : 0;
}

export class PreparedQuery {
  /** Read by `pg`'s client, which records the statement as parsed on this connection once PostgreSQL says so. */
  readonly name: string;
  readonly text: string;
  /** Set by `pg`'s client (the callback pool.query gives it). */
  callback?: Callback;
  private readonly values: readonly (string | null)[];
  private readonly wantsRows: boolean;
  private columns: readonly string[] | undefined;
  /** The connection's learnt columns, once submitted. */
  private known: Map<string, readonly string[]> | undefined;
  private described = false;
  private readonly rows: Record<string, string | null>[] = [];
  private rowCount = 0;
  private failure: Error | undefined;
  private settled = false;

  /** `wantsRows` false: a statement run for its count (execute), whose rows, if any, are not read. */
  constructor(name: string, text: string, values: readonly (string | null)[], wantsRows: boolean) {
    this.name = name;
    this.text = text;
    this.values = values;
    this.wantsRows = wantsRows;
  }

  submit(connection: PgConnection): Error | null {
    const previous = connection.parsedStatements[this.name] ?? connection.submittedNamedStatements[this.name];
    if (previous !== undefined && previous !== this.text) {
      return new StatementRefused(`The prepared statement ${this.name} names another statement on this connection`);
    }
    for (const value of this.values) {
      if (value !== null && typeof value !== 'string') return new StatementRefused('A statement parameter must be text or null');
    }
    const known = (this.known = columnsOn(connection));
    // A statement parsed here anew is described anew: what was learnt before its last Parse failed is not kept.
    if (previous === undefined) known.delete(this.name);
    if (this.wantsRows) this.columns = known.get(this.name);
    this.described = this.wantsRows && this.columns === undefined;
    connection.stream.cork?.();
    try {
      if (previous === undefined) {
        connection.parse({ text: this.text, name: this.name, types: NO_TYPES });
        connection.submittedNamedStatements[this.name] = this.text;
      }
      connection.bind({ statement: this.name, values: this.values });
      if (this.described) connection.describe({ type: 'P', name: '' });
      connection.execute();
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: RowDescription): void {
    this.columns = message.fields.map((field) => field.name);
  }

  handleDataRow(message: DataRow): void {
    if (!this.wantsRows || this.failure) return;
    const columns = this.columns;
    const values = message.fields;
    if (columns === undefined || columns.length !== values.length) {
      this.known?.delete(this.name);
      this.failure = new StatementRefused(`The statement ${this.name} returned columns other than the ones it was described with`);
      return;
    }
    const row: Record<string, string | null> = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
    this.rows.push(row);
  }

  handleCommandComplete(message: CommandComplete): void {
    this.rowCount = rowCountOf(message.text);
  }

  handleEmptyQuery(): void {}

  handlePortalSuspended(): void {}

  handleCopyInResponse(connection: { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('No source stream defined');
  }

  handleCopyData(): void {}

  handleError(error: Error): void {
    this.settle(error);
  }

  handleReadyForQuery(): void {
    if (this.failure) return this.settle(this.failure);
    // Learnt only from a run that succeeded: the columns it was described with, none (NoData) for a statement without rows.
    if (this.described) this.known?.set(this.name, this.columns ?? []);
    this.settle(null, { rows: this.rows, rowCount: this.rowCount });
  }

  /** The callback, once; should it throw, the throw comes on the next tick, with the connection's bookkeeping done (as pg's own queries do). */
  private settle(error: Error | null, result?: PreparedResult): void {
    if (this.settled) return;
    this.settled = true;
    try {
      this.callback?.(error, result);
    } catch (thrown) {
      process.nextTick(() => {
        throw thrown;
      });
    }
  }
}
