// Integer division with a named rounding mode: the one place where an exact quotient becomes a whole
// number of minor units. Every rounding in Kuan goes through here.

export type RoundingMode = 'half_up' | 'half_even' | 'up' | 'down';
export const roundingModes: readonly RoundingMode[] = ['half_up', 'half_even', 'up', 'down'];

/**
 * numerator / denominator rounded to an integer. `up` and `down` are away from and toward zero,
 * `half_up` rounds ties away from zero (the banker's "round half up" on magnitudes), `half_even`
 * rounds ties to the even neighbour.
 */
export function divideRounded(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new Error('invariant violated: division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  const remainder = magnitude % denominator;
  if (remainder !== 0n) {
    const twice = remainder * 2n;
    switch (mode) {
      case 'down':
        break;
      case 'up':
        quotient += 1n;
        break;
      case 'half_up':
        if (twice >= denominator) quotient += 1n;
        break;
      case 'half_even':
        if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
        break;
    }
  }
  return negative ? -quotient : quotient;
}

/** Rounds an amount of minor units to a multiple of `multiple` minor units. */
export function roundToMultiple(amount: bigint, multiple: bigint, mode: RoundingMode): bigint {
  if (multiple <= 0n) throw new Error('invariant violated: rounding multiple must be positive');
  return divideRounded(amount, multiple, mode) * multiple;
}
