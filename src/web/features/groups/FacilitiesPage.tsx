import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import {
  api,
  CASE_ORIGINS,
  FACILITY_KINDS,
  isOneOf,
  type Facility,
  type FacilityCaseCreate,
  type FacilityCreate,
} from '../../api';
import { useAuth } from '../../auth';
import { ErrorAlert, Loading, StatusMessage } from '../../components/Alerts';
import { DateField } from '../../components/DateField';
import { Field, TextAreaField, TextField } from '../../components/Field';
import { dateText, isoDate } from '../../dates';
import { formatDate, formatPhone } from '../../format';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';

const FILTERS = ['open', 'closed', 'all'] as const;

/** Support to facilities: the register, the cases (open first) and opening a case. */
export function FacilitiesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const filter = isOneOf(FILTERS, raw) ? raw : 'open';
  const facilities = useLoad(() => api.facilities(), []);
  const cases = useLoad(() => api.facilityCases(filter === 'all' ? {} : { status: filter }), [filter]);
  const [flash, setFlash] = useState<string | null>(null);
  useDocumentTitle(t('facilities.title'));
  const mayWrite = can('facility:write');
  const register = facilities.data?.items ?? [];
  const caseItems = cases.data?.items ?? [];

  return (
    <>
      <h1>{t('facilities.title')}</h1>
      <StatusMessage message={flash} />
      <section className="card" aria-labelledby="facility-cases">
        <h2 id="facility-cases">{t('facilities.cases')}</h2>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <Field id="cases-status" label={t('common.status')}>
            {(control) => (
              <select
                {...control}
                value={filter}
                onChange={(e) => setParams(new URLSearchParams({ status: e.target.value }), { replace: true })}
              >
                <option value="open">{t('facilities.statusOpen')}</option>
                <option value="closed">{t('facilities.statusClosed')}</option>
                <option value="all">{t('facilities.statusAll')}</option>
              </select>
            )}
          </Field>
        </form>
        <ErrorAlert error={cases.error} />
        {cases.loading && !cases.data ? (
          <Loading />
        ) : caseItems.length === 0 ? (
          <p className="empty" data-testid="cases-empty">
            {t('facilities.emptyCases')}
          </p>
        ) : (
          <table className="table" data-testid="cases-table">
            <caption className="visually-hidden">{t('facilities.casesCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('facilities.facility')}</th>
                <th scope="col">{t('facilities.origin')}</th>
                <th scope="col">{t('facilities.openedOn')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('facilities.contacts')}</th>
                <th scope="col">{t('facilities.lastContact')}</th>
              </tr>
            </thead>
            <tbody>
              {caseItems.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/facility-cases/${c.id}`}>{c.facilityName}</Link>
                    <div className="hint">{c.reason}</div>
                  </th>
                  <td>{t(`facilities.origins.${c.origin}`)}</td>
                  <td>{formatDate(c.openedOn)}</td>
                  <td>{t(c.status === 'open' ? 'facilities.statusOpen' : 'facilities.statusClosed')}</td>
                  <td>{c.contacts}</td>
                  <td>{c.lastContactDate ? formatDate(c.lastContactDate) : t('facilities.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {mayWrite && register.length > 0 && <OpenCaseForm facilities={register} />}
      </section>
      <section className="card" aria-labelledby="facility-register">
        <h2 id="facility-register">{t('facilities.register')}</h2>
        <ErrorAlert error={facilities.error} />
        {facilities.loading && !facilities.data ? (
          <Loading />
        ) : register.length === 0 ? (
          <p className="empty" data-testid="facilities-empty">
            {t('facilities.emptyRegister')}
          </p>
        ) : (
          <table className="table" data-testid="facilities-table">
            <caption className="visually-hidden">{t('facilities.registerCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('facilities.name')}</th>
                <th scope="col">{t('facilities.kind')}</th>
                <th scope="col">{t('facilities.contactName')}</th>
                <th scope="col">{t('facilities.openCases')}</th>
                <th scope="col">{t('facilities.lastContact')}</th>
              </tr>
            </thead>
            <tbody>
              {register.map((f) => (
                <tr key={f.id}>
                  <th scope="row">
                    {f.name}
                    {f.linkedOrganizationName && <div className="hint">{f.linkedOrganizationName}</div>}
                  </th>
                  <td>{t(`facilities.kinds.${f.kind}`)}</td>
                  <td>
                    {[f.contactName, f.contactPhone ? formatPhone(f.contactPhone) : null].filter(Boolean).join(' · ') ||
                      t('facilities.none')}
                  </td>
                  <td>{f.openCases}</td>
                  <td>{f.lastContactDate ? formatDate(f.lastContactDate) : t('facilities.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {mayWrite && (
          <FacilityForm
            onDone={() => {
              setFlash(t('facilities.added'));
              facilities.reload();
            }}
          />
        )}
      </section>
    </>
  );
}

function FacilityForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const organizations = useLoad(() => api.organizations(), []);
  const [name, setName] = useState('');
  const [kind, setKind] = useState('');
  const [linked, setLinked] = useState('');
  const [municipality, setMunicipality] = useState('');
  const [contactName, setContactName] = useState('');
  const [contactPhone, setContactPhone] = useState('');
  const [note, setNote] = useState('');
  const { error, errors, busy, run, formRef } = useSubmit();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      name,
      kind: kind || undefined,
      linkedOrganizationId: linked || null,
      municipalityNis: municipality.trim() || null,
      contactName: contactName.trim() || null,
      contactPhone: contactPhone.trim() || null,
      note: note.trim() || null,
    } as FacilityCreate;
    void run(async () => {
      await api.createFacility(body);
      setName('');
      setKind('');
      setLinked('');
      setMunicipality('');
      setContactName('');
      setContactPhone('');
      setNote('');
      onDone();
    });
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="subform" data-testid="facility-form">
      <h3>{t('facilities.add')}</h3>
      <ErrorAlert error={error} />
      <TextField
        id="facility-name"
        label={t('facilities.name')}
        value={name}
        onChange={setName}
        required
        maxLength={200}
        error={errors.name}
      />
      <Field id="facility-kind" label={t('facilities.kind')} required error={errors.kind}>
        {(control) => (
          <select {...control} value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">—</option>
            {FACILITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`facilities.kinds.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="facility-linked" label={t('facilities.linkedOrganization')} error={errors.linkedOrganizationId}>
        {(control) => (
          <select {...control} value={linked} onChange={(e) => setLinked(e.target.value)}>
            <option value="">{t('groups.noChoice')}</option>
            {(organizations.data?.items ?? []).map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextField
        id="facility-municipality"
        label={t('facilities.municipality')}
        inputMode="numeric"
        maxLength={5}
        value={municipality}
        onChange={setMunicipality}
        error={errors.municipalityNis}
        className="narrow"
      />
      <TextField
        id="facility-contactName"
        label={t('facilities.contactName')}
        value={contactName}
        onChange={setContactName}
        maxLength={200}
        error={errors.contactName}
      />
      <TextField
        id="facility-contactPhone"
        label={t('facilities.contactPhone')}
        type="tel"
        value={contactPhone}
        onChange={setContactPhone}
        maxLength={30}
        error={errors.contactPhone}
      />
      <TextAreaField
        id="facility-note"
        label={t('facilities.note')}
        value={note}
        onChange={setNote}
        maxLength={2000}
        rows={2}
        error={errors.note}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('facilities.save')}
        </button>
      </div>
    </form>
  );
}

function OpenCaseForm({ facilities }: { facilities: Facility[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [facilityId, setFacilityId] = useState('');
  const [origin, setOrigin] = useState('');
  const [reason, setReason] = useState('');
  const [openedOn, setOpenedOn] = useState(() => dateText(new Date().toISOString().slice(0, 10)));
  const { error, errors, busy, run, formRef } = useSubmit();

  function submit(e: React.FormEvent) {
    e.preventDefault();
    const body = {
      facilityId: facilityId || undefined,
      origin: origin || undefined,
      reason,
      openedOn: isoDate(openedOn) ?? openedOn,
    } as FacilityCaseCreate;
    void run(async () => {
      const { id } = await api.openFacilityCase(body);
      navigate(`/facility-cases/${id}`, { state: { flash: t('facilities.caseOpened') } });
    });
  }

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="subform" data-testid="case-form">
      <h3>{t('facilities.openCase')}</h3>
      <ErrorAlert error={error} />
      <Field id="case-facility" label={t('facilities.facility')} required error={errors.facilityId}>
        {(control) => (
          <select {...control} value={facilityId} onChange={(e) => setFacilityId(e.target.value)}>
            <option value="">—</option>
            {facilities.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="case-origin" label={t('facilities.origin')} required error={errors.origin}>
        {(control) => (
          <select {...control} value={origin} onChange={(e) => setOrigin(e.target.value)}>
            <option value="">—</option>
            {CASE_ORIGINS.map((o) => (
              <option key={o} value={o}>
                {t(`facilities.origins.${o}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextAreaField
        id="case-reason"
        label={t('facilities.reason')}
        hint={t('facilities.reasonHint')}
        value={reason}
        onChange={setReason}
        required
        maxLength={2000}
        rows={2}
        error={errors.reason}
      />
      <DateField
        id="case-openedOn"
        label={t('facilities.openedOn')}
        value={openedOn}
        onChange={setOpenedOn}
        required
        error={errors.openedOn}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {t('facilities.openCase')}
        </button>
      </div>
    </form>
  );
}
