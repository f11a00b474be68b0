import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { api, type CarePlan, type EvaluationInput, type EvaluationResult } from '../../api';
import { ErrorAlert } from '../../components/Alerts';
import { useConfirm } from '../../components/ConfirmDialog';
import { Field, TextAreaField } from '../../components/Field';
import { useSubmit } from '../../hooks';
import { useLabels } from '../../labels';

const DECISIONS = ['continue', 'step-up', 'step-down', 'close'] as const;
type Decision = (typeof DECISIONS)[number];

/**
 * The evaluation: progress 0–10 per goal, a report, what the person says, and a decision. Closing asks a
 * confirmation; a step up or down leads to the help request's indication and matching at the new level (the
 * level travels in the address), or, without an open help request, to a link that starts one.
 */
export function EvaluationForm({
  plan: p,
  clientId,
  onSaved,
}: {
  plan: CarePlan;
  clientId: string;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const [confirm, dialog] = useConfirm();
  const [open, setOpen] = useState(false);
  const goals = p.goals.filter((g) => g.status === 'active' || g.status === 'proposed');
  const [progress, setProgress] = useState<Record<string, string>>({});
  const [note, setNote] = useState('');
  const [personSays, setPersonSays] = useState('');
  const [decision, setDecision] = useState<Decision>('continue');
  const [reason, setReason] = useState('');
  // a case conference (knelpuntoverleg) records who of the care team was present
  const [caseConference, setCaseConference] = useState(false);
  const [present, setPresent] = useState<string[]>([]);
  const [months, setMonths] = useState(String(p.evaluationIntervalMonths));
  // the interval as saved by this form (a failed evaluation after a saved interval does not send it twice)
  const [savedMonths, setSavedMonths] = useState(String(p.evaluationIntervalMonths));
  const members = p.team.filter((m) => m.active);
  const [stepDownConsidered, setStepDownConsidered] = useState(false);
  const [stepped, setStepped] = useState<NonNullable<EvaluationResult['step']> | null>(null);
  const { error, errors, busy, run, formRef } = useSubmit();

  if (stepped) {
    return (
      <section className="card" role="status" data-testid="step-no-request">
        <p>{t('carePlan.stepNoRequest', { level: labels.level(stepped.toLevel) })}</p>
        <Link
          className="button primary"
          to={`/intake/new?client=${stepped.clientId ?? clientId}&level=${encodeURIComponent(stepped.toLevel)}&step=${stepped.direction}`}
        >
          {t('carePlan.startRequest')}
        </Link>
      </section>
    );
  }
  if (!open) {
    return (
      <p>
        <button type="button" className="button primary" onClick={() => setOpen(true)} data-testid="evaluate">
          {t('carePlan.evaluate')}
        </button>
      </p>
    );
  }

  const memberName = (m: CarePlan['team'][number]) =>
    m.kind === 'person'
      ? t('carePlan.memberKinds.person')
      : `${m.displayName ?? ''} (${t(`carePlan.memberKinds.${m.kind === 'support-person' ? 'support-person' : m.kind === 'caregiver' ? 'caregiver' : 'organization'}`)})`;

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (
      decision === 'close' &&
      !(await confirm({
        title: t('carePlan.closeTitle'),
        message: t('carePlan.closeConfirm'),
        confirmLabel: t('carePlan.confirmClose'),
        danger: true,
      }))
    )
      return;
    // an unreadable progress is sent as typed, so the server names the field
    const body = {
      decision,
      note: note.trim(),
      goals: goals
        .filter((g) => (progress[g.id] ?? '').trim() !== '')
        .map((g) => {
          const text = (progress[g.id] ?? '').trim();
          return { goalId: g.id, progress: /^\d+$/.test(text) ? Number(text) : text };
        }),
      personSays: personSays.trim() || null,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(caseConference ? { caseConference: true, presentMemberIds: present } : {}),
      ...(decision === 'continue' && stepDownConsidered ? { stepDownConsidered: true } : {}),
    } as EvaluationInput;
    void run(async () => {
      // a changed interval is the plan's setting, saved first so the next evaluation date follows from it
      const wanted = months.trim();
      if (decision !== 'close' && wanted !== savedMonths) {
        // an unreadable number is sent as typed, so the server names the field
        const value = /^\d+$/.test(wanted) ? Number(wanted) : wanted;
        await api.updateCarePlan(p.id, { version: p.version, evaluationIntervalMonths: value as number });
        setSavedMonths(wanted);
      }
      const result = await api.evaluateCarePlan(p.id, body);
      if (result.step) {
        const level = encodeURIComponent(result.step.toLevel);
        if (result.step.helpRequestId) {
          navigate(`/help-requests/${result.step.helpRequestId}?level=${level}&step=${result.step.direction}`);
          return;
        }
        setStepped(result.step);
        onSaved(t('carePlan.evaluationSaved'));
        return;
      }
      setOpen(false);
      onSaved(t('carePlan.evaluationSaved'));
    });
  }

  return (
    <form
      className="card subform"
      ref={formRef}
      noValidate
      onSubmit={(e) => void submit(e)}
      data-testid="evaluation-form"
    >
      <h2>{t('carePlan.evaluationTitle')}</h2>
      <ErrorAlert error={error} />
      {goals.map((g, i) => (
        <Field
          key={g.id}
          id={`evaluation-goal-${i}`}
          label={t('carePlan.progressOf', { goal: g.description })}
          hint={t('carePlan.progressHint')}
          error={errors[`goals.${i}.progress`] ?? errors[`goals/${i}/progress`]}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={0}
              max={10}
              className="narrow"
              value={progress[g.id] ?? ''}
              onChange={(e) => setProgress((prev) => ({ ...prev, [g.id]: e.target.value }))}
            />
          )}
        </Field>
      ))}
      <TextAreaField
        id="evaluation-note"
        label={t('carePlan.note')}
        value={note}
        onChange={setNote}
        required
        maxLength={5000}
        error={errors.note}
      />
      <TextAreaField
        id="evaluation-personSays"
        label={t('carePlan.personSays')}
        value={personSays}
        onChange={setPersonSays}
        maxLength={5000}
        rows={2}
        error={errors.personSays}
      />
      <fieldset className="field">
        <legend>{t('carePlan.decision')}</legend>
        {DECISIONS.map((d) => (
          <label key={d} className="radio">
            <input
              type="radio"
              name="evaluation-decision"
              value={d}
              checked={decision === d}
              onChange={() => setDecision(d)}
            />{' '}
            {t(`carePlan.decisions.${d}`)}
          </label>
        ))}
        {errors.decision && <p className="field-error">{errors.decision}</p>}
      </fieldset>
      <fieldset className="field" data-testid="case-conference">
        <legend>{t('carePlan.caseConference')}</legend>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={caseConference}
            onChange={(e) => setCaseConference(e.target.checked)}
            data-testid="case-conference-toggle"
          />{' '}
          {t('carePlan.caseConferenceMark')}
        </label>
        {caseConference && (
          <fieldset className="field" aria-describedby="evaluation-present-hint">
            <legend>{t('carePlan.presentMembers')}</legend>
            <p className="hint" id="evaluation-present-hint">
              {t('carePlan.presentHint')}
            </p>
            {members.map((m) => (
              <label key={m.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={present.includes(m.id)}
                  onChange={(e) =>
                    setPresent((prev) => (e.target.checked ? [...prev, m.id] : prev.filter((x) => x !== m.id)))
                  }
                />{' '}
                {memberName(m)}
              </label>
            ))}
            {errors.presentMemberIds && <p className="field-error">{errors.presentMemberIds}</p>}
          </fieldset>
        )}
      </fieldset>
      {decision !== 'close' && (
        <Field
          id="evaluation-interval"
          label={t('carePlan.interval')}
          hint={t('carePlan.intervalHint')}
          error={errors.evaluationIntervalMonths}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              max={24}
              className="narrow"
              value={months}
              onChange={(e) => setMonths(e.target.value)}
            />
          )}
        </Field>
      )}
      {decision === 'continue' && (
        <div className="field">
          <label>
            <input
              type="checkbox"
              name="evaluation-stepDownConsidered"
              checked={stepDownConsidered}
              onChange={(e) => setStepDownConsidered(e.target.checked)}
            />{' '}
            {t('carePlan.stepDownConsidered')}
          </label>
          {errors.stepDownConsidered && <p className="field-error">{errors.stepDownConsidered}</p>}
        </div>
      )}
      {decision !== 'continue' && (
        <TextAreaField
          id="evaluation-reason"
          label={t('carePlan.reason')}
          hint={t('carePlan.reasonHint')}
          value={reason}
          onChange={setReason}
          maxLength={2000}
          rows={2}
          error={errors.reason}
        />
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('carePlan.saveEvaluation')}
        </button>
        <button type="button" className="button secondary" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
      {dialog}
    </form>
  );
}
