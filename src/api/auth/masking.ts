// Masking personal data for staff without `pii:read`: phone numbers keep their first digits and last
// four (`138****0001`, `+8613*****0001`), e-mail addresses their first character and domain
// (`w***@example.com`), identity numbers their first three and last four characters. Invariant: at
// least a third of a masked value's characters, and at least four, are hidden (a value of four
// characters or fewer is hidden entirely).

const MASK = '*';

/** Keeps up to `keepStart` leading and `keepEnd` trailing characters, hiding at least max(4, a third). */
export function maskMiddle(text: string, keepStart: number, keepEnd: number): string {
  const chars = [...text];
  const length = chars.length;
  if (length === 0) return text;
  let start = keepStart;
  let end = keepEnd;
  const keptMax = Math.max(0, length - Math.max(4, Math.ceil(length / 3)));
  while (start + end > keptMax) {
    if (start > 0) start -= 1;
    else if (end > 0) end -= 1;
    else break;
  }
  return chars.slice(0, start).join('') + MASK.repeat(length - start - end) + chars.slice(length - end).join('');
}

export function maskPhone(phone: string): string {
  return maskMiddle(phone, phone.startsWith('+') ? 6 : 3, 4);
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskMiddle(email, 1, 0);
  return `${[...email.slice(0, at)][0] ?? ''}${MASK.repeat(3)}${email.slice(at)}`;
}

export function maskIdNumber(idNumber: string): string {
  return maskMiddle(idNumber, 3, 4);
}

/** A borrower's contacts with every address masked by its kind (sms and voice as phones, email, others hidden). */
export function maskContacts(contacts: unknown): Record<string, unknown> {
  if (contacts === null || typeof contacts !== 'object' || Array.isArray(contacts)) return {};
  const masked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(contacts as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      masked[key] = value === null || typeof value === 'boolean' || typeof value === 'number' ? value : '***';
    } else if (key === 'sms' || key === 'voice' || key === 'phone') masked[key] = maskPhone(value);
    else if (key === 'email') masked[key] = maskEmail(value);
    else masked[key] = maskMiddle(value, 2, 2);
  }
  return masked;
}
