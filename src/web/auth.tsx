import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, onUnauthorized, ProblemError, setCsrfToken, type ActiveMe, type Me, type Meta, type Role } from './api';
import { setLanguage, storedLanguage } from './i18n';

export type AuthStatus = 'loading' | 'anonymous' | 'pending-2fa' | 'authenticated';

interface AuthContextValue {
  status: AuthStatus;
  me: Me | null;
  meta: Meta | null;
  /** True after the server answered 401 to a signed-in user (the session ended). */
  sessionExpired: boolean;
  /** Reads /api/auth/me again and updates the state; null when not signed in. */
  refresh: () => Promise<Me | null>;
  /** Takes a fresh "me" (from switching membership). */
  applyMe: (me: Me) => void;
  logout: () => Promise<void>;
  can: (permission: string) => boolean;
  hasRole: (...roles: Role[]) => boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [meta, setMeta] = useState<Meta | null>(null);
  const [sessionExpired, setSessionExpired] = useState(false);
  const statusRef = useRef<AuthStatus>('loading');

  const setBoth = useCallback((next: AuthStatus, nextMe: Me | null) => {
    statusRef.current = next;
    setStatus(next);
    setMe(nextMe);
  }, []);

  const applyMe = useCallback(
    (value: Me) => {
      setCsrfToken(value.csrfToken);
      setSessionExpired(false);
      setBoth(value.pendingTwoFactor ? 'pending-2fa' : 'authenticated', value);
      // The account's language applies unless the user chose one on this device.
      const lang = value.user.language;
      if (!storedLanguage() && (lang === 'nl' || lang === 'en')) void setLanguage(lang, false);
    },
    [setBoth],
  );

  const refresh = useCallback(async () => {
    try {
      const value = await api.me();
      applyMe(value);
      return value;
    } catch (err) {
      if (err instanceof ProblemError && err.status === 401) {
        setCsrfToken(null);
        setBoth('anonymous', null);
        return null;
      }
      throw err;
    }
  }, [applyMe, setBoth]);

  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // the session is gone either way on this side
    }
    setCsrfToken(null);
    setSessionExpired(false);
    setBoth('anonymous', null);
  }, [setBoth]);

  useEffect(() => {
    onUnauthorized(() => {
      if (statusRef.current === 'authenticated') setSessionExpired(true);
      setCsrfToken(null);
      setBoth('anonymous', null);
    });
    api.meta().then(setMeta, () => setMeta(null));
    refresh().catch(() => setBoth('anonymous', null));
    return () => onUnauthorized(null);
  }, [refresh, setBoth]);

  const value = useMemo<AuthContextValue>(() => {
    const permissions = new Set(me?.permissions ?? []);
    return {
      status,
      me,
      meta,
      sessionExpired,
      refresh,
      applyMe,
      logout,
      can: (permission) => permissions.has(permission),
      hasRole: (...roles) => roles.some((role) => role === me?.membership?.role),
    };
  }, [status, me, meta, sessionExpired, refresh, applyMe, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

/** For pages that only render when signed in with an active membership (App guarantees both). */
export function useMe(): ActiveMe {
  const { me } = useAuth();
  if (!me?.membership) throw new Error('useMe without a session and membership');
  return me as ActiveMe;
}
