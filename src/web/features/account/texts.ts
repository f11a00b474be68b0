import type { Strings } from '../../locales/types';

/** Dutch texts of the user's own account: profile, two-step verification and a forgotten password. */
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
  passwordReset: {
    forgotTitle: 'Wachtwoord vergeten',
    forgotIntro:
      'Geef het e-mailadres van je account. Je krijgt dan een e-mail met een link om een nieuw wachtwoord te kiezen.',
    email: 'E-mailadres',
    send: 'Stuur me een link',
    sent: 'Als er een actief account bestaat voor {{email}}, krijg je binnen enkele minuten een e-mail met een link. De link werkt één keer en niet lang: gebruik hem meteen. Geen e-mail gekregen? Kijk bij ongewenste e-mail, of vraag je beheerder om een nieuw wachtwoord.',
    backToLogin: 'Terug naar aanmelden',
    resetTitle: 'Nieuw wachtwoord kiezen',
    resetIntro:
      'Kies een nieuw wachtwoord voor je account. Daarna word je overal afgemeld en meld je je aan met het nieuwe wachtwoord.',
    submit: 'Nieuw wachtwoord opslaan',
    done: 'Je wachtwoord is gewijzigd en je bent overal afgemeld. Meld je nu aan met je nieuwe wachtwoord.',
    signIn: 'Naar aanmelden',
    noToken: 'Deze pagina werkt met de link uit de e-mail. Heb je geen geldige link (meer)? Vraag dan een nieuwe aan.',
    requestNew: 'Vraag een nieuwe link aan',
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
  passwordReset: {
    forgotTitle: 'Forgot your password',
    forgotIntro: 'Enter the email address of your account. You will get an email with a link to choose a new password.',
    email: 'Email address',
    send: 'Send me a link',
    sent: 'If there is an active account for {{email}}, you will get an email with a link within a few minutes. The link works once and not for long: use it right away. No email? Look in your spam folder, or ask your administrator for a new password.',
    backToLogin: 'Back to sign in',
    resetTitle: 'Choose a new password',
    resetIntro:
      'Choose a new password for your account. You will then be signed out everywhere and sign in with the new password.',
    submit: 'Save new password',
    done: 'Your password has been changed and you have been signed out everywhere. Sign in now with your new password.',
    signIn: 'Go to sign in',
    noToken: 'This page works with the link from the email. No valid link (any more)? Request a new one.',
    requestNew: 'Request a new link',
  },
};

export const texts = { nl, en };
