// SMS segment counting: how many billed message parts a text needs, as a handset and a carrier see it.
// Encoding: GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table
// (3GPP TS 23.038 §6.2.1 and §6.2.1.1), else UCS-2. Units: GSM-7 septets (an extension character is an
// escape plus itself, 2 septets) or UTF-16 code units (a character outside the BMP, such as an emoji, is a
// surrogate pair, 2 units). One message holds 160 septets / 70 UCS-2 units; a concatenated message loses 6
// octets per part to its user data header (3GPP TS 23.040 §9.2.3.24.1) and holds 153 / 67 per part.
// Invariants: a 2-unit character is never split across parts (it is moved whole to the next part, as
// handsets and Twilio's segment calculator do), so `segments` can exceed ceil(units / perPart); the count
// never falls when text is appended; an empty text needs 0 segments.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSegmentInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  units: number;
  segments: number;
}

/** Units one message carries alone, and per part once it has to be concatenated. */
export const smsLimits: Readonly<Record<SmsEncoding, { singleUnitsMax: number; partUnitsMax: number }>> = {
  'GSM-7': { singleUnitsMax: 160, partUnitsMax: 153 },
  'UCS-2': { singleUnitsMax: 70, partUnitsMax: 67 },
};

// 3GPP TS 23.038 §6.2.1, the 128 positions of the default alphabet in code order; 0x1B (escape to the
// extension table) is not a character of its own and is left out. 0x09 is the capital C with cedilla.
const gsmBasic =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// 3GPP TS 23.038 §6.2.1.1, the extension table characters every handset supports: form feed ^ { } \ [ ~ ] | €.
const gsmExtension = '\f^{}\\[~]|€';

const gsmBasicSet: ReadonlySet<string> = new Set(gsmBasic);
const gsmExtensionSet: ReadonlySet<string> = new Set(gsmExtension);

/** True when the character (one code point) is in the GSM 03.38 basic alphabet or its extension table. */
export function isGsm7Character(char: string): boolean {
  return gsmBasicSet.has(char) || gsmExtensionSet.has(char);
}

/** True when the whole text can be sent as GSM-7. */
export function isGsm7Text(text: string): boolean {
  for (const char of text) if (!isGsm7Character(char)) return false;
  return true;
}

export function countSmsSegments(text: string): SmsSegmentInfo {
  const encoding: SmsEncoding = isGsm7Text(text) ? 'GSM-7' : 'UCS-2';
  // for..of walks code points, so a surrogate pair arrives as one 2-unit character; a lone surrogate is 1.
  const weights: number[] = [];
  for (const char of text) {
    weights.push(encoding === 'GSM-7' ? (gsmExtensionSet.has(char) ? 2 : 1) : char.length);
  }
  const units = weights.reduce((sum, weight) => sum + weight, 0);
  const { singleUnitsMax, partUnitsMax } = smsLimits[encoding];
  if (units === 0) return { encoding, units, segments: 0 };
  if (units <= singleUnitsMax) return { encoding, units, segments: 1 };
  let segments = 1;
  let filled = 0;
  for (const weight of weights) {
    if (filled + weight > partUnitsMax) {
      segments += 1;
      filled = 0;
    }
    filled += weight;
  }
  return { encoding, units, segments };
}
