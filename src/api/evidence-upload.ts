// Evidence uploads: reading a multipart/form-data overdue reason (a JSON field `reason`, files as
// `evidence`) into the reason and the files' bytes, with everything about a file taken from its bytes —
// its size, its SHA-256, and its type, sniffed from the magic numbers at its start (what the client
// says the type is, is not trusted). Invariants: at most `evidenceFilesMax` files of at most
// `evidenceSizeMaxBytes` each (the hardship module's limits), each a PDF, JPEG, PNG or HEIC whose name
// ends as its type requires; anything else is refused — 413 for too many or too big, 400 for a wrong
// type or a bad field — with the field (`evidence[2]`) and the file named, before anything is stored.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { InputError, quote } from '../errors/index.ts';
import { evidenceFilesMax, evidenceMediaTypes, evidenceSizeMaxBytes } from '../hardship/index.ts';
import { ApiProblem } from './problem.ts';

export interface UploadedFile {
  fileName: string;
  /** Sniffed from the bytes. */
  mediaType: string;
  sizeBytes: number;
  /** SHA-256 of the bytes, 64 lowercase hex digits. */
  sha256: string;
  content: Uint8Array;
}

export interface EvidenceForm {
  /** The `reason` field, parsed as JSON (validated by the caller). */
  reason: unknown;
  files: UploadedFile[];
}

/** Form fields besides the files: the reason only; a few spare so a stray field gets a clear 400. */
const FIELDS_MAX = 4;
/** The reason's JSON: category and at most 2,000 characters of text (up to 4 bytes each, escaped). */
const FIELD_BYTES_MAX = 16 * 1024;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (bytes: Uint8Array, from: number, to: number): string =>
  String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));

/** HEIF brands of HEIC images (HEVC-coded); `mif1`/`msf1` files are HEIC when they list one of these. */
const heicBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/**
 * The evidence type the bytes are, by their magic numbers: PDF (`%PDF-`), JPEG (FF D8 FF), PNG (the
 * 8-byte PNG signature) or HEIC (an ISO-BMFF `ftyp` box with a HEIC brand); undefined for anything else.
 */
export function sniffEvidenceMediaType(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (bytes.length >= 16 && ascii(bytes, 4, 8) === 'ftyp') {
    const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    const major = ascii(bytes, 8, 12);
    if (heicBrands.has(major)) return 'image/heic';
    if (major === 'mif1' || major === 'msf1') {
      for (let at = 16; at + 4 <= Math.min(boxSize, bytes.length, 256); at += 4) {
        if (heicBrands.has(ascii(bytes, at, at + 4))) return 'image/heic';
      }
    }
  }
  return undefined;
}

/** Checks one uploaded file's bytes and name; its metadata, or a problem naming the field and the file. */
export function checkEvidenceFile(index: number, fileName: string, content: Uint8Array): UploadedFile {
  const field = `evidence[${index}]`;
  const named = quote(fileName);
  if (content.byteLength === 0) throw new InputError(field, `${named} is empty`);
  if (content.byteLength > evidenceSizeMaxBytes) throw tooLarge(index, fileName);
  const mediaType = sniffEvidenceMediaType(content);
  if (mediaType === undefined) {
    throw new InputError(field, `${named} is not a PDF, JPEG, PNG or HEIC file (judged by its content, not its name)`);
  }
  const extensions = evidenceMediaTypes[mediaType] ?? [];
  const extension = fileName.includes('.') ? (fileName.split('.').pop() ?? '').toLowerCase() : '';
  if (!extensions.includes(extension)) {
    throw new InputError(
      field,
      `${named} holds ${mediaType} content, so its name must end in .${extensions.join(' or .')}`,
    );
  }
  const sha256 = createHash('sha256').update(content).digest('hex');
  return { fileName, mediaType, sizeBytes: content.byteLength, sha256, content };
}

function tooLarge(index: number, fileName: string): ApiProblem {
  return new ApiProblem(
    'payload-too-large',
    `evidence[${index}]: ${quote(fileName)} is larger than ${evidenceSizeMaxBytes} bytes (10 MB), the most a file may be`,
    { field: `evidence[${index}]` },
  );
}

function tooMany(fileName: string): ApiProblem {
  return new ApiProblem(
    'payload-too-large',
    `evidence: at most ${evidenceFilesMax} files may be sent; ${quote(fileName)} is file ${evidenceFilesMax + 1}`,
    { field: 'evidence' },
  );
}

/** Reads the whole form: the `reason` field and every `evidence` file, each checked as it arrives. */
export async function readEvidenceForm(request: FastifyRequest): Promise<EvidenceForm> {
  let reason: unknown;
  let sawReason = false;
  const files: UploadedFile[] = [];
  let fileName = '';
  try {
    const parts = request.parts({
      limits: {
        fileSize: evidenceSizeMaxBytes,
        // One more than allowed, so the first file too many is seen (and named) rather than dropped.
        files: evidenceFilesMax + 1,
        fields: FIELDS_MAX,
        fieldSize: FIELD_BYTES_MAX,
        parts: evidenceFilesMax + 1 + FIELDS_MAX,
      },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname !== 'reason') {
          throw new InputError(part.fieldname, 'is not a field of this form (send "reason" and files as "evidence")');
        }
        if (sawReason) throw new InputError('reason', 'is sent more than once');
        sawReason = true;
        if (part.valueTruncated) throw new InputError('reason', `must be at most ${FIELD_BYTES_MAX} bytes of JSON`);
        reason = typeof part.value === 'string' ? parseJsonField(part.value) : part.value;
        continue;
      }
      fileName = part.filename;
      if (part.fieldname !== 'evidence') {
        throw new InputError(part.fieldname, `is not a file field: send ${quote(part.filename)} as "evidence"`);
      }
      if (files.length >= evidenceFilesMax) throw tooMany(part.filename);
      const content = await part.toBuffer();
      files.push(checkEvidenceFile(files.length, part.filename, new Uint8Array(content)));
    }
  } catch (error) {
    throw problemOfUpload(error, files.length, fileName);
  }
  if (!sawReason) throw new InputError('reason', 'is required: a JSON field {"category": …, "text"?: …}');
  return { reason, files };
}

function parseJsonField(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InputError('reason', `must be JSON {"category": …, "text"?: …}, got ${quote(text.slice(0, 40))}`);
  }
}

/** The multipart plugin's errors (limits, malformed bodies) as problems naming the field and the file. */
function problemOfUpload(error: unknown, index: number, fileName: string): Error {
  if (error instanceof ApiProblem || error instanceof InputError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return tooLarge(index, fileName);
  if (code === 'FST_FILES_LIMIT') return tooMany(fileName);
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
    return new ApiProblem('payload-too-large', `body: a form holds "reason" and at most ${evidenceFilesMax} files`, {
      field: 'body',
    });
  }
  if (code === 'FST_INVALID_JSON_FIELD_ERROR') return new InputError('reason', 'must be valid JSON');
  if (code === 'FST_PROTO_VIOLATION') return new InputError('body', 'holds a forbidden field name');
  // Nothing but the body's parsing runs in the guarded block: any other failure is a malformed body.
  const message = error instanceof Error ? error.message : String(error);
  return new InputError('body', `is not a readable multipart/form-data body (${message.slice(0, 200)})`);
}
