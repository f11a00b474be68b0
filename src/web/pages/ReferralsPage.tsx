import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, isOneOf, REFERRAL_STATUSES, URGENCIES, type ReferralSummary } from '../api';
import { ErrorAlert, Loading } from '../components/Alerts';
import { Field } from '../components/Field';
import { RiskBadge } from '../components/RiskBadge';
import { formatDate, formatDateTime } from '../format';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';

type Box = 'incoming' | 'outgoing';
const BOXES: readonly Box[] = ['incoming', 'outgoing'];
/** the status filter: open ones (default), every status, or one status */
const ALL = 'all';

/**
 * The referral inboxes: incoming and outgoing as tabs, filters for status, priority and overdue; the whole state
 * lives in the address (?box=&status=&priority=&overdue=). Acute and high risk come first (then acute and urgent
 * priority); risk, priority and overdue each carry a badge with a word, never colour alone.
 */
export function ReferralsPage() {
  const { t } = useTranslation();
  const labels = useLabels();
  const [params, setParams] = useSearchParams();
  const box: Box = params.get('box') === 'outgoing' ? 'outgoing' : 'incoming';
  const status = params.get('status') ?? '';
  const priority = params.get('priority') ?? '';
  const overdue = params.get('overdue') === 'true';
  const tabRefs = useRef<Record<Box, HTMLButtonElement | null>>({ incoming: null, outgoing: null });
  useDocumentTitle(t('referrals.title'));

  const counts = useLoad(() => api.referralCounts(), [box]);
  const list = useLoad(
    () =>
      api.referrals({
        box,
        status: status && status !== ALL ? [status] : undefined,
        open: status === ALL ? false : undefined,
        priority: isOneOf(URGENCIES, priority) ? priority : undefined,
        overdue: overdue ? true : undefined,
      }),
    [box, status, priority, overdue],
  );

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  }

  function selectTab(next: Box) {
    update({ box: next === 'incoming' ? null : next });
    tabRefs.current[next]?.focus();
  }

  function tabKeys(e: KeyboardEvent<HTMLButtonElement>) {
    const index = BOXES.indexOf(box);
    let next: Box | undefined;
    if (e.key === 'ArrowRight') next = BOXES[(index + 1) % BOXES.length];
    else if (e.key === 'ArrowLeft') next = BOXES[(index + BOXES.length - 1) % BOXES.length];
    else if (e.key === 'Home') next = BOXES[0];
    else if (e.key === 'End') next = BOXES[BOXES.length - 1];
    if (!next) return;
    e.preventDefault();
    selectTab(next);
  }

  const c = counts.data;
  const countOf = (b: Box) => (c ? (b === 'incoming' ? c.incomingOpen : c.outgoingOpen) : null);
  const overdueOf = (b: Box) => (c ? (b === 'incoming' ? c.incomingOverdue : c.outgoingOverdue) : 0);

  return (
    <>
      <h1>{t('referrals.title')}</h1>
      <ErrorAlert error={counts.error} />

      <div className="tabs" role="tablist" aria-label={t('referrals.boxes')}>
        {BOXES.map((b) => {
          const n = countOf(b);
          const late = overdueOf(b);
          return (
            <button
              key={b}
              type="button"
              role="tab"
              id={`tab-${b}`}
              aria-selected={box === b}
              aria-controls="referrals-panel"
              tabIndex={box === b ? 0 : -1}
              className="tab"
              ref={(el) => {
                tabRefs.current[b] = el;
              }}
              onClick={() => selectTab(b)}
              onKeyDown={tabKeys}
            >
              {t(`referrals.${b}`)}
              {n !== null && (
                <span className="badge badge-count" data-testid={`count-${b}`}>
                  {n}
                  <span className="visually-hidden"> {t('referrals.openCount')}</span>
                </span>
              )}
              {late > 0 && <span className="badge badge-danger">{t('dashboard.overdue', { count: late })}</span>}
            </button>
          );
        })}
      </div>

      <section className="card tabpanel" role="tabpanel" id="referrals-panel" aria-labelledby={`tab-${box}`}>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('referrals.filters')}>
          <Field id="referrals-status" label={t('common.status')}>
            {(control) => (
              <select {...control} value={status} onChange={(e) => update({ status: e.target.value || null })}>
                <option value="">{t('referrals.statusOpen')}</option>
                <option value={ALL}>{t('referrals.statusAll')}</option>
                {REFERRAL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {labels.referralStatus(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="referrals-priority" label={t('referrals.priority')}>
            {(control) => (
              <select {...control} value={priority} onChange={(e) => update({ priority: e.target.value || null })}>
                <option value="">{t('referrals.priorityAll')}</option>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {labels.urgency(u)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <div className="checkbox filter-checkbox">
            <input
              type="checkbox"
              id="referrals-overdue"
              checked={overdue}
              onChange={(e) => update({ overdue: e.target.checked ? 'true' : null })}
            />
            <label htmlFor="referrals-overdue">{t('referrals.onlyOverdue')}</label>
          </div>
        </form>

        <ErrorAlert error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : list.data && list.data.items.length === 0 ? (
          <p className="empty">
            {status || priority || overdue ? t('referrals.emptyFiltered') : t(`referrals.empty.${box}`)}
          </p>
        ) : list.data ? (
          <ReferralTable box={box} items={list.data.items} />
        ) : null}
      </section>
    </>
  );
}

function ReferralTable({ box, items }: { box: Box; items: ReferralSummary[] }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <div className="table-wrap">
      <table className="table referral-table" data-testid={`referrals-${box}`}>
        <caption className="visually-hidden">{t(`referrals.caption.${box}`)}</caption>
        <thead>
          <tr>
            <th scope="col">{t('referrals.priority')}</th>
            <th scope="col">{t('risk.label')}</th>
            <th scope="col">{t('referrals.offer')}</th>
            <th scope="col">{box === 'incoming' ? t('referrals.from') : t('referrals.to')}</th>
            <th scope="col">{t('common.status')}</th>
            <th scope="col">{t('referrals.sentAt')}</th>
            <th scope="col">{t('referrals.due')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => {
            const firstContact = r.firstContactDueAt && ['accepted', 'scheduled', 'missed'].includes(r.status);
            return (
              <tr
                key={r.id}
                className={
                  [
                    r.priority === 'acute' || r.riskLevel === 'high' || r.riskLevel === 'acute' ? 'row-acute' : '',
                    r.overdue ? 'row-overdue' : '',
                  ]
                    .join(' ')
                    .trim() || undefined
                }
              >
                <td>
                  <PriorityBadge priority={r.priority} />
                </td>
                <td>
                  <RiskBadge level={r.riskLevel} compact />
                </td>
                <th scope="row" className="row-head">
                  <Link to={`/referrals/${r.id}`}>{r.offerName}</Link>
                </th>
                <td>{box === 'incoming' ? r.senderOrganizationName : r.receiverOrganizationName}</td>
                <td data-testid="referral-status">
                  {labels.referralStatus(r.status)}
                  {r.status === 'waitlisted' && r.expectedDate && (
                    <span className="small muted">
                      {' '}
                      ({t('referrals.expected', { date: formatDate(r.expectedDate) })})
                    </span>
                  )}
                </td>
                <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                <td className="nowrap">
                  {firstContact
                    ? t('referrals.firstContactBy', { date: formatDateTime(r.firstContactDueAt) })
                    : ['requested', 'received'].includes(r.status)
                      ? t('referrals.answerBy', { date: formatDateTime(r.answerDueAt) })
                      : t('common.none')}
                  {r.overdue && <OverdueBadge />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Priority as a word; acute gets a strong badge and an icon, never colour alone. */
export function PriorityBadge({ priority }: { priority: string }) {
  const labels = useLabels();
  if (priority === 'acute')
    return (
      <span className="badge badge-danger badge-acute">
        <span aria-hidden="true">⚠ </span>
        {labels.urgency(priority).toLocaleUpperCase()}
      </span>
    );
  if (priority === 'urgent') return <span className="badge badge-warn">{labels.urgency(priority)}</span>;
  return <span className="badge badge-off">{labels.urgency(priority)}</span>;
}

export function OverdueBadge() {
  const { t } = useTranslation();
  return (
    <span className="badge badge-danger badge-overdue">
      <span aria-hidden="true">⏰ </span>
      {t('referrals.overdue')}
    </span>
  );
}
