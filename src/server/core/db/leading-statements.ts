/**
 * Statements written in front of a query, in the same batch of extended-protocol messages and under the query's one
 * Sync (issue 14): a tenant transaction's opening (BEGIN; the role, the session check and the context) and the COMMIT of the
 * read before it travel with the work's first statement. PostgreSQL runs them in order, in one transaction context,
 * and answers them all in one go; pg sends one Sync per query, so this batch is a custom query object (pg's
 * "submittable") that wraps the pg.Query it leads.
 *
 * Each leading statement is a prepared statement (parsed once per connection when it has a name) that is bound and
 * executed without a Describe: its rows, if any, are ignored. If one fails, PostgreSQL skips everything behind it up
 * to the Sync, so the wrapped query never runs: the failure is reported to every leading statement still waiting and
 * to the query. That is what keeps a failed session check fail-closed.
 */

export interface LeadingStatement {
  /** The prepared statement's name, or undefined to parse it unnamed each time. */
  name: string | undefined;
  text: string;
  values: readonly (string | number | boolean | null)[];
  /** Told once: null when the statement completed, or the error that ended it or a statement before it. */
  done?: (error: Error | null) => void;
}

/** The parts of pg's Connection a query object writes to (pg's own Query uses the same). */
interface Connection {
  stream: { cork?(): void; uncork?(): void };
  parsedStatements: Record<string, string>;
  parse(message: { name: string; text: string }): void;
  bind(message: {
    portal: string;
    statement: string;
    values: readonly Value[];
    valueMapper: (value: Value | undefined) => string | null;
  }): void;
  execute(message: { portal: string; rows: number }): void;
  sync(): void;
}

/** The parts of pg's Query the wrapper hands the answers to. */
export interface WrappedQuery {
  name?: string | undefined;
  text?: string | undefined;
  values?: unknown[] | undefined;
  callback?: ((error: Error | null, result?: unknown) => void) | undefined;
  _result?: unknown;
  submit(connection: Connection): Error | null;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: Connection): void;
  handleEmptyQuery(connection: Connection): void;
  handlePortalSuspended(connection: Connection): void;
  handleError(error: Error, connection: Connection): void;
  handleReadyForQuery(connection: Connection): void;
}

type Value = LeadingStatement['values'][number];

const toText = (value: Value | undefined): string | null =>
  value === null || value === undefined ? null : String(value);

/** What a batch with nothing behind its leading statements resolves to (Kysely reads command, rowCount and rows). */
export const NO_ROWS = Object.freeze({ command: 'SELECT', rowCount: 0, rows: [] as unknown[] });

export class LeadingStatementsQuery {
  /** How many leading statements have had their answer (CommandComplete) so far. */
  private answered = 0;
  /** A batch with no query behind it: the callback pg (or the caller) gives it. */
  private ownCallback: WrappedQuery['callback'];
  /** The wrapped query refused to be written after its leading statements were: reported once the Sync is answered. */
  private refusal: Error | null = null;

  constructor(
    readonly leading: readonly LeadingStatement[],
    private readonly inner: WrappedQuery | null,
  ) {}

  // pg's client reads these of the active query (named-statement bookkeeping, result types, the read timeout)
  get name() {
    return this.inner?.name;
  }
  get text() {
    return this.inner?.text;
  }
  get values() {
    return this.inner?.values;
  }
  get _result() {
    return this.inner?._result;
  }
  get callback() {
    return this.inner ? this.inner.callback : this.ownCallback;
  }
  set callback(callback: WrappedQuery['callback']) {
    if (this.inner) this.inner.callback = callback;
    else this.ownCallback = callback;
  }

  submit(connection: Connection): Error | null {
    // corked: every message of the batch leaves in one write
    connection.stream.cork?.();
    try {
      for (const statement of this.leading) {
        const name = statement.name ?? '';
        if (!name || connection.parsedStatements[name] === undefined) {
          connection.parse({ name, text: statement.text });
          // taken as parsed from here on; if the Parse fails, the error marks the connection's names stale and
          // they are all reset (core/db/prepared.ts)
          if (name) connection.parsedStatements[name] = statement.text;
        }
        connection.bind({ portal: '', statement: name, values: statement.values, valueMapper: toText });
        connection.execute({ portal: '', rows: 0 });
      }
      if (this.inner) {
        const refusal = this.inner.submit(connection);
        if (refusal) {
          // the leading statements are on the wire already: end the batch, and report the refusal after its answer
          this.refusal = refusal;
          connection.sync();
        }
      } else connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  private get leadingPending(): boolean {
    return this.answered < this.leading.length;
  }

  handleCommandComplete(message: unknown, connection: Connection) {
    if (this.leadingPending) this.leading[this.answered++]!.done?.(null);
    else this.inner?.handleCommandComplete(message, connection);
  }

  handleDataRow(message: unknown) {
    if (!this.leadingPending) this.inner?.handleDataRow(message);
  }

  handleRowDescription(message: unknown) {
    this.inner?.handleRowDescription(message);
  }

  handleEmptyQuery(connection: Connection) {
    this.inner?.handleEmptyQuery(connection);
  }

  handlePortalSuspended(connection: Connection) {
    this.inner?.handlePortalSuspended(connection);
  }

  handleError(error: Error, connection: Connection) {
    // the server skipped everything behind the failed statement up to the Sync
    while (this.leadingPending) this.leading[this.answered++]!.done?.(error);
    if (this.inner) this.inner.handleError(error, connection);
    else this.ownCallback?.(error);
  }

  handleReadyForQuery(connection: Connection) {
    if (this.refusal) this.inner!.handleError(this.refusal, connection);
    else if (this.inner) this.inner.handleReadyForQuery(connection);
    else this.ownCallback?.(null, NO_ROWS);
  }
}
