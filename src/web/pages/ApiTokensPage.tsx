import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorAlert, StatusMessage } from '../components/Alerts';
import { useConfirm } from '../components/ConfirmDialog';
import { LoadedTable } from '../components/DataTable';
import { TextField } from '../components/Field';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { formatDateTime } from '../format';
import { useDocumentTitle, useLoad, useSubmit } from '../hooks';

export function ApiTokensPage() {
  const { t } = useTranslation();
  const list = useLoad(() => api.apiTokens(), []);
  const [confirm, dialog] = useConfirm();
  const [flash, setFlash] = useState<string | null>(null);
  const revoke = useSubmit();
  useDocumentTitle(t('tokens.title'));

  async function revokeToken(id: string, name: string) {
    const ok = await confirm({
      title: t('tokens.revokeLabel', { name }),
      message: t('tokens.revokeConfirm', { name }),
      confirmLabel: t('tokens.revoke'),
      danger: true,
    });
    if (!ok) return;
    setFlash(null);
    await revoke.run(async () => {
      await api.revokeApiToken(id);
      setFlash(t('tokens.revokedDone'));
      list.reload();
    });
  }

  return (
    <>
      <h1>{t('tokens.title')}</h1>
      <p>{t('tokens.intro')}</p>
      <StatusMessage message={flash} />
      <LoadedTable
        list={list}
        error={list.error ?? revoke.error}
        empty={t('tokens.empty')}
        caption={t('tokens.caption')}
        columns={[
          t('tokens.name'),
          t('tokens.prefix'),
          t('tokens.permissions'),
          t('tokens.createdAt'),
          t('tokens.lastUsedAt'),
          t('common.status'),
          t('common.actions'),
        ]}
        row={(token) => (
          <tr key={token.id} className={token.revokedAt ? 'muted' : undefined}>
            <td>{token.name}</td>
            <td>
              <code>{token.prefix}…</code>
            </td>
            <td>
              <ul className="plain">
                {token.permissions.map((p) => (
                  <li key={p}>
                    <code>{p}</code>
                  </li>
                ))}
              </ul>
            </td>
            <td className="nowrap">{formatDateTime(token.createdAt)}</td>
            <td className="nowrap">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.never')}</td>
            <td>
              {token.revokedAt ? (
                <span className="badge badge-off">
                  {t('tokens.revoked', { date: formatDateTime(token.revokedAt) })}
                </span>
              ) : (
                <span className="badge badge-ok">{t('common.active')}</span>
              )}
            </td>
            <td>
              {!token.revokedAt && (
                <button
                  type="button"
                  className="button danger small"
                  disabled={revoke.busy}
                  onClick={() => void revokeToken(token.id, token.name)}
                >
                  {t('tokens.revoke')}
                  <span className="visually-hidden"> ({token.name})</span>
                </button>
              )}
            </td>
          </tr>
        )}
      />

      {list.data && <NewToken allowed={list.data.allowedPermissions} onCreated={() => list.reload()} />}
      {dialog}
    </>
  );
}

function NewToken({ allowed, onCreated }: { allowed: string[]; onCreated: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>([]);
  const [created, setCreated] = useState<string | null>(null);
  const s = useSubmit();

  function toggle(p: string, on: boolean) {
    setPermissions((current) => (on ? [...current, p] : current.filter((x) => x !== p)));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (name.trim().length < 2) errs.name = t('errors.fieldRequired');
    if (permissions.length === 0) errs.permissions = t('tokens.permissionsRequired');
    s.setErrors(errs);
    if (Object.keys(errs).length > 0) {
      s.setError(t('errors.fixFields'));
      s.failed();
      return;
    }
    setCreated(null);
    void s.run(async () => {
      const ordered = allowed.filter((p) => permissions.includes(p));
      const result = await api.createApiToken({ name: name.trim(), permissions: ordered });
      setCreated(result.token);
      setName('');
      setPermissions([]);
      onCreated();
    });
  }

  return (
    <section className="card">
      <h2 id="new-token-title">{t('tokens.newTitle')}</h2>
      {created && (
        <div className="alert alert-success">
          <p>{t('tokens.created')}</p>
          <OneTimeSecret label={t('tokens.token')} value={created} testId="api-token" />
        </div>
      )}
      <form onSubmit={submit} noValidate ref={s.formRef}>
        <ErrorAlert error={s.error} />
        <TextField
          id="token-name"
          label={t('tokens.name')}
          value={name}
          onChange={setName}
          error={s.errors.name}
          required
          maxLength={100}
          autoComplete="off"
        />
        <fieldset
          className={`field${s.errors.permissions ? ' field-invalid' : ''}`}
          aria-describedby={s.errors.permissions ? 'token-permissions-error' : undefined}
        >
          <legend>{t('tokens.permissionsLegend')}</legend>
          {allowed.map((p) => (
            <div className="checkbox" key={p}>
              <input
                id={`token-perm-${p}`}
                type="checkbox"
                checked={permissions.includes(p)}
                onChange={(e) => toggle(p, e.target.checked)}
              />
              <label htmlFor={`token-perm-${p}`}>
                <code>{p}</code>
              </label>
            </div>
          ))}
          {s.errors.permissions && (
            <p className="field-error" id="token-permissions-error">
              {s.errors.permissions}
            </p>
          )}
        </fieldset>
        <div className="actions">
          <button type="submit" className="button primary" disabled={s.busy}>
            {t('common.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
