import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config.ts';
import { createDatabase } from '../core/db/database.ts';
import { migrate } from '../core/db/migrate.ts';
import { ensureReferenceData } from '../reference-data.ts';
import { hashPassword, temporaryPassword } from '../core/auth/passwords.ts';

/** Creates the first network and its network admin: npm run admin:create -- --email a@b.be --name "..." --network "..." --zone "..." */
const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    network: { type: 'string' },
    zone: { type: 'string' },
  },
});
if (!values.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email)) {
  console.error(
    'Usage: npm run admin:create -- --email admin@example.be [--name "Naam"] [--network "Samenwerkingsverband ..."] [--zone "Eerstelijnszone ..."]',
  );
  process.exit(2);
}
const config = loadConfig();
const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(db.owner);
await ensureReferenceData(db.owner);
const password = temporaryPassword();
const passwordHash = await hashPassword(password);
await db.owner.transaction().execute(async (trx) => {
  let network = await trx
    .selectFrom('networks')
    .select('id')
    .where('is_demo', '=', false)
    .orderBy('created_at')
    .executeTakeFirst();
  network ??= await trx
    .insertInto('networks')
    .values({ name: values.network ?? 'Mijn samenwerkingsverband', zone_name: values.zone ?? 'Eerstelijnszone' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = await trx
    .insertInto('users')
    .values({
      email: values.email!.toLowerCase(),
      display_name: values.name ?? 'Netwerkbeheerder',
      password_hash: passwordHash,
      must_change_password: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('memberships')
    .values({ user_id: user.id, network_id: network.id, organization_id: null, role: 'network-admin' })
    .execute();
});
console.log(`Network admin ${values.email} created. One-time password: ${password} (to be changed at first sign-in).`);
await db.close();
