import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router-dom';
import { api, FACILITY_CONTACT_KINDS, type FacilityContactInput } from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../../components/Alerts';
import { useConfirm } from '../../components/ConfirmDialog';
import { DateField } from '../../components/DateField';
import { Field, TextAreaField } from '../../components/Field';
import { dateText, isoDate } from '../../dates';
import { formatDate } from '../../format';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';

/** A facility case: why it was opened, its contacts (phone advice, specialised advice, on site, follow-up), closing. */
export function FacilityCasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const { can } = useAuth();
  const item = useLoad(() => api.facilityCase(id), [id]);
  const [flash, setFlash] = useState<string | null>((location.state as { flash?: string } | null)?.flash ?? null);
  useDocumentTitle(item.data?.facilityName ?? t('facilityCase.title'));
  const back = (
    <p className="breadcrumb">
      <Link to="/facilities">{t('facilities.title')}</Link>
    </p>
  );
  if (item.loading && !item.data) return <Loading />;
  if (!item.data)
    return (
      <LoadFailed
        back={back}
        title={t('facilityCase.title')}
        error={item.error}
        notFound={t('facilityCase.notFound')}
      />
    );
  const c = item.data;
  const open = c.status === 'open';
  const mayWrite = can('facility:write') && open;
  const done = (message: string) => {
    setFlash(message);
    item.reload();
  };

  return (
    <>
      {back}
      <div className="page-head">
        <h1>{c.facilityName}</h1>
        <span className="badge badge-status" data-testid="case-status">
          {t(open ? 'facilities.statusOpen' : 'facilities.statusClosed')}
        </span>
      </div>
      <StatusMessage message={flash} />
      <section className="card" aria-labelledby="case-data">
        <h2 id="case-data" className="visually-hidden">
          {t('facilityCase.title')}
        </h2>
        <dl className="details">
          <dt>{t('facilities.origin')}</dt>
          <dd>{t(`facilities.origins.${c.origin}`)}</dd>
          <dt>{t('facilities.reason')}</dt>
          <dd>{c.reason}</dd>
          <dt>{t('facilities.openedOn')}</dt>
          <dd>{formatDate(c.openedOn)}</dd>
          {c.closedOn && (
            <>
              <dt>{t('facilityCase.closedOn')}</dt>
              <dd>{formatDate(c.closedOn)}</dd>
              <dt>{t('facilityCase.summary')}</dt>
              <dd>{c.summary}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="card" aria-labelledby="case-contacts">
        <h2 id="case-contacts">{t('facilityCase.contactLog')}</h2>
        {c.contactLog.length === 0 ? (
          <p className="empty">{t('facilityCase.noContacts')}</p>
        ) : (
          <table className="table" data-testid="case-contacts-table">
            <caption className="visually-hidden">{t('facilityCase.contactCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('facilityCase.date')}</th>
                <th scope="col">{t('facilityCase.kind')}</th>
                <th scope="col">{t('facilityCase.who')}</th>
                <th scope="col">{t('facilityCase.note')}</th>
              </tr>
            </thead>
            <tbody>
              {c.contactLog.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{formatDate(k.date)}</th>
                  <td>{t(`facilityCase.kinds.${k.kind}`)}</td>
                  <td>{k.userDisplayName}</td>
                  <td>{k.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {mayWrite && <ContactForm caseId={c.id} onDone={done} />}
      </section>
      {mayWrite && <CloseForm caseId={c.id} onDone={done} />}
    </>
  );
}

function ContactForm({ caseId, onDone }: { caseId: string; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState('');
  const [date, setDate] = useState(() => dateText(new Date().toISOString().slice(0, 10)));
  const [note, setNote] = useState('');
  const { error, errors, busy, run, formRef } = useSubmit();
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      kind: kind || undefined,
      date: isoDate(date) ?? date,
      note: note.trim() || null,
    } as FacilityContactInput;
    void run(async () => {
      await api.addFacilityContact(caseId, body);
      setKind('');
      setNote('');
      onDone(t('facilityCase.contactSaved'));
    });
  }
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="subform" data-testid="facility-contact-form">
      <h3>{t('facilityCase.addContact')}</h3>
      <ErrorAlert error={error} />
      <Field id="fc-kind" label={t('facilityCase.kind')} required error={errors.kind}>
        {(control) => (
          <select {...control} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">—</option>
            {FACILITY_CONTACT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`facilityCase.kinds.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <DateField
        id="fc-date"
        label={t('facilityCase.date')}
        value={date}
        onChange={setDate}
        required
        error={errors.date}
      />
      <TextAreaField
        id="fc-note"
        label={t('facilityCase.note')}
        value={note}
        onChange={setNote}
        maxLength={5000}
        rows={3}
        error={errors.note}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('facilityCase.saveContact')}
        </button>
      </div>
    </form>
  );
}

function CloseForm({ caseId, onDone }: { caseId: string; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const [summary, setSummary] = useState('');
  const [confirm, dialog] = useConfirm();
  const { error, errors, busy, run, formRef } = useSubmit();
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const ok = await confirm({
      title: t('facilityCase.closeTitle'),
      message: t('facilityCase.closeMessage'),
      confirmLabel: t('facilityCase.closeConfirm'),
      danger: true,
    });
    if (!ok) return;
    void run(async () => {
      await api.closeFacilityCase(caseId, summary);
      onDone(t('facilityCase.closed'));
    });
  }
  return (
    <section className="card" aria-labelledby="case-close">
      <h2 id="case-close">{t('facilityCase.close')}</h2>
      {dialog}
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate data-testid="case-close-form">
        <ErrorAlert error={error} />
        <TextAreaField
          id="case-summary"
          label={t('facilityCase.summary')}
          value={summary}
          onChange={setSummary}
          required
          maxLength={5000}
          rows={3}
          error={errors.summary}
        />
        <div className="actions">
          <button type="submit" className="button danger" disabled={busy}>
            {t('facilityCase.close')}
          </button>
        </div>
      </form>
    </section>
  );
}
