import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import {
  api,
  isOneOf,
  LIFE_DOMAINS,
  ProblemError,
  type CarePlan,
  type GoalInput,
  type PlanActionInput,
} from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../../components/Alerts';
import { DateField } from '../../components/DateField';
import { Field, TextAreaField, TextField } from '../../components/Field';
import { isoDate } from '../../dates';
import { formatDate } from '../../format';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';
import { useLabels } from '../../labels';
import { ClosedPlanList } from './ClosedPlans';
import { EvaluationForm } from './EvaluationForm';
import { FormCard, useFormCard } from './FormCard';
import { HistoryPanel } from './History';
import {
  ACTION_STATUSES,
  AGREEMENT_METHODS,
  ActionEditor,
  AgreementEditor,
  DoneButton,
  GOAL_STATUSES,
  GoalEditor,
  HandoverForm,
  ownerInput,
  ownerOptions,
  SupportPersonEditor,
} from './PlanEditors';

const MEMBER_KINDS = ['organization', 'caregiver', 'person', 'support-person'] as const;
const DECISIONS = ['continue', 'step-up', 'step-down', 'close'] as const;
type Saved = (message: string) => void;

/**
 * The plan of the person behind a client record, or the empty state that makes it (route /clients/:id/hulpplan).
 * With `?asOf=YYYY-MM-DD` it shows the plan as it was at the end of that day, read-only and marked as such.
 */
export function CarePlanPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const asOf = search.get('asOf');
  const { can } = useAuth();
  const client = useLoad(() => api.client(id), [id]);
  // 404: no plan yet (or none this organisation may see); that is the empty state, not an error
  const plan = useLoad(
    () =>
      api.clientCarePlan(id).catch((err: unknown) => {
        if (err instanceof ProblemError && err.status === 404) return null;
        throw err;
      }),
    [id],
  );
  const planId = plan.data?.id ?? null;
  // the plan as it was: 404 when the date lies before the plan (shown as such, not as an error)
  const then = useLoad(
    () =>
      planId && asOf
        ? api.carePlan(planId, asOf).catch((err: unknown) => {
            if (err instanceof ProblemError && (err.status === 404 || err.status === 400)) return null;
            throw err;
          })
        : Promise.resolve(null),
    [planId, asOf],
  );
  // ?plan=<id>: a closed plan of the person, read-only (linked from the client page and the empty state)
  const closedId = search.get('plan');
  const closed = useLoad(() => (closedId ? api.carePlan(closedId) : Promise.resolve(null)), [closedId]);
  // without a running plan: the closed ones stay listed, and a new plan may follow them
  const noPlan = !plan.loading && !plan.error && plan.data === null;
  const earlier = useLoad(() => (noPlan ? api.carePlans(id) : Promise.resolve(null)), [id, noPlan]);
  const [flash, setFlash] = useState<string | null>(null);
  const create = useSubmit();
  const name = client.data?.displayName ?? '';
  useDocumentTitle(name ? t('carePlan.titleOf', { name }) : t('carePlan.title'));

  const back = (
    <p className="breadcrumb no-print">
      <Link to={`/clients/${id}`}>{name || t('clients.title')}</Link>
    </p>
  );
  if ((plan.loading && plan.data === null && !plan.error) || (client.loading && !client.data)) return <Loading />;
  if (!client.data || plan.error) {
    return (
      <LoadFailed
        back={back}
        title={t('carePlan.title')}
        error={client.error ?? plan.error}
        notFound={t('carePlan.empty')}
      />
    );
  }
  const done = (message: string) => {
    setFlash(message);
    plan.reload();
  };

  if (closedId) {
    return (
      <>
        {back}
        <div className="page-head">
          <h1>{t('carePlan.titleOf', { name })}</h1>
          <span className="badge badge-warn">{t('carePlan.readOnly')}</span>
        </div>
        {closed.loading && !closed.data ? (
          <Loading />
        ) : closed.error || !closed.data ? (
          <ErrorAlert error={closed.error} />
        ) : (
          <>
            <section className="alert alert-info" role="status" data-testid="closed-plan-banner">
              <p>
                {closed.data.closedOn
                  ? t('carePlan.closedBanner', { date: formatDate(closed.data.closedOn) })
                  : t(`carePlan.status.${closed.data.status}`)}
              </p>
              <p className="no-print">
                <Link to={`/clients/${id}/hulpplan`}>{t('carePlan.closedBack')}</Link>
              </p>
            </section>
            <ReadOnlyPlan plan={closed.data} className="print-summary" testId="care-plan-closed" />
          </>
        )}
      </>
    );
  }

  if (!plan.data) {
    const closedBefore = (earlier.data?.items ?? []).some((p) => p.status === 'closed');
    return (
      <>
        {back}
        <h1>{t('carePlan.titleOf', { name })}</h1>
        <StatusMessage message={flash} />
        <section className="card" data-testid="care-plan-empty">
          <p className="empty">{closedBefore ? t('carePlan.emptyAfterClose') : t('carePlan.empty')}</p>
          <ClosedPlanList clientId={id} plans={earlier.data?.items ?? []} />
          <p className="hint">{t('carePlan.emptyHint')}</p>
          <ErrorAlert error={create.error} />
          {can('care-plan:write') && (
            <button
              type="button"
              className="button primary"
              disabled={create.busy}
              onClick={() =>
                void create.run(async () => {
                  await api.createCarePlan(id);
                  done(t('carePlan.created'));
                })
              }
            >
              {closedBefore ? t('carePlan.createAfterClose') : t('carePlan.create')}
            </button>
          )}
        </section>
      </>
    );
  }

  if (asOf) {
    const leave = () => setSearch({}, { replace: false });
    return (
      <>
        {back}
        <div className="page-head">
          <h1>{t('carePlan.titleOf', { name })}</h1>
          <span className="badge badge-warn">{t('carePlan.readOnly')}</span>
        </div>
        <section className="alert alert-info" role="status" data-testid="as-of-banner">
          <p>{t('carePlan.asOfBanner', { date: formatDate(asOf) })}</p>
          <p>
            <button type="button" className="button secondary" onClick={leave} data-testid="leave-as-of">
              {t('carePlan.asOfLeave')}
            </button>
          </p>
        </section>
        {then.loading && !then.data ? (
          <Loading />
        ) : then.error ? (
          <ErrorAlert error={then.error} />
        ) : !then.data ? (
          <p className="empty" data-testid="as-of-none">
            {t('carePlan.asOfNone', { date: formatDate(asOf) })}
          </p>
        ) : (
          <ReadOnlyPlan plan={then.data} className="print-summary as-of" testId="care-plan-as-of" />
        )}
      </>
    );
  }

  const p = plan.data;
  const mayWrite = can('care-plan:write') && p.status === 'active';
  const edit = mayWrite ? done : undefined;
  return (
    <>
      {back}
      <div className="page-head">
        <h1>{t('carePlan.titleOf', { name })}</h1>
        <span className="badge badge-status" data-testid="care-plan-status">
          {t(`carePlan.status.${p.status}`)}
        </span>
        {p.evaluationDue && p.status === 'active' && (
          <span className="badge badge-warn no-print">{t('carePlan.evaluationDue')}</span>
        )}
        <div className="head-actions no-print">
          <button type="button" className="button secondary" onClick={() => window.print()}>
            {t('carePlan.print')}
          </button>
        </div>
      </div>
      <StatusMessage message={flash} />
      <div className="print-summary" data-testid="care-plan">
        <p className="print-only">{t('carePlan.printIntro')}</p>
        <Summary plan={p} onSaved={edit} />
        <Goals plan={p} onSaved={edit} />
        <Actions plan={p} onSaved={edit} />
        <Team plan={p} onSaved={edit} />
      </div>
      {mayWrite && (
        <div className="no-print">
          <GoalForm planId={p.id} onSaved={done} />
          <SupportPersonForm planId={p.id} onSaved={done} />
          <ActionForm plan={p} onSaved={done} />
          <EvaluationForm plan={p} clientId={id} onSaved={done} />
        </div>
      )}
      <Evaluations plan={p} />
      <HistoryPanel plan={p} onAsOf={(date) => setSearch({ asOf: date })} />
    </>
  );
}

/** The plan's summary, with samen beslissen: the person's agreement (when, how) and wishes in their own words. */
/** A plan that cannot be edited here (closed, or as it was on a date): its parts without forms or buttons. */
function ReadOnlyPlan({ plan, className, testId }: { plan: CarePlan; className: string; testId: string }) {
  return (
    <div className={className} data-testid={testId}>
      <Summary plan={plan} />
      <Goals plan={plan} />
      <Actions plan={plan} />
      <Team plan={plan} />
      <Evaluations plan={plan} />
    </div>
  );
}

function Summary({ plan: p, onSaved }: { plan: CarePlan; onSaved?: Saved | undefined }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <section className="card" aria-label={t('carePlan.title')}>
      <dl className="details" data-testid="care-plan-summary">
        {!p.ownPlan && (
          <>
            <dt>{t('carePlan.title')}</dt>
            <dd>{t('carePlan.sharedBy', { organization: p.organizationName })}</dd>
          </>
        )}
        <dt>{t('carePlan.careLevel')}</dt>
        <dd data-testid="care-plan-level">{p.careLevel ? labels.level(p.careLevel) : t('common.none')}</dd>
        <dt>{t('carePlan.nextEvaluation')}</dt>
        <dd data-testid="care-plan-next-evaluation">
          {p.nextEvaluationOn ? formatDate(p.nextEvaluationOn) : t('common.none')}
          {p.status === 'active' && (
            <span className="muted"> · {t('carePlan.everyMonths', { count: p.evaluationIntervalMonths })}</span>
          )}
        </dd>
        {p.closedOn && (
          <>
            <dt>{t('common.status')}</dt>
            <dd>{t('carePlan.closedOn', { date: formatDate(p.closedOn) })}</dd>
          </>
        )}
        <dt>{t('carePlan.agreement')}</dt>
        <dd data-testid="care-plan-agreement">
          {p.agreedOn
            ? t('carePlan.agreedLine', {
                date: formatDate(p.agreedOn),
                method: isOneOf(AGREEMENT_METHODS, p.agreementMethod)
                  ? t(`carePlan.agreementMethods.${p.agreementMethod}`)
                  : t('carePlan.agreementMethodUnknown'),
              })
            : t('carePlan.notAgreedYet')}
        </dd>
        {p.personWishes && (
          <>
            <dt>{t('carePlan.personWishes')}</dt>
            <dd className="note" data-testid="care-plan-wishes">
              “{p.personWishes}”
            </dd>
          </>
        )}
      </dl>
      {onSaved && <AgreementEditor plan={p} onSaved={onSaved} />}
    </section>
  );
}

function Goals({ plan: p, onSaved }: { plan: CarePlan; onSaved?: Saved | undefined }) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <section className="card" aria-labelledby="plan-goals-title">
      <h2 id="plan-goals-title">{t('carePlan.goals')}</h2>
      {p.goals.length === 0 ? (
        <p className="empty">{t('carePlan.goalsEmpty')}</p>
      ) : (
        <ol className="list" data-testid="care-plan-goals">
          {p.goals.map((g, i) => (
            <li key={g.id} data-testid="care-plan-goal">
              <p>
                <strong>“{g.description}”</strong>{' '}
                <span className="badge">
                  {isOneOf(GOAL_STATUSES, g.status) ? t(`carePlan.goalStatuses.${g.status}`) : g.status}
                </span>
              </p>
              {g.professionalWording && (
                <p className="muted">
                  {t('carePlan.goalProfessional')}: {g.professionalWording}
                </p>
              )}
              <p className="muted">
                {g.lifeDomain && `${t('carePlan.lifeDomain')}: ${labels.lifeDomain(g.lifeDomain)}`}
                {g.lifeDomain && g.targetDate && ' · '}
                {g.targetDate && `${t('carePlan.targetDate')}: ${formatDate(g.targetDate)}`}
              </p>
              {g.lastProgress !== null && <p>{t('carePlan.lastProgress', { n: g.lastProgress })}</p>}
              {onSaved && <GoalEditor key={g.version} planId={p.id} goal={g} index={i} onSaved={onSaved} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ownerName(t: TFunction, a: CarePlan['actions'][number]): string {
  if (a.owner.kind === 'client') return t('carePlan.ownerPerson');
  return `${a.owner.name ?? ''} (${t(`carePlan.ownerKinds.${a.owner.kind}`)})`;
}

function Actions({ plan: p, onSaved }: { plan: CarePlan; onSaved?: Saved | undefined }) {
  const { t } = useTranslation();
  const goalText = (goalId: string | null) => p.goals.find((g) => g.id === goalId)?.description ?? null;
  return (
    <section className="card" aria-labelledby="plan-actions-title">
      <h2 id="plan-actions-title">{t('carePlan.actions')}</h2>
      {p.actions.length === 0 ? (
        <p className="empty">{t('carePlan.actionsEmpty')}</p>
      ) : (
        <table className="table" data-testid="care-plan-actions">
          <thead>
            <tr>
              <th scope="col">{t('carePlan.actionDescription')}</th>
              <th scope="col">{t('carePlan.owner')}</th>
              <th scope="col">{t('carePlan.dueDate')}</th>
              <th scope="col">{t('common.status')}</th>
              {onSaved && (
                <th scope="col" className="no-print">
                  <span className="visually-hidden">{t('carePlan.edit')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {p.actions.map((a, i) => (
              <tr key={a.id} data-testid="care-plan-action" className={a.overdue ? 'overdue' : undefined}>
                <td>
                  {a.description}
                  {goalText(a.goalId) && <div className="muted">“{goalText(a.goalId)}”</div>}
                </td>
                <td>{ownerName(t, a)}</td>
                <td>
                  {a.dueDate ? formatDate(a.dueDate) : ''}
                  {a.overdue && (
                    <>
                      {' '}
                      <span className="badge badge-danger">{t('carePlan.overdue')}</span>
                    </>
                  )}
                </td>
                <td data-testid="action-status">
                  {isOneOf(ACTION_STATUSES, a.status) ? t(`carePlan.actionStatuses.${a.status}`) : a.status}
                </td>
                {onSaved && (
                  <td className="no-print">
                    {a.status === 'open' && <DoneButton planId={p.id} action={a} onSaved={onSaved} />}
                    <ActionEditor key={a.version} plan={p} action={a} index={i} onSaved={onSaved} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Team({ plan: p, onSaved }: { plan: CarePlan; onSaved?: Saved | undefined }) {
  const { t } = useTranslation();
  const members = p.team.filter((m) => m.active);
  return (
    <section className="card" aria-labelledby="plan-team-title">
      <h2 id="plan-team-title">{t('carePlan.team')}</h2>
      <p className="print-only">{t('carePlan.whomToCall')}</p>
      {members.length === 0 ? (
        <p className="empty">{t('carePlan.teamEmpty')}</p>
      ) : (
        <ul className="list" data-testid="care-plan-team">
          {members.map((m, i) => (
            <li key={m.id} data-testid={m.kind === 'support-person' ? 'team-support-person' : undefined}>
              <strong>{m.kind === 'person' ? t('carePlan.memberKinds.person') : (m.displayName ?? '')}</strong>{' '}
              <span className="muted">
                {isOneOf(MEMBER_KINDS, m.kind) ? t(`carePlan.memberKinds.${m.kind}`) : m.kind}
                {m.kind === 'caregiver' && m.organizationName ? ` · ${m.organizationName}` : ''}
                {m.relation ? ` · ${m.relation}` : ''}
              </span>
              {m.coordinator && (
                <>
                  {' '}
                  <span className="badge" data-testid="coordinator-badge">
                    {t('carePlan.coordinator')}
                  </span>
                </>
              )}
              {m.coordinator && p.coordinatorHandoverReason && (
                <div className="muted" data-testid="handover-reason">
                  {t('carePlan.handoverReasonShown', { reason: p.coordinatorHandoverReason })}
                </div>
              )}
              {m.contact && <div>{m.contact}</div>}
              {m.role && <div className="muted">{m.role}</div>}
              {onSaved && m.kind === 'support-person' && (
                <SupportPersonEditor key={m.version} planId={p.id} member={m} index={i} onSaved={onSaved} />
              )}
            </li>
          ))}
        </ul>
      )}
      {onSaved && <HandoverForm plan={p} onSaved={onSaved} />}
    </section>
  );
}

function Evaluations({ plan: p }: { plan: CarePlan }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const goalText = (goalId: string) => p.goals.find((g) => g.id === goalId)?.description ?? '';
  const memberName = (memberId: string) => {
    const m = p.team.find((x) => x.id === memberId);
    return !m ? '?' : m.kind === 'person' ? t('carePlan.memberKinds.person') : (m.displayName ?? '');
  };
  return (
    <section className="card" aria-labelledby="plan-evaluations-title">
      <h2 id="plan-evaluations-title">{t('carePlan.evaluations')}</h2>
      {p.evaluations.length === 0 ? (
        <p className="empty">{t('carePlan.evaluationsEmpty')}</p>
      ) : (
        <ul className="timeline" data-testid="care-plan-evaluations">
          {p.evaluations.map((e) => (
            <li key={e.id} data-testid="care-plan-evaluation">
              <p>
                <strong>{formatDate(e.evaluatedOn)}</strong> ·{' '}
                {isOneOf(DECISIONS, e.decision) ? t(`carePlan.decisions.${e.decision}`) : e.decision}
                {e.caseConference && ` · ${t('carePlan.caseConference')}`}
                {e.stepDownConsidered && ` · ${t('carePlan.stepDownConsidered')}`}
              </p>
              <p className="note">{e.note}</p>
              {e.caseConference && e.presentMemberIds.length > 0 && (
                <p data-testid="case-conference-present">
                  {t('carePlan.caseConferencePresent', {
                    names: e.presentMemberIds.map(memberName).join(', '),
                  })}
                </p>
              )}
              {e.personSays && (
                <p>
                  {t('carePlan.personSays')}: “{e.personSays}”
                </p>
              )}
              {e.goals.length > 0 && (
                <ul>
                  {e.goals.map((g) => (
                    <li key={g.goalId}>
                      “{goalText(g.goalId)}”: {g.progress}/10{g.note ? ` — ${g.note}` : ''}
                    </li>
                  ))}
                </ul>
              )}
              {e.createdByDisplayName && (
                <p className="hint">
                  {t('carePlan.decidedBy', { name: e.createdByDisplayName, organization: e.organizationName ?? '' })}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
      {p.revisions.length > 0 && (
        <>
          <h3>{t('carePlan.revisions')}</h3>
          <ul data-testid="care-plan-revisions">
            {p.revisions.map((r) => (
              <li key={r.id}>
                {t('carePlan.revisionLine', {
                  date: formatDate(r.revisedOn),
                  kind: t(`carePlan.decisions.${r.kind}`),
                  from: r.fromLevel ? labels.level(r.fromLevel) : t('common.none'),
                  to: r.toLevel ? labels.level(r.toLevel) : t('common.none'),
                  reason: r.reason,
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** Adds a goal: the person's own words first (quoted, never rewritten), the professional wording beside them. */
function GoalForm({ planId, onSaved }: { planId: string; onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const form = useFormCard();
  const [description, setDescription] = useState('');
  const [professional, setProfessional] = useState('');
  const [lifeDomain, setLifeDomain] = useState('');
  const [targetDate, setTargetDate] = useState('');
  const [status, setStatus] = useState<'proposed' | 'active'>('active');
  const { errors } = form;
  return (
    <FormCard
      form={form}
      label={t('carePlan.addGoal')}
      openTestId="add-goal"
      formTestId="goal-form"
      onSubmit={async () => {
        // empty fields are left out (or sent as typed) so the server names what is wrong, field by field
        await api.addGoal(planId, {
          description: description.trim(),
          professionalWording: professional.trim() || null,
          lifeDomain: lifeDomain || null,
          targetDate: targetDate.trim() ? (isoDate(targetDate) ?? targetDate) : null,
          status,
        } as GoalInput);
        setDescription('');
        setProfessional('');
        setLifeDomain('');
        setTargetDate('');
        onSaved(t('carePlan.goalSaved'));
      }}
    >
      <TextAreaField
        id="goal-description"
        label={t('carePlan.goalOwnWords')}
        hint={t('carePlan.goalOwnWordsHint')}
        value={description}
        onChange={setDescription}
        required
        maxLength={2000}
        rows={2}
        error={errors.description}
      />
      <TextAreaField
        id="goal-professionalWording"
        label={t('carePlan.goalProfessional')}
        value={professional}
        onChange={setProfessional}
        maxLength={2000}
        rows={2}
        error={errors.professionalWording}
      />
      <Field id="goal-lifeDomain" label={t('carePlan.lifeDomain')} error={errors.lifeDomain}>
        {(control) => (
          <select {...control} value={lifeDomain} onChange={(e) => setLifeDomain(e.target.value)}>
            <option value="">—</option>
            {LIFE_DOMAINS.map((d) => (
              <option key={d} value={d}>
                {labels.lifeDomain(d)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DateField
        id="goal-targetDate"
        label={t('carePlan.targetDate')}
        value={targetDate}
        onChange={setTargetDate}
        error={errors.targetDate}
      />
      <Field id="goal-status" label={t('carePlan.goalStatus')} error={errors.status}>
        {(control) => (
          <select
            {...control}
            value={status}
            onChange={(e) => setStatus(e.target.value === 'proposed' ? 'proposed' : 'active')}
          >
            <option value="active">{t('carePlan.goalStatuses.active')}</option>
            <option value="proposed">{t('carePlan.goalStatuses.proposed')}</option>
          </select>
        )}
      </Field>
    </FormCard>
  );
}

/** Adds a support person (steunfiguur) to the care team, so an action can be given to them. */
function SupportPersonForm({ planId, onSaved }: { planId: string; onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  const form = useFormCard();
  const [name, setName] = useState('');
  const [relation, setRelation] = useState('');
  const [contact, setContact] = useState('');
  const [role, setRole] = useState('');
  const { errors } = form;
  return (
    <FormCard
      form={form}
      label={t('carePlan.addSupportPerson')}
      openTestId="add-support"
      formTestId="support-form"
      onSubmit={async () => {
        await api.addTeamMember(planId, {
          kind: 'support-person',
          ...(name.trim() ? { name: name.trim() } : {}),
          relation: relation.trim() || null,
          contact: contact.trim() || null,
          role: role.trim() || null,
        });
        setName('');
        setRelation('');
        setContact('');
        setRole('');
        onSaved(t('carePlan.memberSaved'));
      }}
    >
      <TextField
        id="support-name"
        label={t('carePlan.supportName')}
        value={name}
        onChange={setName}
        required
        maxLength={200}
        error={errors.name}
      />
      <TextField
        id="support-relation"
        label={t('carePlan.supportRelation')}
        hint={t('carePlan.supportRelationHint')}
        value={relation}
        onChange={setRelation}
        maxLength={200}
        error={errors.relation}
      />
      <TextField
        id="support-contact"
        label={t('carePlan.supportContact')}
        value={contact}
        onChange={setContact}
        maxLength={500}
        error={errors.contact}
      />
      <TextField
        id="support-role"
        label={t('carePlan.supportRole')}
        value={role}
        onChange={setRole}
        maxLength={1000}
        error={errors.role}
      />
    </FormCard>
  );
}

/** Adds an action with one owner and a due date. */
function ActionForm({ plan: p, onSaved }: { plan: CarePlan; onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  const form = useFormCard();
  const [description, setDescription] = useState('');
  const [goalId, setGoalId] = useState('');
  const [owner, setOwner] = useState('');
  const [dueDate, setDueDate] = useState('');
  const { errors } = form;
  const ownerError = errors.owner ?? errors['owner.kind'] ?? errors['owner.id'];
  return (
    <FormCard
      form={form}
      label={t('carePlan.addAction')}
      openTestId="add-action"
      formTestId="action-form"
      onSubmit={async () => {
        await api.addPlanAction(p.id, {
          description: description.trim(),
          goalId: goalId || null,
          owner: ownerInput(owner),
          dueDate: dueDate.trim() ? (isoDate(dueDate) ?? dueDate) : null,
        } as PlanActionInput);
        setDescription('');
        setGoalId('');
        setOwner('');
        setDueDate('');
        onSaved(t('carePlan.actionSaved'));
      }}
    >
      <TextAreaField
        id="action-description"
        label={t('carePlan.actionDescription')}
        value={description}
        onChange={setDescription}
        required
        maxLength={2000}
        rows={2}
        error={errors.description}
      />
      <Field id="action-goalId" label={t('carePlan.actionGoal')} error={errors.goalId}>
        {(control) => (
          <select {...control} value={goalId} onChange={(e) => setGoalId(e.target.value)}>
            <option value="">{t('carePlan.actionGoalNone')}</option>
            {p.goals.map((g) => (
              <option key={g.id} value={g.id}>
                {g.description}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="action-owner" label={t('carePlan.owner')} hint={t('carePlan.ownerHint')} required error={ownerError}>
        {(control) => (
          <select {...control} value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">{t('carePlan.ownerChoose')}</option>
            {ownerOptions(p, t).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DateField
        id="action-dueDate"
        label={t('carePlan.dueDate')}
        value={dueDate}
        onChange={setDueDate}
        error={errors.dueDate}
      />
    </FormCard>
  );
}
