import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../components/DateField';
import { dateText, isoDate, readTime } from '../../dates';
import { api, CONTACT_KINDS, ProblemError, type ContactInput, type TrajectoryContact } from '../../api';
import { ErrorAlert, useFocusAfterRender } from '../../components/Alerts';
import { Field, TextAreaField, TextField } from '../../components/Field';
import { useSubmit } from '../../hooks';

/** The order of the fields, for moving the focus to the first one the server refused. */
const FIELD_ORDER = ['at', 'minutes', 'kind', 'supportPersons', 'otherOrganizations', 'note'] as const;

/** "2026-11-03T10:00" in the browser's time zone, for a datetime-local input. */
const pad = (n: number) => String(n).padStart(2, '0');
/** The moment as the form shows it: a day typed as dd/mm/jjjj and an hour as uu:mm (local time). */
function localParts(iso: string | null): { day: string; time: string } {
  const d = iso ? new Date(iso) : new Date();
  return {
    day: dateText(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`),
    time: `${pad(d.getHours())}:${pad(d.getMinutes())}`,
  };
}

/**
 * Adds a contact to the log, or corrects one (the server keeps the earlier version). Keyboard only: native
 * controls in order; after a refusal the focus goes to the first field in error, whose message stands below it.
 */
export function ContactForm({
  trajectoryId,
  contact,
  onSaved,
  onCancel,
}: {
  trajectoryId: string;
  contact?: TrajectoryContact;
  onSaved: (message: string) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const prefix = contact ? `contact-${contact.id}` : 'contact-new';
  const focusAfterRender = useFocusAfterRender();
  const [day, setDay] = useState(() => localParts(contact?.at ?? null).day);
  const [time, setTime] = useState(() => localParts(contact?.at ?? null).time);
  const [minutes, setMinutes] = useState(contact ? String(contact.minutes) : '');
  const [kind, setKind] = useState(contact?.kind ?? '');
  const [withClient, setWithClient] = useState(contact?.withClient ?? true);
  const [noShow, setNoShow] = useState(contact?.noShow ?? false);
  const [supportPersons, setSupportPersons] = useState(contact?.supportPersons ?? '');
  const [otherOrganizations, setOtherOrganizations] = useState(contact?.otherOrganizations ?? '');
  const [note, setNote] = useState(contact?.note ?? '');
  const { error, errors, busy, run } = useSubmit();

  function focusFirstError(byField: Record<string, string>) {
    const first = FIELD_ORDER.find((f) => byField[f]);
    if (first) focusAfterRender(`${prefix}-${first}`);
  }

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const dayIso = isoDate(day);
    const hour = readTime(time);
    const local = dayIso && hour ? `${dayIso}T${hour}` : '';
    // an unreadable day or hour is sent as typed, so the server names the field
    const atIso = local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : `${day} ${time}`.trim();
    // an empty number or choice is left out, so the server names it as missing
    const body = {
      at: atIso,
      minutes: minutes === '' ? undefined : Number(minutes),
      kind: kind === '' ? undefined : kind,
      withClient,
      noShow,
      supportPersons: supportPersons.trim() || null,
      otherOrganizations: otherOrganizations.trim() || null,
      note: note.trim() || null,
    };
    void run(async () => {
      try {
        const input = body as ContactInput;
        if (contact) await api.updateContact(trajectoryId, contact.id, { ...input, version: contact.version });
        else await api.addContact(trajectoryId, input);
      } catch (err) {
        if (err instanceof ProblemError) focusFirstError(err.byField());
        throw err;
      }
      onSaved(t('contacts.saved'));
    });
  }

  return (
    <form onSubmit={submit} noValidate className="subform" data-testid={`${prefix}-form`}>
      <h3>{contact ? t('contacts.editTitle') : t('contacts.add')}</h3>
      <ErrorAlert error={error} />
      <div className="inline-fields">
        <DateField
          id={`${prefix}-at`}
          label={t('contacts.at')}
          value={day}
          onChange={setDay}
          required
          error={errors.at}
        />
        <TextField
          id={`${prefix}-time`}
          label={t('dates.time')}
          hint={t('dates.timeHint')}
          inputMode="numeric"
          autoComplete="off"
          maxLength={5}
          value={time}
          onChange={setTime}
          required
          className="narrow"
        />
      </div>
      <TextField
        id={`${prefix}-minutes`}
        label={t('contacts.minutes')}
        type="number"
        inputMode="numeric"
        min={0}
        max={1440}
        value={minutes}
        onChange={setMinutes}
        required
        error={errors.minutes}
      />
      <Field id={`${prefix}-kind`} label={t('contacts.kind')} required error={errors.kind}>
        {(control) => (
          <select {...control} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">—</option>
            {CONTACT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`contacts.kinds.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field">
        <label>
          <input type="checkbox" checked={withClient} onChange={(e) => setWithClient(e.target.checked)} />{' '}
          {t('contacts.withClient')}
        </label>
      </div>
      <div className="field">
        <label>
          <input type="checkbox" checked={noShow} onChange={(e) => setNoShow(e.target.checked)} />{' '}
          {t('contacts.noShow')}
        </label>
      </div>
      <TextField
        id={`${prefix}-supportPersons`}
        label={t('contacts.supportPersons')}
        value={supportPersons}
        onChange={setSupportPersons}
        maxLength={500}
        error={errors.supportPersons}
      />
      <TextField
        id={`${prefix}-otherOrganizations`}
        label={t('contacts.otherOrganizations')}
        value={otherOrganizations}
        onChange={setOtherOrganizations}
        maxLength={500}
        error={errors.otherOrganizations}
      />
      <TextAreaField
        id={`${prefix}-note`}
        label={t('contacts.note')}
        hint={t('contacts.noteHint')}
        value={note}
        onChange={setNote}
        maxLength={10000}
        error={errors.note}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('contacts.save')}
        </button>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
