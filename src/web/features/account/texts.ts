import type { Strings } from '../../locales/types';

/** Dutch texts of the user's own account: profile and two-step verification. */
const nl = {
  account: {
    nav: 'Mijn account',
    title: 'Mijn account',
    profile: 'Profiel',
    email: 'E-mailadres',
    displayName: 'Naam',
    totpTitle: 'Tweestapsverificatie',
    totpOn: 'Tweestapsverificatie staat aan.',
    totpOff: 'Tweestapsverificatie staat uit. Zet ze aan om je account beter te beschermen.',
    totpStart: 'Tweestapsverificatie instellen',
    totpScan:
      'Scan de QR-code met een authenticator-app (bijvoorbeeld FreeOTP, Aegis of Google Authenticator) en geef daarna de code van 6 cijfers.',
    totpQrAlt: 'QR-code om Korte Lijn toe te voegen aan je authenticator-app',
    totpManual: 'Kan je niet scannen? Geef deze sleutel manueel in:',
    totpCode: 'Verificatiecode',
    totpConfirm: 'Code bevestigen',
    totpEnabled: 'Tweestapsverificatie staat nu aan.',
    totpDisableIntro: 'Geef je wachtwoord om tweestapsverificatie uit te zetten.',
    totpDisablePassword: 'Wachtwoord',
    totpDisable: 'Tweestapsverificatie uitzetten',
    totpDisabled: 'Tweestapsverificatie staat nu uit.',
  },
} as const;

/** English: the type keeps the keys in step with the Dutch. */
const en: Strings<typeof nl> = {
  account: {
    nav: 'My account',
    title: 'My account',
    profile: 'Profile',
    email: 'Email address',
    displayName: 'Name',
    totpTitle: 'Two-step verification',
    totpOn: 'Two-step verification is on.',
    totpOff: 'Two-step verification is off. Turn it on to protect your account better.',
    totpStart: 'Set up two-step verification',
    totpScan:
      'Scan the QR code with an authenticator app (for example FreeOTP, Aegis or Google Authenticator), then enter the 6-digit code.',
    totpQrAlt: 'QR code to add Korte Lijn to your authenticator app',
    totpManual: 'Cannot scan? Enter this key manually:',
    totpCode: 'Verification code',
    totpConfirm: 'Confirm code',
    totpEnabled: 'Two-step verification is now on.',
    totpDisableIntro: 'Enter your password to turn two-step verification off.',
    totpDisablePassword: 'Password',
    totpDisable: 'Turn off two-step verification',
    totpDisabled: 'Two-step verification is now off.',
  },
};

export const texts = { nl, en };
