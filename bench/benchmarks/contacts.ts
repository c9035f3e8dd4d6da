// The contact engine's throughput: compliance-gate decisions per second on one core (a pool of varied
// borrowers: several time zones, recent history, holds, promises, calls), planning borrowers' days, and
// dispatch to local channel servers (messages per second through the webhook adapter over HTTP and the
// SMTP adapter to a real local SMTP server, each with bounded concurrency).
import { localParts, msPerDay, zonedEpochMs } from '../../src/calendar/index.ts';
import { createSmtpChannel, createWebhookChannel, type ChannelAdapter } from '../../src/channels/index.ts';
import { evaluateContact, type GateInput } from '../../src/contact/gate/index.ts';
import type { BorrowerContactView, ContactChannel, ContactIntent, ContactRecord } from '../../src/contact/model.ts';
import { builtInPolicies, type PolicyPack } from '../../src/contact/policy/index.ts';
import { builtInStrategies, planBorrowerDay, type PlanInput, type Strategy } from '../../src/contact/strategy/index.ts';
import { addDays } from '../../src/calendar/index.ts';
import { startMessageProviderServer } from '../../test/support/message-provider-server.ts';
import { startSmtpServer } from '../../test/support/smtp-server.ts';
import type { Benchmark } from '../registry.ts';
import { measure, type Measurement } from '../harness.ts';

const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'America/Los_Angeles'];
const channels: ContactChannel[] = ['sms', 'email', 'push', 'voice', 'sms', 'letter'];
const dayMs = Date.UTC(2026, 2, 16);

/** A deterministic pool of gate inputs (no randomness: index arithmetic spreads the cases). */
function gateInputs(count: number, policy: PolicyPack): GateInput[] {
  const inputs: GateInput[] = [];
  for (let index = 0; index < count; index += 1) {
    const zone = zones[index % zones.length] as string;
    const channel = channels[index % channels.length] as ContactChannel;
    const date = localParts(zone, dayMs).date;
    const plannedAtMs = zonedEpochMs(zone, date, 6 * 60 + (index % 17) * 60);
    const history: ContactRecord[] = [];
    for (let back = 0; back < index % 7; back += 1) {
      const atMs = plannedAtMs - back * 0.6 * msPerDay - 3_600_000;
      history.push({
        atMs,
        channel: channels[(index + back) % channels.length] as ContactChannel,
        localDate: localParts(zone, atMs).date,
        loanIds: [`L${index}`],
        ...(back % 3 === 0 ? { call: { number: `+86138${index}`, outcome: 'no_answer' as const } } : {}),
      });
    }
    history.sort((a, b) => a.atMs - b.atMs);
    const intent: ContactIntent = {
      intentId: `B${index}:${date}:overdue_7:${channel}`,
      borrowerId: `B${index}`,
      loanIds: [`L${index}`, `L${index}b`],
      subjects: [
        { loanId: `L${index}`, installmentNumbers: [3], amountMinor: 30_500n, currency: 'CNY' },
        { loanId: `L${index}b`, installmentNumbers: [1], amountMinor: 12_000n, currency: 'CNY' },
      ],
      channel,
      template: 'overdue_7',
      purpose: index % 9 === 0 ? 'notice' : 'reminder',
      stage: 'delinquent',
      strategy: { name: 'default', version: 1, arm: 'champion', stepId: 'delinquent_7' },
      date,
      plannedAtMs,
      validUntilMs: zonedEpochMs(zone, date, 1440) - 1,
      reasons: ['strategy default step delinquent_7'],
    };
    const view: BorrowerContactView = {
      borrowerId: `B${index}`,
      timezone: zone,
      optOuts: index % 11 === 0 ? ['sms'] : [],
      holds:
        index % 13 === 0
          ? [{ fromMs: plannedAtMs - msPerDay, untilMs: plannedAtMs + 6 * msPerDay, reason: 'illness' }]
          : [],
      promises: index % 10 === 0 ? [{ loanId: `L${index}`, date, amountMinor: 30_500n }] : [],
      pauses: [],
      history,
      loans: [
        { loanId: `L${index}`, status: 'overdue', unsettledInstallments: [3, 4, 5, 6] },
        { loanId: `L${index}b`, status: index % 5 === 0 ? 'closed' : 'active', unsettledInstallments: [1, 2, 3] },
      ],
    };
    inputs.push({ intent, view, policy, nowMs: plannedAtMs, address: `+86138${index}` });
  }
  return inputs;
}

/**
 * A day's planning input for a borrower in collection (DPD spread over 1–120, so every delinquent step
 * offset is hit) or, one in four, with an installment falling due soon — the mix of a book where ~10 % of
 * loans are in collection stages and ~3 % have an installment due within days.
 */
function planInputs(count: number, strategy: Strategy): PlanInput[] {
  const date = '2026-03-16';
  const inputs: PlanInput[] = [];
  for (let index = 0; index < count; index += 1) {
    const zone = zones[index % zones.length] as string;
    const collecting = index % 4 !== 0;
    const dpd = collecting ? 1 + (index % 120) : 0;
    const dueDate = collecting ? addDays(date, -dpd) : addDays(date, 3 - (index % 4));
    inputs.push({
      date,
      borrower: { id: `B${index}`, timezone: zone, locale: index % 3 === 0 ? 'en' : 'zh-CN' },
      loans: [
        {
          loanId: `L${index}`,
          currency: 'CNY',
          status: collecting ? 'overdue' : 'active',
          dpd,
          bucket: dpd === 0 ? 'M0' : `M${Math.min(7, Math.ceil(dpd / 30))}`,
          graceDays: 3,
          inGrace: dpd > 0 && dpd <= 3,
          delinquent: dpd > 3,
          balanceMinor: 400_000n,
          overdueMinor: collecting ? 86_274n : 0n,
          penaltyMinor: collecting ? BigInt(dpd * 25) : 0n,
          unsettled: [
            { number: 2, dueDate, outstandingMinor: 86_274n },
            { number: 3, dueDate: addDays(dueDate, 31), outstandingMinor: 86_274n },
          ],
        },
      ],
      promises: index % 17 === 0 ? [{ loanId: `L${index}`, date: addDays(date, 2), amountMinor: 86_274n }] : [],
      strategy,
    });
  }
  return inputs;
}

/** Sends `count` messages through `adapter` with `concurrency` in flight; returns the measurement. */
async function dispatchMany(adapter: ChannelAdapter, count: number, concurrency: number): Promise<Measurement> {
  let next = 0;
  let failed = 0;
  const start = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = (next += 1);
      const outcome = await adapter.send({
        messageId: `bench-${index}`,
        borrowerId: `B${index}`,
        channel: adapter.channel,
        to: adapter.channel === 'email' ? `b${index}@example.com` : `+861380000${String(index).padStart(4, '0')}`,
        locale: 'zh-CN',
        subject: '还款提醒',
        body: `【宽】尊敬的客户，您的借款本期应还 ¥305.00，已逾期 7 天。核验码 K7Q2M9。`,
        verificationCode: 'K7Q2M9',
        loanIds: [`L${index}`],
      });
      if (outcome.outcome !== 'accepted') failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (failed > 0) throw new Error(`${failed} of ${count} messages were not accepted`);
  return { iterations: count, elapsedMs, opsPerSec: (count * 1000) / elapsedMs, meanUs: (elapsedMs * 1000) / count };
}

export const contactsBench: Benchmark = {
  name: 'contacts',
  summary: 'gate decisions/s per core; dispatch messages/s to local HTTP and SMTP servers',
  async run({ measureOptions, report }) {
    for (const pack of ['cn-2026', 'us-regf']) {
      const inputs = gateInputs(4096, builtInPolicies[pack] as PolicyPack);
      let index = 0;
      report({
        bench: 'contacts',
        case: 'gate',
        params: { policy: pack, pool: inputs.length },
        unit: 'decisions',
        measurement: measure(() => evaluateContact(inputs[(index = (index + 1) & 4095)] as GateInput), measureOptions),
      });
    }

    // Planning and the plan-time gate for each borrower: what the daily close adds for contacts.
    const strategy = builtInStrategies.default as Strategy;
    const policy = builtInPolicies['cn-2026'] as PolicyPack;
    const plans = planInputs(8192, strategy);
    let planIndex = 0;
    const emptyView = (input: PlanInput) => ({
      borrowerId: input.borrower.id,
      timezone: input.borrower.timezone,
      optOuts: [],
      holds: [],
      promises: [],
      pauses: [],
      history: [],
      loans: input.loans.map((loan) => ({
        loanId: loan.loanId,
        status: loan.status,
        unsettledInstallments: loan.unsettled.map((row) => row.number),
      })),
    });
    const views = plans.map(emptyView);
    report({
      bench: 'contacts',
      case: 'plan+gate',
      params: { strategy: 'default', pool: plans.length },
      unit: 'borrowers',
      measurement: measure(() => {
        planIndex = (planIndex + 1) & 8191;
        const input = plans[planIndex] as PlanInput;
        const view = views[planIndex] as BorrowerContactView;
        let verdicts = 0;
        for (const intent of planBorrowerDay(input)) {
          if (evaluateContact({ intent, view, policy, nowMs: intent.plannedAtMs }).verdict === 'send') verdicts += 1;
        }
        return verdicts;
      }, measureOptions),
    });

    const count = 5_000;
    const provider = await startMessageProviderServer();
    try {
      const webhook = createWebhookChannel({
        channel: 'sms',
        url: `${provider.url}/v1/messages`,
        apiKey: provider.genericApiKey,
      });
      await dispatchMany(webhook, 200, 32); // warm-up
      report({
        bench: 'contacts',
        case: 'dispatch-http',
        params: { messages: count, concurrency: 64 },
        unit: 'messages',
        measurement: await dispatchMany(webhook, count, 64),
      });
    } finally {
      await provider.close();
    }
    const smtp = await startSmtpServer({ countOnly: true });
    const mail = createSmtpChannel({
      host: smtp.host,
      port: smtp.port,
      from: 'notices@lender.example',
      connectionsMax: 16,
    });
    try {
      await dispatchMany(mail, 200, 16);
      report({
        bench: 'contacts',
        case: 'dispatch-smtp',
        params: { messages: count, concurrency: 64, connections: 32 },
        unit: 'messages',
        measurement: await dispatchMany(mail, count, 64),
      });
    } finally {
      await mail.close?.();
      await smtp.close();
    }
  },
};
