// No duplicate to the borrower after injected crashes: for many random seeds (fast-check), the dispatcher
// is made to crash at random steps — after the claim, inside the decision transaction, after marking a
// contact 'sending', after the provider accepted but before 'sent' was recorded, inside the recording
// transaction — while the provider fails now and then (5xx, 429, a hang, a delivery whose answer never
// comes) and sometimes two dispatchers race. After each crash the virtual clock moves past the lease and
// the dispatchers run again. At the end every contact is sent, the provider (which keeps one delivery per
// idempotency key) holds exactly one delivery per contact carrying the contact's code, and each borrower's
// contact history counts each message once.
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookChannel } from '../channels/index.ts';
import { parsePolicy } from '../contact/policy/index.ts';
import { resolveStrategy } from '../contact/strategy/index.ts';
import { dispatchContacts, planContacts, type DispatchStep } from './contacts.ts';
import { openLoans, runDailyClose } from './index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import {
  countContactsByStatus,
  listBorrowerContacts,
  listContactDecisions,
  loadContactSubjects,
} from '../store/contacts.ts';
import { openTestDatabase, upsertBorrowers, type Database, type TestDatabase } from '../store/index.ts';
import { startMessageProviderServer, type ScriptedFailure } from '../../test/support/message-provider-server.ts';

const DATE = '2026-03-10';
const SECRET = 'crash-test-secret-0123456789';
const LEASE_MS = 60_000;
const policy = parsePolicy('cn-2026');
const strategy = resolveStrategy({
  name: 'crash',
  steps: [
    { id: 'pre_due_3', stage: 'pre_due', dayOffset: -3, channel: 'sms', template: 'due_soon', sendAt: '09:00' },
    { id: 'pre_due_3_push', stage: 'pre_due', dayOffset: -3, channel: 'push', template: 'due_soon', sendAt: '09:00' },
    { id: 'due_0', stage: 'due', dayOffset: 0, channel: 'push', template: 'due_today', sendAt: '09:30' },
    { id: 'delinquent_1', stage: 'delinquent', dayOffset: 1, channel: 'sms', template: 'overdue_1', sendAt: '10:00' },
    {
      id: 'delinquent_1_push',
      stage: 'delinquent',
      dayOffset: 1,
      channel: 'push',
      template: 'overdue_1',
      sendAt: '10:00',
    },
  ],
});
/** Two borrowers each: due in 3 days (SMS + push), due today (push), one day past due (SMS + push). */
const borrowers = [
  { id: 'C0', start: '2026-02-13' },
  { id: 'C1', start: '2026-02-13' },
  { id: 'C2', start: '2026-02-10' },
  { id: 'C3', start: '2026-02-10' },
  { id: 'C4', start: '2026-02-09' },
  { id: 'C5', start: '2026-02-09' },
];
const CONTACTS = 10;
const steps: readonly DispatchStep[] = [
  'claimed',
  'decided',
  'marked_sending',
  'provider_answered',
  'recording',
  'recorded',
];
const providerFailures: readonly ScriptedFailure[] = [
  'server_error',
  'unavailable',
  'rate_limited',
  'hang',
  'accept_then_hang',
];

class InjectedCrash extends Error {}

/** mulberry32: the run's faults follow from its seed alone. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('contact dispatch under injected crashes', () => {
  let test: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    await upsertBorrowers(
      db,
      borrowers.map((b, index) => ({
        borrowerId: b.id,
        name: b.id,
        timezone: 'Asia/Shanghai',
        locale: index % 2 === 0 ? 'zh-CN' : 'en',
        contacts: { sms: `+86138000006${index}0`, push: `device-${b.id}` },
      })),
    );
    const rules = parseServicingRules({});
    await openLoans(
      db,
      borrowers.map((b) => ({
        loanId: `${b.id}-L`,
        borrowerId: b.id,
        terms: parseLoanTerms({ principal: '2000.00', annualRate: '0.12', termCount: 4, startDate: b.start }),
        rules,
        disbursedOn: b.start,
      })),
    );
    await runDailyClose({ db, businessDate: DATE });
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it('sends every contact exactly once, whatever step the dispatcher dies at', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const random = seeded(seed);
        const crashRate = 0.05 + random() * 0.15;
        await db.query(sql`TRUNCATE contacts, contact_decisions, verification_codes, contact_states, call_tasks`);
        const planned = await planContacts({
          db,
          date: DATE,
          strategy,
          policy,
          nowMs: Date.parse(`${DATE}T01:00:00+08:00`),
        });
        expect(planned.inserted).toBe(CONTACTS);
        const provider = await startMessageProviderServer();
        try {
          const adapter = (channel: 'sms' | 'push') =>
            createWebhookChannel({
              channel,
              url: `${provider.url}/v1/messages`,
              apiKey: provider.genericApiKey,
              timeoutMs: 150,
            });
          const adapters = { sms: adapter('sms'), push: adapter('push') };
          let clock = Date.parse(`${DATE}T10:00:00+08:00`);
          let crashes = 0;
          let hangs = 0;
          const dispatcher = (workerId: string) =>
            dispatchContacts({
              db,
              nowMs: clock,
              adapters,
              policy,
              secret: SECRET,
              workerId,
              limit: 4,
              leaseMs: LEASE_MS,
              retry: { attemptsMax: 100, baseMs: 5_000, maxMs: 30_000 },
              onStep: (step) => {
                if (steps.includes(step) && random() < crashRate) {
                  crashes += 1;
                  throw new InjectedCrash(`crash at ${step}`);
                }
              },
            });
          for (let round = 0; round < 300; round += 1) {
            const open = await countContactsByStatus(db);
            if (open.planned + open.deferred + open.sending === 0) break;
            if (random() < 0.15) {
              const failure = providerFailures[Math.floor(random() * providerFailures.length)] as ScriptedFailure;
              // Hangs cost a client timeout each: a few per run are enough.
              if (failure === 'hang' || failure === 'accept_then_hang') hangs += 1;
              if (hangs <= 3 || (failure !== 'hang' && failure !== 'accept_then_hang')) provider.failNext(failure);
            }
            const racing = random() < 0.3 ? [dispatcher('w1'), dispatcher('w2')] : [dispatcher('w1')];
            for (const result of await Promise.allSettled(racing)) {
              if (result.status === 'rejected' && !(result.reason instanceof InjectedCrash)) throw result.reason;
            }
            // Past every lease a crashed dispatcher held, and past any backoff.
            clock += LEASE_MS + 1_000;
          }

          const statuses = await countContactsByStatus(db);
          expect(statuses).toMatchObject({
            sent: CONTACTS,
            planned: 0,
            deferred: 0,
            sending: 0,
            failed: 0,
            suppressed: 0,
          });
          // One delivery per contact (the provider keeps one per idempotency key), with the contact's code.
          expect(provider.deliveries).toHaveLength(CONTACTS);
          for (const b of borrowers) {
            const contacts = await listBorrowerContacts(db, b.id);
            for (const contact of contacts) {
              const deliveries = provider.deliveries.filter((d) => d.idempotencyKey === contact.contactId);
              expect(deliveries).toHaveLength(1);
              expect(deliveries[0]?.text).toContain(contact.verificationCode);
              const decisions = await listContactDecisions(db, contact);
              expect(decisions.filter((d) => d.verdict === 'accepted')).toHaveLength(1);
              expect(decisions.filter((d) => d.phase === 'dispatch' && d.verdict === 'send')).toHaveLength(1);
            }
            // The caps count each message once.
            const [subject] = await loadContactSubjects(db, [b.id]);
            expect(subject?.state?.history).toHaveLength(contacts.length);
          }
          return crashes >= 0;
        } finally {
          await provider.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});
