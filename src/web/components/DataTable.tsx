import type { ReactNode } from 'react';
import { ErrorAlert, Loading } from './Alerts';

/** A column header: its text, or its text with a class for the <th> (e.g. "numeric"). */
export type Column = ReactNode | { label: ReactNode; className: string };

function isClassed(column: Column): column is { label: ReactNode; className: string } {
  return typeof column === 'object' && column !== null && 'className' in column && 'label' in column;
}

export interface DataTableProps<T> {
  /** Read by screen readers only (visually hidden). */
  caption: string;
  testId?: string;
  columns: readonly Column[];
  rows: readonly T[];
  /** Renders one row; returns a keyed <tr>. */
  row: (item: T, index: number) => ReactNode;
}

/** The standard scrollable table: `.table-wrap > table.table` with a hidden caption and column headers. */
export function DataTable<T>({ caption, testId, columns, rows, row }: DataTableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, i) =>
              isClassed(column) ? (
                <th key={i} scope="col" className={column.className}>
                  {column.label}
                </th>
              ) : (
                <th key={i} scope="col">
                  {column}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{rows.map(row)}</tbody>
      </table>
    </div>
  );
}

/** What a list view needs of a `useLoad` result. */
export interface LoadedItems<T> {
  data: { items: readonly T[] } | null;
  error: unknown;
  loading: boolean;
}

export interface LoadedListProps<T> {
  list: LoadedItems<T>;
  /** The error to show; defaults to the list's own load error. */
  error?: unknown;
  /** The text of the `<p className="empty">` when there are no items. */
  empty: ReactNode;
  emptyTestId?: string;
  /** The items to show, when they differ from `list.data.items` (sorted, filtered). */
  items?: readonly T[];
  children: (items: readonly T[]) => ReactNode;
}

/** Error alert, then loading → <Loading/>, no items → empty text, else `children(items)`. */
export function LoadedList<T>({ list, error, empty, emptyTestId, items, children }: LoadedListProps<T>) {
  const shown = items ?? list.data?.items ?? [];
  return (
    <>
      <ErrorAlert error={error === undefined ? list.error : error} />
      {list.loading && !list.data ? (
        <Loading />
      ) : list.data && shown.length === 0 ? (
        <p className="empty" data-testid={emptyTestId}>
          {empty}
        </p>
      ) : list.data ? (
        children(shown)
      ) : null}
    </>
  );
}

export type LoadedTableProps<T> = Omit<DataTableProps<T>, 'rows'> & Omit<LoadedListProps<T>, 'children'>;

/** A loaded list shown as a {@link DataTable}: error, loading and empty states included. */
export function LoadedTable<T>({ list, error, empty, emptyTestId, items, ...table }: LoadedTableProps<T>) {
  return (
    <LoadedList list={list} error={error} empty={empty} emptyTestId={emptyTestId} items={items}>
      {(rows) => <DataTable {...table} rows={rows} />}
    </LoadedList>
  );
}
