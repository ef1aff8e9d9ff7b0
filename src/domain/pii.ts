// PII detection rules: which detectors look at a string column and what happens on a find.
//   { "email": "mask", "phone": "flag", "card": "drop", "iban": "drop" }
// Detectors: `email` (an e-mail address), `phone` (E.164 `+…` numbers and common national
// formats), `card` (13–19 digits, spaces or dashes allowed, passing the Luhn check), `iban`
// (an IBAN whose mod-97 check is 1). A value *contains* PII when any part of it is one of these.
// Actions: `flag` keeps the row and counts it (report.pii_flagged), `mask` replaces each find in
// the stored value (report.pii_masked), `drop` quarantines the row under `<column>.pii`.
import { ValidationError } from './errors.js';

export const PII_DETECTORS = ['email', 'phone', 'card', 'iban'] as const;
export type PiiDetector = (typeof PII_DETECTORS)[number];

export const PII_ACTIONS = ['flag', 'mask', 'drop'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

/** Detector → action; `{}` turns detection off for a column (overriding a document-wide rule). */
export type PiiRule = Partial<Record<PiiDetector, PiiAction>>;

/** How a reason names what a detector found, e.g. "contains a card number". */
export const PII_LABELS: Record<PiiDetector, string> = {
  email: 'an e-mail address',
  phone: 'a phone number',
  card: 'a card number',
  iban: 'an IBAN',
};

/** What a masked find becomes (documented; the SQL builds the same shapes). */
export const PII_MASKS: Record<PiiDetector, string> = {
  email: '***@***',
  phone: '***-***-****',
  card: '**** **** **** followed by the last 4 digits',
  iban: 'the country code, ** **** and the last 4 characters',
};

/**
 * Validate a PII rule at `field`, e.g. `parsePiiRule('rules.pii', { email: 'mask' })`; throws
 * ValidationError naming the bad key or action.
 */
export function parsePiiRule(field: string, input: unknown): PiiRule {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError(`${field}: must be an object of detector → action, e.g. {"email": "mask", "card": "drop"}`, { field });
  }
  const rule: PiiRule = {};
  for (const [key, action] of Object.entries(input)) {
    const f = `${field}.${key}`;
    if (!(PII_DETECTORS as readonly string[]).includes(key)) throw new ValidationError(`${f}: unknown detector '${key}' (known: ${PII_DETECTORS.join(', ')})`, { field: f });
    if (!(PII_ACTIONS as readonly unknown[]).includes(action)) {
      throw new ValidationError(`${f}: the action must be one of ${PII_ACTIONS.join(', ')}, got ${JSON.stringify(action) ?? String(action)}`, { field: f });
    }
    rule[key as PiiDetector] = action as PiiAction;
  }
  return rule;
}

/** The detectors of `rule` that take `action`, in PII_DETECTORS order. */
export function detectorsWith(rule: PiiRule | undefined, action: PiiAction): PiiDetector[] {
  return PII_DETECTORS.filter((d) => rule?.[d] === action);
}
