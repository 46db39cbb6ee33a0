/**
 * A dispatcher in a process of its own, so a test can kill it with SIGKILL in
 * the middle of its work, as a power cut or an OOM kill would.
 */
import { FieldCipher } from '../../intake/crypto/field-cipher.js';
import { openDatabase } from '../../intake/store/open-database.js';
import { deliveryFixture } from './delivery-fixture.js';

const env = process.env as Record<string, string>;
const db = openDatabase({ kind: 'sqlite', filename: env.DB_FILE! });
const fixture = deliveryFixture(
  { kind: 'sqlite', db, location: { kind: 'sqlite', filename: env.DB_FILE! }, dispose: async () => {} },
  {
    webhookUrl: env.WEBHOOK_URL!,
    secret: env.SECRET!,
    smtpUrl: env.SMTP_URL!,
    cipher: new FieldCipher(Buffer.from(env.DATA_KEY_HEX!, 'hex')),
    leaseMs: 400,
    concurrency: 2,
  },
);
fixture.dispatcher.start(20);
process.stdout.write('dispatching\n');
