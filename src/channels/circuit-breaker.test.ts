import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelAdapter, OutboundMessage, SendOutcome } from './channel.ts';
import { retryDelayMs, withCircuitBreaker } from './circuit-breaker.ts';

const message: OutboundMessage = {
  messageId: 'm1',
  borrowerId: 'B1',
  channel: 'sms',
  to: '+8613800000001',
  locale: 'en',
  body: 'Due soon. Code K7Q2M9',
  verificationCode: 'K7Q2M9',
  loanIds: ['L1'],
};

const accepted: SendOutcome = { outcome: 'accepted', providerMessageId: 'p1' };
const failed: SendOutcome = { outcome: 'retryable', code: 'provider_unavailable', detail: 'HTTP 503' };
const refused: SendOutcome = { outcome: 'rejected', code: 'invalid_address', detail: 'HTTP 400' };

/** A provider answering from a script (or with `next` when the script is empty), counting its calls. */
function scriptedProvider(next: SendOutcome = accepted) {
  const script: SendOutcome[] = [];
  const provider = {
    calls: 0,
    script,
    adapter: {
      channel: 'sms',
      name: 'scripted',
      send: async () => {
        provider.calls += 1;
        return script.shift() ?? next;
      },
    } satisfies ChannelAdapter,
  };
  return provider;
}

function fakeClock(startMs = 0) {
  const clock = { nowMs: startMs, now: () => clock.nowMs };
  return clock;
}

describe('withCircuitBreaker', () => {
  it('opens after five consecutive retryable failures and stops calling the provider', async () => {
    const clock = fakeClock();
    const provider = scriptedProvider(failed);
    const breaker = withCircuitBreaker(provider.adapter, { now: clock.now });
    for (let i = 0; i < 5; i += 1) expect(await breaker.send(message)).toEqual(failed);
    expect(breaker.circuit()).toEqual({
      state: 'open',
      consecutiveFailures: 5,
      coolDownMs: 30_000,
      openUntilMs: 30_000,
    });
    clock.nowMs = 10_000;
    expect(await breaker.send(message)).toMatchObject({
      outcome: 'retryable',
      code: 'circuit_open',
      retryAfterMs: 20_000,
    });
    expect(provider.calls).toBe(5);
  });

  it('counts only consecutive failures: an accepted or rejected answer resets the count', async () => {
    const clock = fakeClock();
    const provider = scriptedProvider();
    provider.script.push(failed, failed, failed, failed, refused, failed, failed, failed, failed, accepted);
    const breaker = withCircuitBreaker(provider.adapter, { now: clock.now });
    for (let i = 0; i < 10; i += 1) await breaker.send(message);
    expect(breaker.circuit()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('lets one trial through after the cool-down, doubles it on failure up to the cap, and resets on success', async () => {
    const clock = fakeClock();
    const provider = scriptedProvider(failed);
    const breaker = withCircuitBreaker(provider.adapter, {
      now: clock.now,
      failuresMax: 2,
      coolDownMs: 1_000,
      coolDownMaxMs: 3_000,
    });
    await breaker.send(message);
    await breaker.send(message);
    expect(breaker.circuit()).toMatchObject({ state: 'open', coolDownMs: 1_000, openUntilMs: 1_000 });

    const coolDowns: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      clock.nowMs = breaker.circuit().openUntilMs!;
      expect(await breaker.send(message)).toEqual(failed); // the trial reached the provider
      coolDowns.push(breaker.circuit().coolDownMs);
      expect(await breaker.send(message)).toMatchObject({ code: 'circuit_open' });
    }
    expect(coolDowns).toEqual([2_000, 3_000, 3_000]);
    expect(provider.calls).toBe(5);

    provider.script.push(accepted);
    clock.nowMs = breaker.circuit().openUntilMs!;
    expect(await breaker.send(message)).toEqual(accepted);
    expect(breaker.circuit()).toEqual({ state: 'closed', consecutiveFailures: 0, coolDownMs: 1_000 });
  });

  it('lets only one trial through while it is in flight', async () => {
    const clock = fakeClock();
    let release: (outcome: SendOutcome) => void = () => undefined;
    let calls = 0;
    let fail = true;
    const slow: ChannelAdapter = {
      channel: 'email',
      name: 'slow',
      send: () => {
        calls += 1;
        if (fail) return Promise.resolve(failed);
        return new Promise<SendOutcome>((resolve) => (release = resolve));
      },
    };
    const breaker = withCircuitBreaker(slow, { now: clock.now, failuresMax: 1 });
    await breaker.send(message);
    fail = false;
    clock.nowMs = 30_000;
    const trial = breaker.send(message);
    expect(breaker.circuit().state).toBe('half_open');
    expect(await breaker.send(message)).toMatchObject({ code: 'circuit_open' });
    release(accepted);
    expect(await trial).toEqual(accepted);
    expect(calls).toBe(2);
    expect(breaker.circuit().state).toBe('closed');
  });

  it('turns an adapter that throws into a retryable outcome', async () => {
    const throwing: ChannelAdapter = { channel: 'push', name: 'bad', send: () => Promise.reject(new Error('boom')) };
    const breaker = withCircuitBreaker(throwing, { now: () => 0 });
    expect(await breaker.send(message)).toEqual({ outcome: 'retryable', code: 'adapter_error', detail: 'boom' });
  });

  it('never reaches the provider before an open circuit’s cool-down has passed (any outcomes, any clock)', async () => {
    const step = fc.record({
      advanceMs: fc.integer({ min: 0, max: 20_000 }),
      outcome: fc.constantFrom(accepted, failed, refused),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        const clock = fakeClock();
        let called = false;
        let next: SendOutcome = accepted;
        const adapter: ChannelAdapter = {
          channel: 'sms',
          name: 'p',
          send: async () => {
            called = true;
            return next;
          },
        };
        const breaker = withCircuitBreaker(adapter, {
          now: clock.now,
          failuresMax: 3,
          coolDownMs: 5_000,
          coolDownMaxMs: 40_000,
        });
        for (const { advanceMs, outcome } of steps) {
          clock.nowMs += advanceMs;
          const before = breaker.circuit();
          called = false;
          next = outcome;
          const result = await breaker.send(message);
          if (before.state === 'open' && clock.nowMs < before.openUntilMs!) {
            expect(called).toBe(false);
            expect(result.outcome === 'retryable' && result.code).toBe('circuit_open');
          } else {
            expect(called).toBe(true);
            expect(result).toEqual(outcome);
          }
          expect(breaker.circuit().coolDownMs).toBeLessThanOrEqual(40_000);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt, { baseMs: 1_000, maxMs: 30_000 }));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(retryDelayMs(10_000, { baseMs: 1_000, maxMs: 30_000 })).toBe(30_000);
  });

  it('with jitter stays within the upper half of the plain delay, and never decreases without it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 60_000 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, extraMs, random) => {
          const options = { baseMs, maxMs: baseMs + extraMs };
          const plain = retryDelayMs(attempt, options);
          expect(plain).toBeLessThanOrEqual(options.maxMs);
          expect(plain).toBeGreaterThanOrEqual(retryDelayMs(Math.max(1, attempt - 1), options));
          const jittered = retryDelayMs(attempt, { ...options, random: () => random });
          expect(jittered).toBeGreaterThanOrEqual(Math.floor(plain / 2));
          expect(jittered).toBeLessThanOrEqual(plain);
        },
      ),
    );
  });

  it('refuses an attempt below 1', () => {
    expect(() => retryDelayMs(0, { baseMs: 1, maxMs: 2 })).toThrow(/attempt/);
  });
});
