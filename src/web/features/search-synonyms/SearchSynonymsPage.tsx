import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type SynonymGroup } from '../../api';
import { ErrorAlert, LoadFailed, Loading, StatusMessage } from '../../components/Alerts';
import { useConfirm } from '../../components/ConfirmDialog';
import { TextField } from '../../components/Field';
import { useDocumentTitle, useLoad, useSubmit } from '../../hooks';

/** "rouw, verlies; afscheid" → ['rouw', 'verlies', 'afscheid'] (the server folds and checks each word). */
const wordsOf = (typed: string) =>
  typed
    .split(/[,;\n]+/)
    .map((w) => w.trim())
    .filter(Boolean);

/** For the network admin: the synonym groups of the catalogue search, the network's own and the built-in list. */
export function SearchSynonymsPage() {
  const { t } = useTranslation();
  const groups = useLoad(() => api.searchSynonyms(), []);
  const [typed, setTyped] = useState('');
  const [flash, setFlash] = useState<string | null>(null);
  const s = useSubmit();
  const [confirm, dialog] = useConfirm();
  useDocumentTitle(t('searchSynonyms.title'));

  if (groups.loading && !groups.data) return <Loading />;
  if (groups.error || !groups.data)
    return (
      <LoadFailed back={null} title={t('searchSynonyms.title')} error={groups.error} notFound={t('errors.notFound')} />
    );
  const items = groups.data.items;
  const own = items.filter((g) => !g.builtIn);
  const builtIn = items.filter((g) => g.builtIn);
  const labels = { terms: t('searchSynonyms.words') };

  function submit(e: FormEvent) {
    e.preventDefault();
    setFlash(null);
    const terms = wordsOf(typed);
    s.setError(null);
    if (terms.length < 2) {
      s.setErrors({ terms: t('searchSynonyms.wordsTooFew') });
      s.failed();
      return;
    }
    void s.run(async () => {
      await api.addSearchSynonyms(terms);
      setTyped('');
      groups.setData(await api.searchSynonyms());
      setFlash(t('searchSynonyms.added'));
    });
  }

  async function remove(group: SynonymGroup) {
    const words = group.terms.join(', ');
    const ok = await confirm({
      title: t('searchSynonyms.confirmTitle'),
      message: t('searchSynonyms.confirmMessage', { words }),
      confirmLabel: t('searchSynonyms.remove'),
      danger: true,
    });
    if (!ok) return;
    setFlash(null);
    await s.run(async () => {
      await api.removeSearchSynonyms(group.id);
      groups.setData(await api.searchSynonyms());
      setFlash(t('searchSynonyms.removed'));
    });
  }

  return (
    <>
      <h1>{t('searchSynonyms.title')}</h1>
      <p>{t('searchSynonyms.intro')}</p>
      <StatusMessage message={flash} />
      {dialog}

      <form onSubmit={submit} noValidate ref={s.formRef} className="card" aria-labelledby="synonyms-add-title">
        <h2 id="synonyms-add-title">{t('searchSynonyms.addTitle')}</h2>
        <ErrorAlert error={s.error} fieldLabels={labels} />
        <TextField
          id="terms"
          label={t('searchSynonyms.words')}
          hint={t('searchSynonyms.wordsHint')}
          value={typed}
          onChange={setTyped}
          error={s.errors.terms}
          required
          autoComplete="off"
        />
        <div className="actions">
          <button type="submit" className="button primary" disabled={s.busy}>
            {t('searchSynonyms.add')}
          </button>
        </div>
      </form>

      <section className="card" aria-labelledby="synonyms-own-title">
        <h2 id="synonyms-own-title">{t('searchSynonyms.ownTitle')}</h2>
        {own.length === 0 ? (
          <p className="empty" data-testid="synonyms-empty">
            {t('searchSynonyms.ownEmpty')}
          </p>
        ) : (
          <ul className="synonym-groups" data-testid="synonyms-own">
            {own.map((group) => (
              <li key={group.id}>
                <span>{group.terms.join(' · ')}</span>{' '}
                <button
                  type="button"
                  className="button secondary small"
                  aria-label={t('searchSynonyms.removeLabel', { words: group.terms.join(', ') })}
                  onClick={() => void remove(group)}
                  disabled={s.busy}
                >
                  {t('searchSynonyms.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="synonyms-builtin-title">
        <h2 id="synonyms-builtin-title">{t('searchSynonyms.builtInTitle')}</h2>
        <p className="hint">{t('searchSynonyms.builtInIntro')}</p>
        <ul className="synonym-groups">
          {builtIn.map((group) => (
            <li key={group.id}>{group.terms.join(' · ')}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
