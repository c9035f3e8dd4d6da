// The payment provider a command is pointed at with `--payment-provider URL` (or KUAN_PAYMENT_PROVIDER_URL),
// with its API key from KUAN_PAYMENT_PROVIDER_KEY: the HTTP adapter (docs/payment-provider.md). Anything
// but an http(s) URL is an InputError naming the flag.
import { createHttpPaymentProvider, type PaymentProvider } from '../channels/index.ts';
import { InputError, quote } from '../errors/index.ts';

/** The provider URL a command uses: the flag, else the environment, else none. */
export function paymentProviderUrl(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const url = flag ?? env.KUAN_PAYMENT_PROVIDER_URL;
  return url === undefined || url === '' ? undefined : url;
}

export function httpPaymentProviderAt(
  url: string,
  apiKey: string | undefined,
  flag = '--payment-provider',
): PaymentProvider {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(flag, `must be an http(s) URL, got ${quote(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InputError(flag, `must be an http(s) URL, got ${quote(url)}`);
  }
  return createHttpPaymentProvider({ baseUrl: url, ...(apiKey ? { apiKey } : {}) });
}
