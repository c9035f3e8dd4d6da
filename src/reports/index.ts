// Reports: portfolio measures computed from what the store recorded — roll rates, cure rates and the
// collections curve. A pure core like servicing (no I/O, no clock): the store gathers standings, episodes
// and payments, these functions decide what counts. The module's front door; see docs/reports.md.
export {
  cureRates,
  mergeLadders,
  monthEndSnapshots,
  rateText,
  rollRates,
  RATE_DECIMALS,
  SNAPSHOT_MONTHS_MAX,
  type BalanceRate,
  type CureRateRow,
  type RollRateRow,
  type Standing,
  type TransitionGroup,
} from './rates.ts';
export {
  collectionsCurve,
  curveDays,
  CURVE_DAYS_MAX,
  type CurveOptions,
  type CurvePoint,
  type DelinquencyEpisode,
  type EpisodePayment,
} from './curve.ts';
