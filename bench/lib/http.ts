/** Small HTTP helpers shared by the bench parts. */

/** Logs in through the API and returns the `kl_session=…` cookie. */
export async function login(appUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { twoFactorRequired?: boolean; mustChangePassword?: boolean };
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  if (body.twoFactorRequired || body.mustChangePassword)
    throw new Error('login: the bench user must not need 2FA or a password change');
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('kl_session='));
  if (!cookie) throw new Error('login: no kl_session cookie');
  return cookie;
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** Logs in through the API and returns the session cookie and the CSRF token (needed on every unsafe method with a cookie session). */
export async function loginSession(
  appUrl: string,
  email: string,
  password: string,
): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`${appUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { csrfToken?: string; twoFactorRequired?: boolean; mustChangePassword?: boolean };
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  if (body.twoFactorRequired || body.mustChangePassword)
    throw new Error('login: the bench user must not need 2FA or a password change');
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('kl_session='));
  if (!cookie || !body.csrfToken) throw new Error('login: no kl_session cookie or no csrfToken');
  return { cookie, csrfToken: body.csrfToken };
}

/** One JSON request (any method) with the session headers; the parsed body (undefined when not JSON). */
export async function sendJson(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}
