import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isOneOf, type CarePlan, type CarePlanHistoryEntry } from '../../api';
import { ErrorAlert, Loading } from '../../components/Alerts';
import { DateField, useDateError } from '../../components/DateField';
import { isoDate } from '../../dates';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks';

const ENTITIES = ['plan', 'goal', 'action', 'member', 'evaluation', 'revision'] as const;
/** The columns the history triggers name, as the page words them (bookkeeping columns are left out). */
const FIELDS = [
  'person_words',
  'professional_wording',
  'life_domain',
  'target_date',
  'status',
  'description',
  'goal_id',
  'owner_kind',
  'due_date',
  'name',
  'relation',
  'contact',
  'role',
  'active',
  'coordinator_member_id',
  'coordinator_handover_reason',
  'person_wishes',
  'agreed_on',
  'agreement_method',
  'evaluation_interval_months',
  'next_evaluation_on',
  'care_level',
  'closed_on',
] as const;
const HIDDEN = new Set(['owner_organization_id', 'owner_user_id', 'owner_member_id', 'organization_id']);

/**
 * "Geschiedenis": who changed what when (newest first, from the history the database triggers keep), and a date
 * picker that opens the plan as it was at the end of that day (`?asOf=`, read-only on the page).
 */
export function HistoryPanel({ plan: p, onAsOf }: { plan: CarePlan; onAsOf: (date: string) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [tick, setTick] = useState(0);
  const [date, setDate] = useState('');
  const [dateError, setDateError] = useState<string | undefined>(undefined);
  const checkDate = useDateError();
  const history = useLoad(() => (open ? api.carePlanHistory(p.id) : Promise.resolve(null)), [open, p.id, tick]);
  const name = (e: CarePlanHistoryEntry): string => {
    const entity = isOneOf(ENTITIES, e.entity) ? t(`carePlan.historyEntities.${e.entity}`) : e.entity;
    const part =
      e.entity === 'goal'
        ? p.goals.find((g) => g.id === e.entityId)?.description
        : e.entity === 'action'
          ? p.actions.find((a) => a.id === e.entityId)?.description
          : e.entity === 'member'
            ? (p.team.find((m) => m.id === e.entityId)?.displayName ??
              (p.team.find((m) => m.id === e.entityId)?.kind === 'person' ? t('carePlan.memberKinds.person') : null))
            : null;
    return part ? `${entity} “${part}”` : entity;
  };
  const fields = (e: CarePlanHistoryEntry) =>
    e.fields
      .filter((f) => !HIDDEN.has(f))
      .map((f) => (isOneOf(FIELDS, f) ? t(`carePlan.historyFields.${f}`) : f))
      .join(', ');

  function showAsOf(e: React.FormEvent) {
    e.preventDefault();
    const iso = isoDate(date);
    const problem = checkDate(date) ?? (iso ? undefined : t('carePlan.asOfRequired'));
    setDateError(problem);
    if (iso && !problem) onAsOf(iso);
  }

  return (
    <section className="card no-print" aria-labelledby="plan-history-title" data-testid="care-plan-history">
      <h2 id="plan-history-title">{t('carePlan.history')}</h2>
      <form className="inline-form" noValidate onSubmit={showAsOf}>
        <DateField id="as-of" label={t('carePlan.asOf')} value={date} onChange={setDate} error={dateError} />
        <button type="submit" className="button secondary">
          {t('carePlan.asOfShow')}
        </button>
      </form>
      <p>
        <button
          type="button"
          className="button secondary"
          aria-expanded={open}
          aria-controls="plan-history-list"
          data-testid="show-history"
          onClick={() => {
            setOpen(!open);
            setTick((n) => n + 1);
          }}
        >
          {open ? t('carePlan.historyHide') : t('carePlan.historyShow')}
        </button>
      </p>
      {open && (
        <div id="plan-history-list">
          {history.loading && !history.data ? (
            <Loading />
          ) : history.error ? (
            <ErrorAlert error={history.error} />
          ) : !history.data?.items.length ? (
            <p className="empty">{t('carePlan.historyEmpty')}</p>
          ) : (
            <ol className="timeline" data-testid="history-list">
              {history.data.items.map((e, i) => (
                <li key={`${e.at}-${e.entityId}-${i}`} data-testid="history-entry">
                  <strong>{formatDateTime(e.at)}</strong> · {e.actorDisplayName ?? t('carePlan.historySystem')}
                  {e.organizationName ? ` (${e.organizationName})` : ''} ·{' '}
                  {t(e.operation === 'insert' ? 'carePlan.historyAdded' : 'carePlan.historyChanged', {
                    what: name(e),
                  })}
                  {e.operation === 'update' && fields(e) && <span className="muted">: {fields(e)}</span>}
                </li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
