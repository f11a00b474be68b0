import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ORGANIZATION_KINDS, ProblemError, type OrganizationKind } from '../api';
import { useAuth, useMe } from '../auth';
import { ErrorAlert, StatusMessage, useFocusOnError } from '../components/Alerts';
import { LoadedTable } from '../components/DataTable';
import { Field, TextField } from '../components/Field';
import { useDocumentTitle, useLoad } from '../hooks';
import { useLabels } from '../labels';

export function OrganizationsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const { can } = useAuth();
  const labels = useLabels();
  const list = useLoad(() => api.organizations(), []);
  const [flash, setFlash] = useState<string | null>(null);
  useDocumentTitle(t('organizations.title'));

  return (
    <>
      <h1>{t('organizations.title')}</h1>
      <p>{t('organizations.intro', { network: me.membership.networkName })}</p>
      <StatusMessage message={flash} />
      <LoadedTable
        list={list}
        empty={t('organizations.empty')}
        caption={t('organizations.caption')}
        columns={[t('common.name'), t('organizations.kind'), t('common.status')]}
        row={(o) => (
          <tr key={o.id}>
            <td>
              <Link to={`/organizations/${o.id}`}>{o.name}</Link>
            </td>
            <td>{labels.kind(o.kind)}</td>
            <td>
              <span className={`badge ${o.active ? 'badge-ok' : 'badge-off'}`}>
                {o.active ? t('common.active') : t('common.inactive')}
              </span>
            </td>
          </tr>
        )}
      />

      {can('organization:create') && (
        <NewOrganization
          onCreated={(name) => {
            setFlash(`${t('organizations.created')} ${name}`);
            list.reload();
          }}
        />
      )}
    </>
  );
}

export function KindSelect({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (v: OrganizationKind) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Field id={id} label={t('organizations.kind')} error={error} required>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.target.value as OrganizationKind)}>
          {ORGANIZATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {labels.kind(k)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function NewOrganization({ onCreated }: { onCreated: (name: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrganizationKind>('caw');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusOnError();

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (name.trim().length < 2) {
      setErrors({ name: t('errors.fieldRequired') });
      failed();
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.createOrganization({ name: name.trim(), kind });
      onCreated(name.trim());
      setName('');
    } catch (err) {
      setError(err);
      if (err instanceof ProblemError) setErrors(err.byField());
      failed();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card">
      <h2 id="new-org-title">{t('organizations.newTitle')}</h2>
      <form onSubmit={submit} noValidate ref={formRef}>
        <ErrorAlert error={error} />
        <div className="grid-2">
          <TextField
            id="org-new-name"
            label={t('organizations.name')}
            value={name}
            onChange={setName}
            error={errors.name}
            required
            maxLength={200}
          />
          <KindSelect id="org-new-kind" value={kind} onChange={setKind} error={errors.kind} />
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {t('common.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
