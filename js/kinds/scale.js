// Scales of scores (a rating's, a rubric's): `n` is 1..n, `[low, high]` is low..high, and the
// digit that picks each score. Pure: shared by the kinds that rate.

/**
 * A config scale as {low, high}: `n` is 1..n, `[low, high]` is low..high (from 0 up).
 * Anything else is an empty scale (high < low), so nothing is drawn or accepted.
 */
export function scaleRange(scale) {
  if (Array.isArray(scale) && scale.length === 2 && scale.every(Number.isInteger)) {
    return { low: scale[0], high: scale[1] };
  }
  return Number.isInteger(scale) ? { low: 1, high: scale } : { low: 1, high: 0 };
}

/** The digit that picks a score, or null: the score itself; 0 is 10 when 0 is not on the scale. */
export function scoreKey(value, { low }) {
  if (value >= 0 && value <= 9) return String(value);
  return value === 10 && low > 0 ? "0" : null;
}

/** The score a digit picks on a scale, or undefined. */
export function scoreForDigit(scale, digit) {
  const range = scaleRange(scale);
  const d = Number(digit);
  const value = d === 0 && range.low > 0 ? 10 : d;
  return value >= range.low && value <= range.high ? value : undefined;
}

/** Whether a value is a score on the scale. */
export function onScale(scale, value) {
  const { low, high } = scaleRange(scale);
  return Number.isInteger(value) && value >= low && value <= high;
}
