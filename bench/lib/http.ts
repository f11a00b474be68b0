/** Small HTTP helpers shared by the bench parts. */

/** Logs in through the API and returns the `kl_session=…` cookie. */
export async function login(appUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${appUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { twoFactorRequired?: boolean; mustChangePassword?: boolean };
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  if (body.twoFactorRequired || body.mustChangePassword) throw new Error('login: the bench user must not need 2FA or a password change');
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('kl_session='));
  if (!cookie) throw new Error('login: no kl_session cookie');
  return cookie;
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}
