// Renders a letter (a reminder, a notice, later a lawyer's letter) as an A4 PDF with pdfkit: sender block,
// date, recipient address, subject, body, the verification code line and a footer with page numbers on
// every page. Noto Sans SC is embedded (subset), so Chinese and Latin text print the same on any machine
// and stay extractable as text.
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

export interface Letter {
  locale: string;
  sender: { name: string; address: string };
  /** The postal address, lines separated by newlines; the addressee's name may be its first line. */
  recipientAddress: string;
  /** The date line as printed, e.g. "2026年3月14日". */
  dateText: string;
  subject: string;
  /** Paragraphs separated by blank lines. */
  body: string;
  verificationCode?: string;
  /** Default: a notice, in the letter's locale, on how to check the letter is genuine. */
  footer?: string;
  /** Fixes the PDF's creation date (reproducible bytes); default: now. */
  createdAtMs?: number;
}

const fontPath = createRequire(import.meta.url).resolve(
  '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff',
);
const fontName = 'NotoSansSC';
/** Body text longer than this is refused rather than rendered into hundreds of pages. */
const bodyCharsMax = 20_000;

const words: Record<
  string,
  { code: string; footer: (sender: string) => string; page: (n: number, of: number) => string }
> = {
  'zh-CN': {
    code: '核验码：',
    footer: (sender) =>
      `本函由${sender}发出。请在借款人门户“我的消息”中用核验码核对本函真伪；我们不会要求您向任何个人账户转账。`,
    page: (n, of) => `第 ${n} 页，共 ${of} 页`,
  },
  en: {
    code: 'Verification code: ',
    footer: (sender) =>
      `Sent by ${sender}. Check that this letter is genuine under Messages in the borrower portal, using the verification code. We never ask you to pay into a personal account.`,
    page: (n, of) => `Page ${n} of ${of}`,
  },
};

export function renderLetterPdf(letter: Letter): Promise<Uint8Array> {
  if (letter.body.length > bodyCharsMax) {
    return Promise.reject(new RangeError(`letter body longer than ${bodyCharsMax} characters`));
  }
  const labels = words[letter.locale] ?? words.en!;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 64, bottom: 80, left: 64, right: 64 },
    bufferPages: true,
    lang: letter.locale,
    info: {
      Title: letter.subject,
      Author: letter.sender.name,
      ...(letter.createdAtMs === undefined ? {} : { CreationDate: new Date(letter.createdAtMs) }),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  doc.registerFont(fontName, fontPath);
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;

  doc.font(fontName).fontSize(13).text(letter.sender.name);
  doc.fontSize(9).fillColor('#444444').text(letter.sender.address, { lineGap: 1 });
  doc.moveDown(0.5).fontSize(10).fillColor('#000000').text(letter.dateText, { align: 'right', width });
  doc.moveDown(1.5).fontSize(11).text(letter.recipientAddress, { lineGap: 2 });
  doc.moveDown(2).fontSize(15).text(letter.subject, { align: 'center', width });
  doc.moveDown(1).fontSize(11);
  for (const paragraph of letter.body.split(/\r?\n\s*\r?\n/)) {
    if (paragraph.trim().length === 0) continue;
    doc.text(paragraph.trim(), { width, lineGap: 4, paragraphGap: 8, align: 'left' });
  }
  if (letter.verificationCode) {
    doc.moveDown(1).fontSize(12).text(`${labels.code}${letter.verificationCode}`);
  }

  const footer = letter.footer ?? labels.footer(letter.sender.name);
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    // Writing inside the bottom margin would make pdfkit start a new page; lift the margin while we do.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - bottom + 16;
    doc.fontSize(8).fillColor('#555555').text(footer, doc.page.margins.left, y, { width, lineGap: 1 });
    doc.text(labels.page(index - range.start + 1, range.count), doc.page.margins.left, doc.y + 2, {
      width,
      align: 'right',
    });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
