// A PDF's text as a reader's copy-paste or search gets it (pdf.js), for tests that check what a letter says.

/** Every page's text, items joined, as pdf.js extracts it. */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: string[]; pageCount: number }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({ data: bytes.slice(), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''));
  }
  await document.destroy();
  return { pages, pageCount: pages.length };
}
