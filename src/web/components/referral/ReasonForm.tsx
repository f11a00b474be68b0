import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeclineReason } from '../../api';
import { useLabels } from '../../labels';
import { Field, TextAreaField } from '../Field';

/** A closing action that needs one of a list of reasons, and a text when the reason is "other". */
export function ReasonForm<R extends string>(props: {
  prefix: 'close' | 'decline';
  testId?: string;
  intro?: string;
  reasons: readonly R[];
  reason: R | '';
  onReason: (r: R | '') => void;
  note: string;
  onNote: (n: string) => void;
  reasonError?: string;
  noteError?: string;
  action: 'complete' | 'decline';
  buttonClass: string;
  busy: boolean;
  onSubmit: (e: FormEvent) => void;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  const { prefix } = props;
  return (
    <form onSubmit={props.onSubmit} noValidate className="subform action-form" data-testid={props.testId}>
      <h3>{t(`referral.${prefix}Heading`)}</h3>
      {props.intro && <p className="hint">{props.intro}</p>}
      <Field id={`action-${prefix}-reason`} label={t(`referral.${prefix}Reason`)} error={props.reasonError} required>
        {(control) => (
          <select {...control} value={props.reason} onChange={(e) => props.onReason(e.target.value as R | '')}>
            <option value="">{t(`referral.${prefix}ReasonChoose`)}</option>
            {props.reasons.map((d) => (
              <option key={d} value={d}>
                {labels.declineReason(d as DeclineReason)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextAreaField
        id={`action-${prefix}-note`}
        label={t(`referral.${prefix}Note`)}
        hint={t(`referral.${prefix}NoteHint`)}
        value={props.note}
        onChange={props.onNote}
        error={props.noteError}
        required={props.reason === 'other'}
        rows={2}
        maxLength={5000}
      />
      <button type="submit" className={`button ${props.buttonClass}`} disabled={props.busy}>
        {labels.referralAction(props.action)}
      </button>
    </form>
  );
}
