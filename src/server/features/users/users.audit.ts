/** The audit actions of this feature, spelled once: routes name them for refusals, the service for what it did. */
export const USER_AUDIT = {
  membershipCreate: 'membership.create',
  membershipDeactivate: 'membership.deactivate',
  userCreate: 'user.create',
  userDeactivate: 'user.deactivate',
  userPasswordReset: 'user.password.reset',
  userRead: 'user.read',
  userTotpReset: 'user.totp.reset',
  userUpdate: 'user.update',
} as const;
