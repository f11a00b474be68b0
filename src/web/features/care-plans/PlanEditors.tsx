import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  api,
  isOneOf,
  LIFE_DOMAINS,
  ProblemError,
  type CarePlan,
  type CarePlanAction,
  type CarePlanGoal,
  type CarePlanMember,
  type CarePlanEdit,
  type GoalEdit,
  type PlanActionEdit,
} from '../../api';
import { useConfirm } from '../../components/ConfirmDialog';
import { DateField } from '../../components/DateField';
import { Field, TextAreaField, TextField } from '../../components/Field';
import { dateText, isoDate } from '../../dates';
import { formatDate } from '../../format';
import { useLabels } from '../../labels';
import { FormCard, useFormCard } from './FormCard';
import { VersionedEdit } from './VersionedEdit';

export const GOAL_STATUSES = ['proposed', 'active', 'achieved', 'not-achieved', 'cancelled'] as const;
export const ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export const AGREEMENT_METHODS = ['spoken', 'signed-paper', 'in-person'] as const;

type Saved = (message: string) => void;
/** A typed date as the server wants it: ISO when readable, else as typed (the server names the field). */
const dateOut = (text: string) => (text.trim() ? (isoDate(text) ?? text.trim()) : null);
const showDate = (text: string) => (isoDate(text) ? formatDate(isoDate(text)) : text);

// ------------------------------------------------------------------------------------------------ goals
type GoalValues = {
  description: string;
  professionalWording: string;
  lifeDomain: string;
  targetDate: string;
  status: string;
};
const readGoal = (g: CarePlanGoal): GoalValues => ({
  description: g.description,
  professionalWording: g.professionalWording ?? '',
  lifeDomain: g.lifeDomain ?? '',
  targetDate: dateText(g.targetDate),
  status: g.status,
});

/** Edits a goal in place: the person's words, the professional wording, life domain, target date, status. */
export function GoalEditor({
  planId,
  goal,
  index,
  onSaved,
}: {
  planId: string;
  goal: CarePlanGoal;
  index: number;
  onSaved: Saved;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const statusName = (s: string) => (isOneOf(GOAL_STATUSES, s) ? t(`carePlan.goalStatuses.${s}`) : s);
  const id = `goal-${index}`;
  return (
    <VersionedEdit
      record={goal}
      read={readGoal}
      by={(g) => g.updatedByDisplayName}
      fields={[
        { key: 'description', label: t('carePlan.goalOwnWords') },
        { key: 'professionalWording', label: t('carePlan.goalProfessional') },
        { key: 'lifeDomain', label: t('carePlan.lifeDomain'), show: (v) => labels.lifeDomain(v) },
        { key: 'targetDate', label: t('carePlan.targetDate'), show: showDate },
        { key: 'status', label: t('carePlan.goalStatus'), show: statusName },
      ]}
      send={(version, c) =>
        api.updateGoal(planId, goal.id, {
          version,
          ...(c.description !== undefined ? { description: c.description.trim() } : {}),
          ...(c.professionalWording !== undefined ? { professionalWording: c.professionalWording.trim() || null } : {}),
          ...(c.lifeDomain !== undefined ? { lifeDomain: c.lifeDomain || null } : {}),
          ...(c.targetDate !== undefined ? { targetDate: dateOut(c.targetDate) } : {}),
          ...(c.status !== undefined ? { status: c.status } : {}),
        } as GoalEdit)
      }
      onSaved={onSaved}
      savedMessage={t('carePlan.goalUpdated')}
      label={t('carePlan.edit')}
      openLabel={t('carePlan.editGoal', { goal: goal.description })}
      title={t('carePlan.editGoalTitle')}
      openTestId="edit-goal"
      formTestId="goal-edit-form"
    >
      {(v, set, errors) => (
        <>
          <TextAreaField
            id={`${id}-description`}
            label={t('carePlan.goalOwnWords')}
            hint={t('carePlan.goalOwnWordsHint')}
            value={v.description}
            onChange={(x) => set('description', x)}
            required
            maxLength={2000}
            rows={2}
            error={errors.description}
          />
          <TextAreaField
            id={`${id}-professionalWording`}
            label={t('carePlan.goalProfessional')}
            value={v.professionalWording}
            onChange={(x) => set('professionalWording', x)}
            maxLength={2000}
            rows={2}
            error={errors.professionalWording}
          />
          <Field id={`${id}-lifeDomain`} label={t('carePlan.lifeDomain')} error={errors.lifeDomain}>
            {(control) => (
              <select {...control} value={v.lifeDomain} onChange={(e) => set('lifeDomain', e.target.value)}>
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
            id={`${id}-targetDate`}
            label={t('carePlan.targetDate')}
            value={v.targetDate}
            onChange={(x) => set('targetDate', x)}
            error={errors.targetDate}
          />
          <Field id={`${id}-status`} label={t('carePlan.goalStatus')} error={errors.status}>
            {(control) => (
              <select {...control} value={v.status} onChange={(e) => set('status', e.target.value)}>
                {GOAL_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {statusName(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
    </VersionedEdit>
  );
}

// ------------------------------------------------------------------------------------------------ actions
/** The owners an action may have, from the care team: organisations, caregivers, the person, support persons. */
export function ownerOptions(p: CarePlan, t: TFunction) {
  const options: { value: string; label: string }[] = [{ value: 'client:', label: t('carePlan.ownerPerson') }];
  for (const m of p.team.filter((x) => x.active)) {
    if (m.kind === 'organization' && m.organizationId)
      options.push({
        value: `organization:${m.organizationId}`,
        label: `${m.displayName ?? ''} (${t('carePlan.ownerKinds.organization')})`,
      });
    if (m.kind === 'caregiver' && m.userId)
      options.push({ value: `user:${m.userId}`, label: `${m.displayName ?? ''} (${t('carePlan.ownerKinds.user')})` });
    if (m.kind === 'support-person')
      options.push({
        value: `support-person:${m.id}`,
        label: `${m.displayName ?? ''} (${t('carePlan.ownerKinds.support-person')})`,
      });
  }
  return options;
}

/** "kind:id" of the select ↔ the owner the API takes. */
export function ownerValue(owner: CarePlanAction['owner']): string {
  return `${owner.kind}:${owner.id ?? ''}`;
}
export function ownerInput(value: string) {
  const [kind = '', id = ''] = value.split(':');
  return kind ? { kind, ...(id ? { id } : {}) } : undefined;
}

type ActionValues = { description: string; status: string; owner: string; dueDate: string };
const readAction = (a: CarePlanAction): ActionValues => ({
  description: a.description,
  status: a.status,
  owner: ownerValue(a.owner),
  dueDate: dateText(a.dueDate),
});

/** Edits an action in place: what, who, by when, status (open / done / dropped). */
export function ActionEditor({
  plan: p,
  action,
  index,
  onSaved,
}: {
  plan: CarePlan;
  action: CarePlanAction;
  index: number;
  onSaved: Saved;
}) {
  const { t } = useTranslation();
  const options = ownerOptions(p, t);
  // an owner outside today's team (a colleague, a member who left) stays choosable as it is
  if (!options.some((o) => o.value === ownerValue(action.owner)))
    options.push({
      value: ownerValue(action.owner),
      label: `${action.owner.name ?? ''} (${t(`carePlan.ownerKinds.${action.owner.kind}`)})`,
    });
  const ownerName = (v: string) => options.find((o) => o.value === v)?.label ?? v;
  const statusName = (s: string) => (isOneOf(ACTION_STATUSES, s) ? t(`carePlan.actionStatuses.${s}`) : s);
  const id = `action-${index}`;
  return (
    <VersionedEdit
      record={action}
      read={readAction}
      fields={[
        { key: 'description', label: t('carePlan.actionDescription') },
        { key: 'owner', label: t('carePlan.owner'), show: ownerName },
        { key: 'dueDate', label: t('carePlan.dueDate'), show: showDate },
        { key: 'status', label: t('common.status'), show: statusName },
      ]}
      send={(version, c) =>
        api.updatePlanAction(p.id, action.id, {
          version,
          ...(c.description !== undefined ? { description: c.description.trim() } : {}),
          ...(c.owner !== undefined ? { owner: ownerInput(c.owner) } : {}),
          ...(c.dueDate !== undefined ? { dueDate: dateOut(c.dueDate) } : {}),
          ...(c.status !== undefined ? { status: c.status } : {}),
        } as PlanActionEdit)
      }
      onSaved={onSaved}
      savedMessage={t('carePlan.actionUpdated')}
      label={t('carePlan.edit')}
      openLabel={t('carePlan.editAction', { action: action.description })}
      title={t('carePlan.editActionTitle')}
      openTestId="edit-action"
      formTestId="action-edit-form"
    >
      {(v, set, errors) => (
        <>
          <TextAreaField
            id={`${id}-description`}
            label={t('carePlan.actionDescription')}
            value={v.description}
            onChange={(x) => set('description', x)}
            required
            maxLength={2000}
            rows={2}
            error={errors.description}
          />
          <Field id={`${id}-owner`} label={t('carePlan.owner')} required error={errors.owner ?? errors.id}>
            {(control) => (
              <select {...control} value={v.owner} onChange={(e) => set('owner', e.target.value)}>
                {options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <DateField
            id={`${id}-dueDate`}
            label={t('carePlan.dueDate')}
            value={v.dueDate}
            onChange={(x) => set('dueDate', x)}
            error={errors.dueDate}
          />
          <Field id={`${id}-status`} label={t('common.status')} error={errors.status}>
            {(control) => (
              <select {...control} value={v.status} onChange={(e) => set('status', e.target.value)}>
                {ACTION_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {statusName(s)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
    </VersionedEdit>
  );
}

/**
 * Marks an open action done in one click. When someone else changed the action meanwhile and left it open, the
 * status alone is sent again on their version (their other changes stay); when they changed the status themselves,
 * nothing is sent and the page says what they decided.
 */
export function DoneButton({ planId, action, onSaved }: { planId: string; action: CarePlanAction; onSaved: Saved }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function markDone() {
    setBusy(true);
    setError(null);
    try {
      await api.updatePlanAction(planId, action.id, { version: action.version, status: 'done' });
    } catch (err) {
      const current = err instanceof ProblemError && err.status === 409 ? (err.current as CarePlanAction | null) : null;
      if (!current || current.status !== 'open') {
        setBusy(false);
        if (current && isOneOf(ACTION_STATUSES, current.status))
          onSaved(t('carePlan.doneConflict', { status: t(`carePlan.actionStatuses.${current.status}`) }));
        else setError(err instanceof Error ? err.message : String(err));
        return;
      }
      try {
        await api.updatePlanAction(planId, action.id, { version: current.version, status: 'done' });
      } catch (again) {
        setBusy(false);
        setError(again instanceof Error ? again.message : String(again));
        return;
      }
    }
    setBusy(false);
    onSaved(t('carePlan.actionDone'));
  }
  return (
    <>
      <button
        type="button"
        className="button secondary small no-print"
        disabled={busy}
        aria-label={t('carePlan.markDoneOf', { action: action.description })}
        data-testid="action-done"
        onClick={() => void markDone()}
      >
        {t('carePlan.markDone')}
      </button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

// ------------------------------------------------------------------------------------------------ team
type SupportValues = { name: string; relation: string; contact: string; role: string };
const readSupport = (m: CarePlanMember): SupportValues => ({
  name: m.displayName ?? '',
  relation: m.relation ?? '',
  contact: m.contact ?? '',
  role: m.role ?? '',
});

/** Edits a support person (name, relation, how to reach them, what they do) or takes them off the team. */
export function SupportPersonEditor({
  planId,
  member,
  index,
  onSaved,
}: {
  planId: string;
  member: CarePlanMember;
  index: number;
  onSaved: Saved;
}) {
  const { t } = useTranslation();
  const [confirm, dialog] = useConfirm();
  const [error, setError] = useState<string | null>(null);
  const id = `support-${index}`;
  const name = member.displayName ?? '';
  async function remove() {
    const ok = await confirm({
      title: t('carePlan.removeSupportTitle'),
      message: t('carePlan.removeSupportConfirm', { name }),
      confirmLabel: t('carePlan.remove'),
      danger: true,
    });
    if (!ok) return;
    setError(null);
    try {
      await api.updateTeamMember(planId, member.id, { version: member.version, active: false });
      onSaved(t('carePlan.supportRemoved', { name }));
    } catch (err) {
      // someone changed this person meanwhile: show what is there now rather than removing blindly
      if (err instanceof ProblemError && err.status === 409) onSaved(t('carePlan.supportChangedMeanwhile', { name }));
      else setError(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <div className="member-edit no-print">
      <VersionedEdit
        record={member}
        read={readSupport}
        fields={[
          { key: 'name', label: t('carePlan.supportName') },
          { key: 'relation', label: t('carePlan.supportRelation') },
          { key: 'contact', label: t('carePlan.supportContact') },
          { key: 'role', label: t('carePlan.supportRole') },
        ]}
        send={(version, c) =>
          api.updateTeamMember(planId, member.id, {
            version,
            ...(c.name !== undefined ? { name: c.name.trim() } : {}),
            ...(c.relation !== undefined ? { relation: c.relation.trim() || null } : {}),
            ...(c.contact !== undefined ? { contact: c.contact.trim() || null } : {}),
            ...(c.role !== undefined ? { role: c.role.trim() || null } : {}),
          })
        }
        onSaved={onSaved}
        savedMessage={t('carePlan.supportUpdated', { name })}
        label={t('carePlan.edit')}
        openLabel={t('carePlan.editSupport', { name })}
        title={t('carePlan.editSupportTitle')}
        openTestId="edit-support"
        formTestId="support-edit-form"
      >
        {(v, set, errors) => (
          <>
            <TextField
              id={`${id}-name`}
              label={t('carePlan.supportName')}
              value={v.name}
              onChange={(x) => set('name', x)}
              required
              maxLength={200}
              error={errors.name}
            />
            <TextField
              id={`${id}-relation`}
              label={t('carePlan.supportRelation')}
              value={v.relation}
              onChange={(x) => set('relation', x)}
              maxLength={200}
              error={errors.relation}
            />
            <TextField
              id={`${id}-contact`}
              label={t('carePlan.supportContact')}
              value={v.contact}
              onChange={(x) => set('contact', x)}
              maxLength={500}
              error={errors.contact}
            />
            <TextField
              id={`${id}-role`}
              label={t('carePlan.supportRole')}
              value={v.role}
              onChange={(x) => set('role', x)}
              maxLength={1000}
              error={errors.role}
            />
          </>
        )}
      </VersionedEdit>
      <p>
        <button
          type="button"
          className="button secondary"
          aria-label={t('carePlan.removeSupport', { name })}
          data-testid="remove-support"
          onClick={() => void remove()}
        >
          {t('carePlan.remove')}
        </button>
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {dialog}
    </div>
  );
}

/** Hands the coordinator role (regisseur) to another caregiver or organisation of the team, with a reason. */
export function HandoverForm({ plan: p, onSaved }: { plan: CarePlan; onSaved: Saved }) {
  const { t } = useTranslation();
  const form = useFormCard();
  const [confirm, dialog] = useConfirm();
  const [memberId, setMemberId] = useState('');
  const [reason, setReason] = useState('');
  const candidates = p.team.filter(
    (m) => m.active && (m.kind === 'caregiver' || m.kind === 'organization') && m.id !== p.coordinatorMemberId,
  );
  const label = (m: CarePlanMember) =>
    `${m.displayName ?? ''} (${t(`carePlan.memberKinds.${m.kind === 'caregiver' ? 'caregiver' : 'organization'}`)}${
      m.kind === 'caregiver' && m.organizationName ? `, ${m.organizationName}` : ''
    })`;
  return (
    <>
      <FormCard
        form={form}
        label={t('carePlan.handover')}
        openTestId="handover"
        formTestId="handover-form"
        onOpen={() => {
          setMemberId('');
          setReason('');
        }}
        onSubmit={async () => {
          const to = candidates.find((m) => m.id === memberId);
          if (
            to &&
            !(await confirm({
              title: t('carePlan.handoverTitle'),
              message: t('carePlan.handoverConfirm', { name: to.displayName ?? '' }),
              confirmLabel: t('carePlan.handoverConfirmLabel'),
            }))
          )
            return false;
          // an empty choice is sent as it is, so the server names the field
          await api.handOverCoordinator(p.id, { memberId, ...(reason.trim() ? { reason: reason.trim() } : {}) });
          onSaved(t('carePlan.handedOver', { name: to?.displayName ?? '' }));
        }}
      >
        {candidates.length === 0 && <p className="empty">{t('carePlan.handoverNobody')}</p>}
        <Field id="handover-member" label={t('carePlan.handoverTo')} required error={form.errors.memberId}>
          {(control) => (
            <select {...control} value={memberId} onChange={(e) => setMemberId(e.target.value)}>
              <option value="">{t('carePlan.ownerChoose')}</option>
              {candidates.map((m) => (
                <option key={m.id} value={m.id}>
                  {label(m)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextAreaField
          id="handover-reason"
          label={t('carePlan.handoverReason')}
          value={reason}
          onChange={setReason}
          maxLength={1000}
          rows={2}
          error={form.errors.reason}
        />
      </FormCard>
      {dialog}
    </>
  );
}

// ------------------------------------------------------------------------------------------------ samen beslissen
type AgreementValues = { personWishes: string; agreedOn: string; agreementMethod: string };
const readAgreement = (p: CarePlan): AgreementValues => ({
  personWishes: p.personWishes ?? '',
  agreedOn: dateText(p.agreedOn),
  agreementMethod: p.agreementMethod ?? '',
});

/** Samen beslissen: that the person agreed to the plan (when, how) and what they want, in their own words. */
export function AgreementEditor({ plan: p, onSaved }: { plan: CarePlan; onSaved: Saved }) {
  const { t } = useTranslation();
  const methodName = (m: string) => (isOneOf(AGREEMENT_METHODS, m) ? t(`carePlan.agreementMethods.${m}`) : m);
  return (
    <VersionedEdit
      record={p}
      read={readAgreement}
      fields={[
        { key: 'personWishes', label: t('carePlan.personWishes') },
        { key: 'agreedOn', label: t('carePlan.agreedOn'), show: showDate },
        { key: 'agreementMethod', label: t('carePlan.agreementMethod'), show: methodName },
      ]}
      send={(version, c) =>
        api.updateCarePlan(p.id, {
          version,
          ...(c.personWishes !== undefined ? { personWishes: c.personWishes.trim() || null } : {}),
          ...(c.agreedOn !== undefined ? { agreedOn: dateOut(c.agreedOn) } : {}),
          ...(c.agreementMethod !== undefined ? { agreementMethod: c.agreementMethod || null } : {}),
        } as CarePlanEdit)
      }
      onSaved={onSaved}
      savedMessage={t('carePlan.agreementSaved')}
      label={t('carePlan.recordAgreement')}
      title={t('carePlan.agreementTitle')}
      openTestId="record-agreement"
      formTestId="agreement-form"
    >
      {(v, set, errors) => (
        <>
          <TextAreaField
            id="agreement-personWishes"
            label={t('carePlan.personWishes')}
            hint={t('carePlan.personWishesHint')}
            value={v.personWishes}
            onChange={(x) => set('personWishes', x)}
            maxLength={5000}
            rows={3}
            error={errors.personWishes}
          />
          <DateField
            id="agreement-agreedOn"
            label={t('carePlan.agreedOn')}
            value={v.agreedOn}
            onChange={(x) => set('agreedOn', x)}
            error={errors.agreedOn}
          />
          <fieldset className="field">
            <legend>{t('carePlan.agreementMethod')}</legend>
            {AGREEMENT_METHODS.map((m) => (
              <label key={m} className="radio">
                <input
                  type="radio"
                  name="agreement-method"
                  value={m}
                  checked={v.agreementMethod === m}
                  onChange={() => set('agreementMethod', m)}
                />{' '}
                {methodName(m)}
              </label>
            ))}
            {errors.agreementMethod && <p className="field-error">{errors.agreementMethod}</p>}
          </fieldset>
        </>
      )}
    </VersionedEdit>
  );
}
