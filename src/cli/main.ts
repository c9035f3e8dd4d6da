export async function main(argv: string[]): Promise<number> {
  process.stdout.write(`kuan ${argv.join(' ')}\n`);
  return 0;
}
