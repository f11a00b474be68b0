import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, isOneOf, ORGANIZATION_KINDS, type Organization, type OrganizationKind } from '../api';
import { useAuth, useMe } from '../auth';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../components/Alerts';
import { TextField } from '../components/Field';
import { MunicipalityField } from '../components/MunicipalityCombobox';
import { useDocumentTitle, useLoad, useSubmit } from '../hooks';
import { useLabels } from '../labels';
import { useMunicipalities } from '../municipalities';
import { KindSelect } from './OrganizationsPage';

export function OrganizationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const { can, hasRole } = useAuth();
  const labels = useLabels();
  const { byCode } = useMunicipalities();
  const org = useLoad(() => api.organization(id), [id]);
  const [flash, setFlash] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  useDocumentTitle(org.data?.name ?? t('organizations.title'));

  const back = (
    <p className="breadcrumb">
      <Link to="/organizations">{t('organizations.backToList')}</Link>
    </p>
  );

  if (org.loading && !org.data) return <Loading />;
  if (org.error || !org.data) {
    return (
      <LoadFailed
        back={back}
        title={t('organizations.title')}
        error={org.error}
        notFound={t('organizations.notFound')}
      />
    );
  }

  const o = org.data;
  const isNetworkAdmin = hasRole('network-admin');
  // network admins change every organisation of the network, an organisation admin only their own
  const mayChange = can('organization:update') && (isNetworkAdmin || me.membership.organizationId === o.id);

  function changed(message: string, next?: Organization) {
    setFlash(message);
    if (next) org.setData(next);
    else org.reload();
  }

  return (
    <>
      {back}
      <div className="page-head">
        <h1>{o.name}</h1>
        <span className="badge">{labels.kind(o.kind)}</span>
        {!o.active && <span className="badge badge-off">{t('common.inactive')}</span>}
      </div>
      <StatusMessage message={flash} />

      {mayChange && (
        <section className="card">
          <div className="section-head">
            <h2 id="org-edit-title">{t('organizations.editTitle')}</h2>
            {!editing && (
              <button type="button" className="button secondary" onClick={() => setEditing(true)}>
                {t('common.edit')}
              </button>
            )}
          </div>
          {editing && (
            <EditOrganization
              org={o}
              mayToggleActive={isNetworkAdmin}
              onDone={(next) => {
                setEditing(false);
                if (next) changed(t('common.saved'), next);
              }}
            />
          )}
        </section>
      )}

      <section className="card">
        <h2 id="sites-title">{t('organizations.sites')}</h2>
        {o.sites.length === 0 ? (
          <p className="empty">{t('organizations.sitesEmpty')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('organizations.sites')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('common.name')}</th>
                  <th scope="col">{t('organizations.street')}</th>
                  <th scope="col">{t('organizations.postalCode')}</th>
                  <th scope="col">{t('organizations.municipality')}</th>
                </tr>
              </thead>
              <tbody>
                {o.sites.map((s) => (
                  <tr key={s.id}>
                    <td>{s.name}</td>
                    <td>{s.street}</td>
                    <td>{s.postalCode}</td>
                    <td>{byCode.get(s.municipality)?.name ?? s.municipality}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {mayChange && <AddSite orgId={o.id} onAdded={() => changed(t('organizations.siteAdded'))} />}
      </section>

      <section className="card">
        <h2 id="teams-title">{t('organizations.teams')}</h2>
        {o.teams.length === 0 ? (
          <p className="empty">{t('organizations.teamsEmpty')}</p>
        ) : (
          <ul className="list">
            {o.teams.map((team) => (
              <li key={team.id}>{team.name}</li>
            ))}
          </ul>
        )}
        {mayChange && <AddTeam orgId={o.id} onAdded={() => changed(t('organizations.teamAdded'))} />}
      </section>
    </>
  );
}

function EditOrganization({
  org,
  mayToggleActive,
  onDone,
}: {
  org: Organization;
  mayToggleActive: boolean;
  onDone: (next: Organization | null) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(org.name);
  const [kind, setKind] = useState<OrganizationKind>(isOneOf(ORGANIZATION_KINDS, org.kind) ? org.kind : 'other');
  const [active, setActive] = useState(org.active);
  const s = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim().length < 2) {
      s.setErrors({ name: t('errors.fieldRequired') });
      s.failed();
      return;
    }
    void s.run(async () => {
      const body: { name?: string; kind?: OrganizationKind; active?: boolean } = {};
      if (name.trim() !== org.name) body.name = name.trim();
      if (kind !== org.kind) body.kind = kind;
      if (mayToggleActive && active !== org.active) body.active = active;
      if (Object.keys(body).length === 0) return onDone(null);
      onDone(await api.updateOrganization(org.id, body));
    });
  }

  return (
    <form onSubmit={submit} noValidate ref={s.formRef}>
      <ErrorAlert error={s.error} />
      <div className="grid-2">
        <TextField
          id="org-edit-name"
          label={t('organizations.name')}
          value={name}
          onChange={setName}
          error={s.errors.name}
          required
          maxLength={200}
        />
        <KindSelect id="org-edit-kind" value={kind} onChange={setKind} error={s.errors.kind} />
      </div>
      {mayToggleActive && (
        <div className="checkbox">
          <input id="org-edit-active" type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
          <label htmlFor="org-edit-active">{t('organizations.activeLabel')}</label>
        </div>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={s.busy}>
          {t('common.save')}
        </button>
        <button type="button" className="button secondary" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function AddSite({ orgId, onAdded }: { orgId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [street, setStreet] = useState('');
  const [postalCode, setPostalCode] = useState('');
  const [municipality, setMunicipality] = useState('');
  const s = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (name.trim().length < 2) errs.name = t('errors.fieldRequired');
    if (street.trim().length < 2) errs.street = t('errors.fieldRequired');
    if (!/^\d{4}$/.test(postalCode.trim())) errs.postalCode = t('organizations.postalCodeInvalid');
    if (!municipality) errs.municipality = t('errors.fieldRequired');
    s.setErrors(errs);
    if (Object.keys(errs).length > 0) {
      s.failed();
      return;
    }
    void s.run(async () => {
      await api.createSite(orgId, {
        name: name.trim(),
        street: street.trim(),
        postalCode: postalCode.trim(),
        municipality,
      });
      setName('');
      setStreet('');
      setPostalCode('');
      setMunicipality('');
      onAdded();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="subform" ref={s.formRef}>
      <h3 id="add-site-title">{t('organizations.addSite')}</h3>
      <ErrorAlert error={s.error} />
      <div className="grid-2">
        <TextField
          id="site-name"
          label={t('organizations.siteName')}
          value={name}
          onChange={setName}
          error={s.errors.name}
          required
          maxLength={200}
        />
        <TextField
          id="site-street"
          label={t('organizations.street')}
          value={street}
          onChange={setStreet}
          error={s.errors.street}
          required
          maxLength={200}
          autoComplete="off"
        />
        <TextField
          id="site-postal"
          label={t('organizations.postalCode')}
          value={postalCode}
          onChange={setPostalCode}
          error={s.errors.postalCode}
          required
          inputMode="numeric"
          maxLength={4}
          className="narrow"
        />
        <MunicipalityField
          id="site-municipality"
          label={t('organizations.municipality')}
          value={municipality}
          onChange={setMunicipality}
          error={s.errors.municipality}
          required
        />
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={s.busy}>
          {t('organizations.addSite')}
        </button>
      </div>
    </form>
  );
}

function AddTeam({ orgId, onAdded }: { orgId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const s = useSubmit();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (name.trim().length < 2) {
      s.setErrors({ name: t('errors.fieldRequired') });
      s.failed();
      return;
    }
    void s.run(async () => {
      await api.createTeam(orgId, { name: name.trim() });
      setName('');
      onAdded();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="subform" ref={s.formRef}>
      <h3 id="add-team-title">{t('organizations.addTeam')}</h3>
      <ErrorAlert error={s.error} />
      <TextField
        id="team-name"
        label={t('organizations.teamName')}
        value={name}
        onChange={setName}
        error={s.errors.name}
        required
        maxLength={200}
      />
      <div className="actions">
        <button type="submit" className="button primary" disabled={s.busy}>
          {t('organizations.addTeam')}
        </button>
      </div>
    </form>
  );
}
