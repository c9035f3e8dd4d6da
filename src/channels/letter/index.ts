// Letters: PDF rendering (also for lawyer's letters) and the letter channel.
export { renderLetterPdf, type Letter } from './pdf.ts';
export { createLetterChannel, letterDate, letterFileName, type LetterChannelOptions } from './channel.ts';
