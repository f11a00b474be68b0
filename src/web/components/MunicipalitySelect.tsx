import { useTranslation } from 'react-i18next';
import { useMunicipalities } from '../municipalities';
import { Field } from './Field';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (nisCode: string) => void;
  error?: string | undefined;
  required?: boolean;
  hint?: string | undefined;
}

/**
 * Municipality as a native select (keyboard type-ahead works in every browser and screen reader):
 * the network's own municipalities first, then all others. The value is the NIS code.
 */
export function MunicipalitySelect({ id, label, value, onChange, error, required, hint }: Props) {
  const { t } = useTranslation();
  const { list, networkCodes, loading } = useMunicipalities();
  const inNetwork = list.filter((m) => networkCodes.has(m.nisCode));
  const others = networkCodes.size > 0 ? list.filter((m) => !networkCodes.has(m.nisCode)) : list;
  const option = (m: (typeof list)[number]) => (
    <option key={m.nisCode} value={m.nisCode}>
      {m.name}
    </option>
  );
  return (
    <Field
      id={id}
      label={label}
      error={error}
      required={required ?? false}
      hint={loading ? t('clients.municipalityLoading') : hint}
    >
      {(control) => (
        <select {...control} name={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('clients.municipalityNone')}</option>
          {/* keep an unknown current value selectable while the list loads */}
          {value && !list.some((m) => m.nisCode === value) && <option value={value}>{value}</option>}
          {inNetwork.length > 0 ? (
            <>
              <optgroup label={t('clients.municipalityNetwork')}>{inNetwork.map(option)}</optgroup>
              <optgroup label={t('clients.municipalityOther')}>{others.map(option)}</optgroup>
            </>
          ) : (
            others.map(option)
          )}
        </select>
      )}
    </Field>
  );
}
