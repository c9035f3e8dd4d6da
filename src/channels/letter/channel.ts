// The letter channel: renders the message as a PDF letter (renderLetterPdf), hands the bytes back in the
// outcome and, when an output folder is set, writes `<messageId>.pdf` there for the print shop. A resend
// overwrites the same file (one message, one letter); the file is written whole or not at all.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  retryable,
  rejected,
  sendCodes,
  type ChannelAdapter,
  type OutboundMessage,
  type SendOutcome,
} from '../channel.ts';
import { renderLetterPdf } from './pdf.ts';

export interface LetterChannelOptions {
  outputDir?: string;
  sender: { name: string; address: string };
  /** Zone of the date printed on the letter. Default Asia/Shanghai. */
  timeZone?: string;
  now?: () => number;
}

const subjectFallback: Record<string, string> = { 'zh-CN': '通知', en: 'Notice' };

export function createLetterChannel(options: LetterChannelOptions): ChannelAdapter {
  const now = options.now ?? Date.now;
  const timeZone = options.timeZone ?? 'Asia/Shanghai';
  return {
    channel: 'letter',
    name: 'pdf-letter',
    async send(message: OutboundMessage): Promise<SendOutcome> {
      if (message.to.trim().length === 0) return rejected(sendCodes.invalidAddress, 'no postal address');
      const atMs = now();
      let document: Uint8Array;
      try {
        document = await renderLetterPdf({
          locale: message.locale,
          sender: options.sender,
          recipientAddress: message.to.trim(),
          dateText: letterDate(atMs, message.locale, timeZone),
          subject: message.subject ?? subjectFallback[message.locale] ?? subjectFallback.en!,
          body: message.body,
          verificationCode: message.verificationCode,
          createdAtMs: atMs,
        });
      } catch (error) {
        return rejected(sendCodes.invalidContent, error instanceof Error ? error.message : String(error));
      }
      const fileName = letterFileName(message.messageId);
      if (options.outputDir) {
        try {
          await mkdir(options.outputDir, { recursive: true });
          const path = join(options.outputDir, fileName);
          await writeFile(`${path}.partial`, document);
          await rename(`${path}.partial`, path);
        } catch (error) {
          return retryable(
            sendCodes.adapterError,
            `cannot write letter: ${error instanceof Error ? error.message : ''}`,
          );
        }
      }
      return { outcome: 'accepted', providerMessageId: fileName, document };
    },
  };
}

/**
 * `<messageId>.pdf`, with every character outside [A-Za-z0-9._-] percent-encoded (and a leading dot), so
 * any messageId gives one safe file name inside the folder on every operating system.
 */
export function letterFileName(messageId: string): string {
  const safe = [...Buffer.from(messageId, 'utf8')]
    .map((byte, index) => {
      const char = String.fromCharCode(byte);
      const keep = /[A-Za-z0-9_-]/.test(char) || (char === '.' && index > 0);
      return keep ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return `${safe}.pdf`;
}

/** "2026年3月14日" / "March 14, 2026" in the letter's zone. */
export function letterDate(atMs: number, locale: string, timeZone: string): string {
  const tag = locale === 'zh-CN' ? 'zh-CN' : 'en-US';
  return new Intl.DateTimeFormat(tag, { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(atMs);
}
