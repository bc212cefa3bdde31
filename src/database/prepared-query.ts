/**
 * One run of one of the Driver's named statements on a `pg` connection, as a
 * submittable (the extension point `pg` gives for queries of one's own, as
 * pg-cursor uses it): the same extended-protocol messages pg's own Query
 * sends (Parse on a connection's first use of the statement, Bind, Execute,
 * Sync, corked into one write), less the per-run work the Driver's fixed
 * statements do not need:
 *
 * - no Describe after the statement's first run: its columns are fixed by
 *   its text, so their names are learnt once, from the first RowDescription,
 *   and PostgreSQL no longer sends (nor `pg` parses) one on every run;
 * - no Result, type parsers or row objects of `pg`'s: every column is read
 *   as PostgreSQL's text, as it comes off the wire, straight into the row
 *   the Driver returns.
 *
 * Should a statement's columns ever differ from the ones learnt (a DataRow
 * of another width), the run fails and the statement is described again on
 * its next run.
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

/** Each statement's column names, learnt from its first RowDescription (statement names are unique to their text). */
const COLUMNS = new Map<string, readonly string[]>();

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
  private readonly rows: Record<string, string | null>[] = [];
  private rowCount = 0;
  private failure: Error | undefined;

  /** `wantsRows` false: a statement run for its count (execute), whose rows, if any, are not read. */
  constructor(name: string, text: string, values: readonly (string | null)[], wantsRows: boolean) {
    this.name = name;
    this.text = text;
    this.values = values;
    this.wantsRows = wantsRows;
    this.columns = wantsRows ? COLUMNS.get(name) : undefined;
  }

  submit(connection: PgConnection): Error | null {
    const previous = connection.parsedStatements[this.name] ?? connection.submittedNamedStatements[this.name];
    if (previous !== undefined && previous !== this.text) {
      return new Error(`The prepared statement ${this.name} names another statement on this connection`);
    }
    for (const value of this.values) {
      if (value !== null && typeof value !== 'string') return new TypeError('A statement parameter must be text or null');
    }
    connection.stream.cork?.();
    try {
      if (previous === undefined) {
        connection.parse({ text: this.text, name: this.name, types: NO_TYPES });
        connection.submittedNamedStatements[this.name] = this.text;
      }
      connection.bind({ statement: this.name, values: this.values });
      if (this.wantsRows && this.columns === undefined) connection.describe({ type: 'P', name: '' });
      connection.execute();
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  handleRowDescription(message: RowDescription): void {
    const columns = message.fields.map((field) => field.name);
    this.columns = columns;
    COLUMNS.set(this.name, columns);
  }

  handleDataRow(message: DataRow): void {
    if (!this.wantsRows || this.failure) return;
    const columns = this.columns;
    const values = message.fields;
    if (columns === undefined || columns.length !== values.length) {
      COLUMNS.delete(this.name);
      this.failure = new Error(`The statement ${this.name} returned columns other than the ones it was described with`);
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
    this.callback?.(this.failure ?? error);
  }

  handleReadyForQuery(): void {
    if (this.failure) return this.callback?.(this.failure);
    this.callback?.(null, { rows: this.rows, rowCount: this.rowCount });
  }
}
