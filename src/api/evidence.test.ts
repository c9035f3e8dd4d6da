// Evidence upload (POST /loans/:loanId/overdue-reasons as multipart/form-data): a JSON field `reason`
// and files `evidence`; the server takes each file's size, SHA-256 and type from its bytes (the type by
// its magic numbers), stores exactly those bytes, and refuses — naming the field and the file, storing
// nothing — a file that is not a PDF, JPEG, PNG or HEIC whatever its name says, a name that disagrees
// with the content, too many files, a file over 10 MB; a borrower reaches only their own loans.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sniffEvidenceMediaType } from './evidence-upload.ts';
import { getEvidenceContent, listOverdueReasons } from '../store/hardship.ts';
import { startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => h.close());

/** A real (tiny) PDF: header, one empty page, cross-reference table and trailer. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** The PNG signature and an IHDR chunk header of a 1×1 image. */
const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
/** A Windows executable's start ("MZ", the DOS stub). */
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(56)]);

type Part = { name: string; value: string } | { name: string; fileName: string; type: string; content: Buffer };

function multipart(parts: readonly Part[]) {
  const boundary = '----kuan-test-boundary-7d1f';
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(
        Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\ncontent-disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\n` +
            `content-type: ${part.type}\r\n\r\n`,
        ),
        part.content,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const reason = { name: 'reason', value: JSON.stringify({ category: 'illness_or_accident', text: 'In hospital.' }) };

function upload(parts: readonly Part[], options: { key: string; loanId?: string; token?: string }) {
  const body = multipart(parts);
  return h.call({
    method: 'POST',
    url: `/api/v1/loans/${options.loanId ?? 'L1'}/overdue-reasons`,
    token: options.token ?? h.borrowerTokens.B1,
    headers: { 'idempotency-key': options.key, 'content-type': body.contentType },
    payload: body.payload,
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const reasonsStored = async () => (await listOverdueReasons(h.db, { borrowerId: 'B1' })).length;

describe('evidence files with an overdue reason', () => {
  it('stores two files with the size, type and SHA-256 of their bytes', async () => {
    const response = await upload(
      [
        reason,
        // The client's declared types are wrong on purpose: the server goes by the bytes.
        { name: 'evidence', fileName: 'discharge.pdf', type: 'application/octet-stream', content: PDF },
        { name: 'evidence', fileName: 'x-ray.png', type: 'image/jpeg', content: PNG },
      ],
      { key: 'ev-1' },
    );
    expect(response.statusCode, response.body).toBe(201);
    const answer = response.json() as { reasonId: string; replayed: boolean; evidence: unknown[] };
    expect(answer.replayed).toBe(false);
    const expected = [
      { fileName: 'discharge.pdf', mediaType: 'application/pdf', sizeBytes: PDF.length, sha256: sha256(PDF) },
      { fileName: 'x-ray.png', mediaType: 'image/png', sizeBytes: PNG.length, sha256: sha256(PNG) },
    ];
    expect(answer.evidence).toEqual(expected);
    const [stored] = await listOverdueReasons(h.db, { borrowerId: 'B1', limit: 1 });
    expect(stored).toMatchObject({ reasonId: answer.reasonId, loanId: 'L1', category: 'illness_or_accident' });
    expect(stored?.evidence).toMatchObject(expected);
    const pdf = await getEvidenceContent(h.db, { borrowerId: 'B1', reasonId: answer.reasonId, evidenceNo: 1 });
    expect(Buffer.from(pdf!.content).equals(PDF)).toBe(true);
    expect(sha256(Buffer.from(pdf!.content))).toBe(sha256(PDF));

    const again = await upload(
      [
        reason,
        { name: 'evidence', fileName: 'discharge.pdf', type: 'application/pdf', content: PDF },
        { name: 'evidence', fileName: 'x-ray.png', type: 'image/png', content: PNG },
      ],
      { key: 'ev-1' },
    );
    expect(again.statusCode).toBe(201);
    expect(again.json()).toMatchObject({ reasonId: answer.reasonId, replayed: true });
  });

  it('refuses an executable renamed .png, naming the field and the file, and stores nothing', async () => {
    const before = await reasonsStored();
    const response = await upload(
      [
        reason,
        { name: 'evidence', fileName: 'letter.pdf', type: 'application/pdf', content: PDF },
        { name: 'evidence', fileName: 'photo.png', type: 'image/png', content: EXE },
      ],
      { key: 'ev-2' },
    );
    expect(response.statusCode).toBe(400);
    const problem = response.json() as { field: string; detail: string };
    expect(problem.field).toBe('evidence[1]');
    expect(problem.detail).toContain('photo.png');
    expect(problem.detail).toContain('not a PDF, JPEG, PNG or HEIC');
    expect(await reasonsStored()).toBe(before);
  });

  it('refuses a name that disagrees with the content', async () => {
    const response = await upload(
      [reason, { name: 'evidence', fileName: 'scan.png', type: 'image/png', content: JPEG }],
      { key: 'ev-3' },
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'evidence[0]' });
    expect((response.json() as { detail: string }).detail).toContain('.jpg or .jpeg');
  });

  it('refuses more than 10 files with 413, naming the first one too many, and stores nothing', async () => {
    const before = await reasonsStored();
    const files = Array.from({ length: 11 }, (_, index) => ({
      name: 'evidence',
      fileName: `page-${index + 1}.png`,
      type: 'image/png',
      content: PNG,
    }));
    const response = await upload([reason, ...files], { key: 'ev-4' });
    expect(response.statusCode).toBe(413);
    const problem = response.json() as { field: string; detail: string };
    expect(problem.field).toBe('evidence');
    expect(problem.detail).toContain('page-11.png');
    expect(await reasonsStored()).toBe(before);
  });

  it('refuses a file over 10 MB with 413, naming it', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const response = await upload(
      [reason, { name: 'evidence', fileName: 'huge.pdf', type: 'application/pdf', content: big }],
      { key: 'ev-5' },
    );
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ field: 'evidence[0]' });
    expect((response.json() as { detail: string }).detail).toContain('huge.pdf');
  });

  it('names the reason field when it is missing or wrong', async () => {
    const missing = await upload([{ name: 'evidence', fileName: 'a.png', type: 'image/png', content: PNG }], {
      key: 'ev-6',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ field: 'reason' });
    const wrong = await upload([{ name: 'reason', value: JSON.stringify({ category: 'bored' }) }], { key: 'ev-7' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ field: 'reason.category' });
    const notJson = await upload([{ name: 'reason', value: '{category' }], { key: 'ev-8' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toMatchObject({ field: 'reason' });
  });

  it("gives a borrower 404 for another borrower's loan, and stores nothing", async () => {
    const before = (await listOverdueReasons(h.db, { borrowerId: 'B2' })).length;
    const response = await upload(
      [reason, { name: 'evidence', fileName: 'discharge.pdf', type: 'application/pdf', content: PDF }],
      { key: 'ev-9', loanId: 'L3' },
    );
    expect(response.statusCode).toBe(404);
    expect((await listOverdueReasons(h.db, { borrowerId: 'B2' })).length).toBe(before);
  });

  it('still takes a plain JSON reason, and documents both body types', async () => {
    const response = await h.call({
      method: 'POST',
      url: '/api/v1/loans/L1/overdue-reasons',
      token: h.borrowerTokens.B1,
      headers: { 'idempotency-key': 'ev-10' },
      payload: { category: 'income_loss' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const document = h.api.app.swagger() as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
    };
    const content = document.paths['/api/v1/loans/{loanId}/overdue-reasons']?.post?.requestBody?.content ?? {};
    expect(Object.keys(content).sort()).toEqual(['application/json', 'multipart/form-data']);
  });
});

describe('sniffEvidenceMediaType', () => {
  it('tells the four evidence types by their magic numbers, and nothing else', () => {
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic')]);
    const heifMif1 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmif1\0\0\0\0mif1heic')]);
    const avif = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypavif\0\0\0\0mif1avif')]);
    expect(sniffEvidenceMediaType(PDF)).toBe('application/pdf');
    expect(sniffEvidenceMediaType(PNG)).toBe('image/png');
    expect(sniffEvidenceMediaType(JPEG)).toBe('image/jpeg');
    expect(sniffEvidenceMediaType(heic)).toBe('image/heic');
    expect(sniffEvidenceMediaType(heifMif1)).toBe('image/heic');
    expect(sniffEvidenceMediaType(avif)).toBeUndefined();
    expect(sniffEvidenceMediaType(EXE)).toBeUndefined();
    expect(sniffEvidenceMediaType(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffEvidenceMediaType(new Uint8Array())).toBeUndefined();
  });
});
