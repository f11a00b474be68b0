/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const AUTH_AUDIT = {
  authLogin: 'auth.login',
  authLoginTotp: 'auth.login.totp',
  authLogout: 'auth.logout',
  authMembershipSwitch: 'auth.membership.switch',
  authPasswordChange: 'auth.password.change',
  authPasswordReset: 'auth.password.reset',
  authPasswordResetRequest: 'auth.password.reset.request',
  authTotpDisable: 'auth.totp.disable',
  authTotpEnable: 'auth.totp.enable',
  authTotpSetup: 'auth.totp.setup',
} as const;
