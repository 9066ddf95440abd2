/**
 * Exact decimal arithmetic for report figures: values are scaled integers (BigInt × 10⁸,
 * the precision figures are stored with), so money in 万元 adds up exactly and never as floats.
 */

const SCALE_DIGITS = 8;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

export type Scaled = bigint;

/** Parses "12", "-417", "+2", "12.35", "2.0000" (PostgreSQL numeric text). */
const SMALL_INTEGER = /^-?\d{1,15}$/;

export function parseDecimal(text: string): Scaled {
  // Most figures are small whole numbers: exact as a double, so no string surgery is needed.
  if (SMALL_INTEGER.test(text)) return BigInt(Number(text)) * SCALE;
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new Error(`Not a decimal number: ${JSON.stringify(text)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  const kept = fraction.replace(/0+$/, '');
  if (kept.length > SCALE_DIGITS) throw new Error(`More than ${SCALE_DIGITS} decimals: ${text}`);
  const magnitude = BigInt(whole) * SCALE + BigInt(kept.padEnd(SCALE_DIGITS, '0') || '0');
  return sign === '-' ? -magnitude : magnitude;
}

/** Shortest exact text: "12", "-1", "12.35". */
export function formatDecimal(value: Scaled): string {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const whole = magnitude / SCALE;
  const fraction = (magnitude % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

export const sumDecimals = (values: readonly Scaled[]): Scaled => values.reduce((a, b) => a + b, 0n);
