// E-mail channel: SMTP.
export { createSmtpChannel, mailMessageId, type SmtpChannelOptions } from './smtp.ts';
