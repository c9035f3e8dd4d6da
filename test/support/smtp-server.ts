// A real SMTP server on 127.0.0.1 (smtp-server) for tests: every accepted mail is parsed with mailparser
// and kept in `mails`; `failNext` makes it answer the next N mails with a 4xx or 5xx reply, at RCPT TO
// or after DATA, as a real relay would. Optionally requires AUTH PLAIN/LOGIN with one user.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
  /** The raw message as received. */
  raw: Buffer;
  /** A header's value as text (lower-case name), or undefined. */
  header(name: string): string | undefined;
}

export interface SmtpFailure {
  /** e.g. 451 (try later) or 550 (no such mailbox). */
  responseCode: number;
  message?: string;
  /** Where to refuse: the recipient (RCPT TO) or the message (end of DATA). Default: data. */
  at?: 'rcpt' | 'data';
}

export interface TestSmtpServer {
  host: string;
  port: number;
  mails: ReceivedMail[];
  /** Mails accepted so far (also those not kept under `countOnly`). */
  readonly received: number;
  /** The next `count` mails are refused with `failure`. */
  failNext(count: number, failure: SmtpFailure): void;
  close(): Promise<void>;
}

export async function startSmtpServer(
  options: {
    auth?: { user: string; pass: string };
    /** Count mails without parsing or keeping them (benchmarks): only `received` grows. */
    countOnly?: boolean;
  } = {},
): Promise<TestSmtpServer> {
  let received = 0;
  const mails: ReceivedMail[] = [];
  const failures: SmtpFailure[] = [];
  const refusal = (at: 'rcpt' | 'data'): Error | null => {
    const next = failures[0];
    if (!next || (next.at ?? 'data') !== at) return null;
    failures.shift();
    const error = new Error(next.message ?? `scripted failure ${next.responseCode}`) as Error & {
      responseCode: number;
    };
    error.responseCode = next.responseCode;
    return error;
  };
  const server = new SMTPServer({
    logger: false,
    secure: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    closeTimeout: 500,
    size: 1_000_000,
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
      if (ok) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('authentication failed'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, callback) {
      callback(refusal('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const failure = refusal('data');
        if (failure) return callback(failure);
        received += 1;
        if (options.countOnly) return callback(null);
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              parsed,
              raw,
              header: (name) => {
                const value = parsed.headers.get(name.toLowerCase());
                return typeof value === 'string' ? value : value === undefined ? undefined : JSON.stringify(value);
              },
            });
            callback(null);
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    mails,
    get received() {
      return received;
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
