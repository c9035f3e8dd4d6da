// Overdue reasons: why a borrower fell behind, as the borrower or an agent tells it — a category, free
// text, and evidence files. Parsed once at the edge into a validated value; the files' bytes never come
// here (the shell stores them and checks them against the metadata validated here).
//
// Invariants of a parsed reason: the category is one of `overdueReasonCategories`; the text is at most
// `reasonTextMaxChars` characters (and not empty for `other`); at most `evidenceFilesMax` files, each of
// an allowed type (PDF, JPEG, PNG, HEIC — by media type and file extension, which must agree), at most
// `evidenceSizeMaxBytes`, with a SHA-256 checksum as 64 lowercase hex digits; captured by `borrower` or
// an agent id.
import { InputError, quote } from '../errors/index.ts';

export const overdueReasonCategories = [
  'income_loss',
  'illness_or_accident',
  'family_emergency',
  'business_failure',
  'over_borrowing',
  'dispute',
  'fraud_or_identity_theft',
  'disaster',
  'other',
] as const;
export type OverdueReasonCategory = (typeof overdueReasonCategories)[number];

export const reasonTextMaxChars = 2000;
export const evidenceFilesMax = 10;
export const evidenceSizeMaxBytes = 10 * 1024 * 1024;
export const fileNameMaxChars = 200;
const agentIdPattern = /^[A-Za-z0-9._:@-]{1,64}$/;

/** The evidence types accepted, by media type, with the file extensions each may carry. */
export const evidenceMediaTypes: Readonly<Record<string, readonly string[]>> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'image/heic': ['heic'],
};

/** `borrower` (self-service) or the id of the agent who captured it. */
export type CapturedBy = 'borrower' | { agentId: string };

export interface EvidenceFile {
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  /** SHA-256 of the bytes, 64 lowercase hex digits. */
  sha256: string;
}

export interface OverdueReasonInput {
  category: OverdueReasonCategory;
  text: string;
  capturedBy: CapturedBy;
  evidence: EvidenceFile[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters as a person counts them (code points, so one Chinese character or emoji is one). */
function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

export function parseCapturedBy(value: unknown, field = 'capturedBy'): CapturedBy {
  if (value === 'borrower') return 'borrower';
  if (typeof value === 'string' && agentIdPattern.test(value)) return { agentId: value };
  throw new InputError(field, `must be "borrower" or an agent id (letters, digits, . _ : @ -), got ${quote(value)}`);
}

export function capturedByText(capturedBy: CapturedBy): string {
  return capturedBy === 'borrower' ? 'borrower' : capturedBy.agentId;
}

/** Validates one evidence file's metadata. */
export function parseEvidenceFile(value: unknown, field = 'evidence'): EvidenceFile {
  if (!isObject(value))
    throw new InputError(field, `must be an object {fileName, mediaType, sizeBytes, sha256}, got ${quote(value)}`);
  for (const key of Object.keys(value)) {
    if (!['fileName', 'mediaType', 'sizeBytes', 'sha256'].includes(key)) {
      throw new InputError(`${field}.${key}`, 'is not an evidence field');
    }
  }
  const { fileName, mediaType, sizeBytes, sha256 } = value;
  if (typeof fileName !== 'string' || fileName.trim() === '' || charCount(fileName) > fileNameMaxChars) {
    throw new InputError(
      `${field}.fileName`,
      `must be a file name of 1 to ${fileNameMaxChars} characters, got ${quote(fileName)}`,
    );
  }
  if (/[/\\\u0000-\u001f]/.test(fileName)) {
    throw new InputError(`${field}.fileName`, `must not contain a path or control characters, got ${quote(fileName)}`);
  }
  const allowed = Object.keys(evidenceMediaTypes);
  if (typeof mediaType !== 'string' || !allowed.includes(mediaType)) {
    throw new InputError(`${field}.mediaType`, `must be one of ${allowed.join(', ')}, got ${quote(mediaType)}`);
  }
  const extension = fileName.includes('.') ? (fileName.split('.').pop() ?? '').toLowerCase() : '';
  const extensions = evidenceMediaTypes[mediaType] ?? [];
  if (!extensions.includes(extension)) {
    throw new InputError(
      `${field}.fileName`,
      `must end in .${extensions.join(' or .')} for ${mediaType}, got ${quote(fileName)}`,
    );
  }
  if (typeof sizeBytes !== 'number' || !Number.isInteger(sizeBytes) || sizeBytes < 1) {
    throw new InputError(`${field}.sizeBytes`, `must be a positive whole number of bytes, got ${quote(sizeBytes)}`);
  }
  if (sizeBytes > evidenceSizeMaxBytes) {
    throw new InputError(
      `${field}.sizeBytes`,
      `must be at most ${evidenceSizeMaxBytes} bytes (10 MB), got ${sizeBytes}`,
    );
  }
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
    throw new InputError(
      `${field}.sha256`,
      `must be a SHA-256 checksum as 64 lowercase hex digits, got ${quote(sha256)}`,
    );
  }
  return { fileName, mediaType, sizeBytes, sha256 };
}

/** Parses an overdue reason: {category, text?, capturedBy, evidence?}. */
export function parseOverdueReason(value: unknown, field = 'reason'): OverdueReasonInput {
  if (!isObject(value)) throw new InputError(field, `must be an object, got ${quote(value)}`);
  const at = (name: string): string => (field === '' ? name : `${field}.${name}`);
  for (const key of Object.keys(value)) {
    if (!['category', 'text', 'capturedBy', 'evidence'].includes(key))
      throw new InputError(at(key), 'is not a reason field');
  }
  const { category } = value;
  if (typeof category !== 'string' || !(overdueReasonCategories as readonly string[]).includes(category)) {
    throw new InputError(
      at('category'),
      `must be one of ${overdueReasonCategories.join(', ')}, got ${quote(category)}`,
    );
  }
  const text = value.text ?? '';
  if (typeof text !== 'string') throw new InputError(at('text'), `must be a string, got ${quote(text)}`);
  if (charCount(text) > reasonTextMaxChars) {
    throw new InputError(at('text'), `must be at most ${reasonTextMaxChars} characters, got ${charCount(text)}`);
  }
  if (category === 'other' && text.trim() === '')
    throw new InputError(at('text'), 'must say what happened when the category is other');
  const evidence = value.evidence ?? [];
  if (!Array.isArray(evidence)) throw new InputError(at('evidence'), `must be a list, got ${quote(evidence)}`);
  if (evidence.length > evidenceFilesMax) {
    throw new InputError(at('evidence'), `allows at most ${evidenceFilesMax} files, got ${evidence.length}`);
  }
  return {
    category: category as OverdueReasonCategory,
    text,
    capturedBy: parseCapturedBy(value.capturedBy, at('capturedBy')),
    evidence: evidence.map((item: unknown, index) => parseEvidenceFile(item, `${at('evidence')}[${index}]`)),
  };
}
