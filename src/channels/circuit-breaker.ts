// A circuit breaker around a ChannelAdapter, and the retry backoff the dispatcher waits between attempts.
// After `failuresMax` consecutive retryable outcomes the circuit opens: sends return `circuit_open`
// without reaching the provider until the cool-down has passed; then one trial goes through (half-open).
// A trial that fails reopens the circuit for twice the previous cool-down, capped; any answer from the
// provider (accepted or rejected) closes it and resets the cool-down. The clock is injected.
import { invariant } from '../errors/index.ts';
import { retryable, sendCodes, type ChannelAdapter, type OutboundMessage, type SendOutcome } from './channel.ts';

export interface CircuitBreakerOptions {
  now: () => number;
  /** Consecutive retryable outcomes that open the circuit. Default 5. */
  failuresMax?: number;
  /** First cool-down. Default 30 s. */
  coolDownMs?: number;
  /** The doubling stops here. Default 10 min. */
  coolDownMaxMs?: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSnapshot {
  state: CircuitState;
  consecutiveFailures: number;
  /** The cool-down the circuit is in (open) or will use next time it opens (closed). */
  coolDownMs: number;
  /** While open: when the next trial may go. */
  openUntilMs?: number;
}

export interface CircuitBreakerAdapter extends ChannelAdapter {
  circuit(): CircuitSnapshot;
}

export function withCircuitBreaker(adapter: ChannelAdapter, options: CircuitBreakerOptions): CircuitBreakerAdapter {
  const failuresMax = options.failuresMax ?? 5;
  const coolDownBaseMs = options.coolDownMs ?? 30_000;
  const coolDownMaxMs = options.coolDownMaxMs ?? 600_000;
  invariant(Number.isInteger(failuresMax) && failuresMax >= 1, 'failuresMax must be a positive integer');
  invariant(coolDownBaseMs > 0 && coolDownMaxMs >= coolDownBaseMs, 'need 0 < coolDownMs <= coolDownMaxMs');

  let state: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let coolDownMs = coolDownBaseMs;
  let openUntilMs = 0;

  const open = (): void => {
    state = 'open';
    openUntilMs = options.now() + coolDownMs;
  };

  const call = async (message: OutboundMessage): Promise<SendOutcome> => {
    try {
      return await adapter.send(message);
    } catch (error) {
      // Adapters must not throw; if one does, it is a transient failure here, not a crash of the dispatcher.
      return retryable(sendCodes.adapterError, error instanceof Error ? error.message : String(error));
    }
  };

  return {
    channel: adapter.channel,
    name: adapter.name,
    async send(message) {
      if (state === 'open' && options.now() >= openUntilMs) {
        state = 'half_open';
        const outcome = await call(message);
        if (outcome.outcome === 'retryable') {
          coolDownMs = Math.min(coolDownMs * 2, coolDownMaxMs);
          open();
        } else {
          state = 'closed';
          consecutiveFailures = 0;
          coolDownMs = coolDownBaseMs;
        }
        return outcome;
      }
      if (state !== 'closed') {
        const waitMs = state === 'open' ? openUntilMs - options.now() : undefined;
        return retryable(sendCodes.circuitOpen, `${adapter.name}: circuit ${state}`, waitMs);
      }
      const outcome = await call(message);
      // A late answer of a send that started before the circuit opened does not change the open circuit.
      if (state !== 'closed') return outcome;
      if (outcome.outcome === 'retryable') {
        consecutiveFailures += 1;
        if (consecutiveFailures >= failuresMax) open();
      } else {
        consecutiveFailures = 0;
      }
      return outcome;
    },
    ...(adapter.close ? { close: () => adapter.close!() } : {}),
    circuit: () => ({
      state,
      consecutiveFailures,
      coolDownMs,
      ...(state === 'open' ? { openUntilMs } : {}),
    }),
  };
}

/**
 * Exponential backoff: attempt 1 waits `baseMs`, each further attempt twice as long, never more than
 * `maxMs`. With `random` (a [0, 1) source) the delay is spread over its upper half ("equal jitter"), so
 * retries of many messages do not arrive together.
 */
export function retryDelayMs(
  attempt: number,
  options: { baseMs: number; maxMs: number; random?: () => number },
): number {
  invariant(Number.isInteger(attempt) && attempt >= 1, 'attempt must be an integer >= 1');
  invariant(options.baseMs >= 0 && options.maxMs >= options.baseMs, 'need 0 <= baseMs <= maxMs');
  // 2^52 already exceeds any sane maxMs; capping the exponent keeps the product finite.
  const delay = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt - 1, 52));
  if (!options.random) return delay;
  const half = delay / 2;
  return Math.floor(half + options.random() * half);
}
