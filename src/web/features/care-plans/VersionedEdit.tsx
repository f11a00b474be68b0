import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemError } from '../../api';
import { FormCard, useFormCard } from './FormCard';

export interface VersionedField<V> {
  key: keyof V & string;
  label: string;
  /** how a value reads in the conflict table (a status code → its Dutch name); the value itself otherwise */
  show?: (value: string) => string;
}

interface Conflict<V> {
  theirs: V;
  version: number;
  by: string | null;
}

/**
 * Inline editing of a versioned part of the plan (goal, action, support person, the plan's agreement). The form works
 * on strings (`read` turns the record into them); only the fields the user changed are sent, with the version the
 * edit started from. A 409 `version-conflict` carries the record as it is now: the card then shows, field by field,
 * this user's change beside the other person's, and lets them keep theirs — sent again on top of the current version,
 * so the fields only the other person changed stay as they saved them — or take the other version. Nothing is lost
 * silently: a change is overwritten only by an explicit choice.
 */
export function VersionedEdit<R extends { version: number }, V extends Record<string, string>>({
  record,
  read,
  by,
  fields,
  send,
  onSaved,
  savedMessage,
  label,
  title,
  openLabel,
  openTestId,
  formTestId,
  children,
}: {
  record: R;
  read: (record: R) => V;
  /** who saved the version in a conflict (null: "someone else") */
  by?: (record: R) => string | null;
  fields: VersionedField<V>[];
  send: (version: number, changes: Partial<V>) => Promise<unknown>;
  onSaved: (message: string) => void;
  savedMessage: string;
  label: string;
  title: string;
  openLabel?: string;
  openTestId?: string;
  formTestId?: string;
  children: (
    values: V,
    set: (key: keyof V & string, value: string) => void,
    errors: Record<string, string>,
  ) => ReactNode;
}) {
  const { t } = useTranslation();
  const form = useFormCard();
  const [values, setValues] = useState<V>(() => read(record));
  const [base, setBase] = useState<{ values: V; version: number }>(() => ({
    values: read(record),
    version: record.version,
  }));
  const [conflict, setConflict] = useState<Conflict<V> | null>(null);

  const start = () => {
    const now = read(record);
    setValues(now);
    setBase({ values: now, version: record.version });
    setConflict(null);
  };
  const changed = (from: V, to: V) => fields.filter((f) => from[f.key] !== to[f.key]).map((f) => f.key);
  const mine = changed(base.values, values);

  /** Sends this user's changes from `version`; false when it met someone else's change (the card stays open). */
  async function attempt(version: number): Promise<boolean> {
    if (!mine.length) return true;
    const changes: Partial<V> = {};
    for (const key of mine) changes[key] = values[key];
    try {
      await send(version, changes);
    } catch (err) {
      if (err instanceof ProblemError && err.status === 409 && err.current && typeof err.current === 'object') {
        const current = err.current as R;
        setConflict({ theirs: read(current), version: current.version, by: by?.(current) ?? null });
        return false;
      }
      throw err;
    }
    setConflict(null);
    onSaved(savedMessage);
    return true;
  }

  const show = (f: VersionedField<V>, value: string) => (value === '' ? '—' : f.show ? f.show(value) : value);
  const theirs = conflict ? changed(base.values, conflict.theirs) : [];
  const rows = conflict ? fields.filter((f) => mine.includes(f.key) || theirs.includes(f.key)) : [];
  const other = conflict?.by ?? t('carePlan.conflictSomeone');

  return (
    <FormCard
      form={form}
      label={label}
      title={title}
      openLabel={openLabel}
      openTestId={openTestId}
      formTestId={formTestId}
      onOpen={start}
      onSubmit={() => attempt(conflict?.version ?? base.version)}
    >
      {children(values, (key, value) => setValues((prev) => ({ ...prev, [key]: value })), form.errors)}
      {conflict && (
        <section className="alert alert-warning conflict" role="alert" data-testid="conflict">
          <h3>{t('carePlan.conflictTitle', { name: other })}</h3>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('carePlan.conflictField')}</th>
                <th scope="col">{t('carePlan.conflictMine')}</th>
                <th scope="col">{t('carePlan.conflictTheirs', { name: other })}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((f) => (
                <tr key={f.key} data-testid="conflict-row">
                  <th scope="row">{f.label}</th>
                  <td>{mine.includes(f.key) ? show(f, values[f.key] ?? '') : t('carePlan.conflictUnchanged')}</td>
                  <td>{show(f, conflict.theirs[f.key] ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">{t('carePlan.conflictHint', { name: other })}</p>
          <div className="actions">
            <button
              type="button"
              className="button primary"
              disabled={form.busy}
              onClick={() =>
                void form.run(async () => {
                  if (await attempt(conflict.version)) form.setOpen(false);
                })
              }
            >
              {t('carePlan.conflictKeepMine')}
            </button>
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                setConflict(null);
                form.setOpen(false);
                onSaved(t('carePlan.conflictTookTheirs', { name: other }));
              }}
            >
              {t('carePlan.conflictTakeTheirs', { name: other })}
            </button>
          </div>
        </section>
      )}
    </FormCard>
  );
}
