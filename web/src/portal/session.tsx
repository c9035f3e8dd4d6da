// The signed-in borrower, for every portal page: their id from the session (GET /auth/session) and
// their name from their own record; cleared on sign-out or when a request answers 401.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { onUnauthorized } from '../api/http.ts';
import * as api from '../api/portal.ts';

export interface SignedInBorrower {
  borrowerId: string;
  name?: string;
  locale?: string;
}

interface BorrowerSessionValue {
  borrower: SignedInBorrower | null;
  checking: boolean;
  signIn: (phone: string, code: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const BorrowerSessionContext = createContext<BorrowerSessionValue | null>(null);

async function load(borrowerId: string, signal?: AbortSignal): Promise<SignedInBorrower> {
  try {
    const record = await api.profile(borrowerId, signal);
    return { borrowerId, name: record.name, locale: record.locale };
  } catch {
    return { borrowerId };
  }
}

export function BorrowerSessionProvider({ children }: { children: ReactNode }) {
  const [borrower, setBorrower] = useState<SignedInBorrower | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    api
      .currentBorrowerId(controller.signal)
      .then((borrowerId) => (borrowerId ? load(borrowerId, controller.signal) : null))
      .then(
        (signedIn) => {
          if (controller.signal.aborted) return;
          setBorrower(signedIn);
          setChecking(false);
        },
        () => {
          if (!controller.signal.aborted) setChecking(false);
        },
      );
    const unsubscribe = onUnauthorized((audience) => {
      if (audience === 'borrower') setBorrower(null);
    });
    return () => {
      controller.abort();
      unsubscribe();
    };
  }, []);

  const signIn = useCallback(async (phone: string, code: string) => {
    const principal = await api.signIn(phone, code);
    if (principal.borrowerId) setBorrower(await load(principal.borrowerId));
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      setBorrower(null);
    }
  }, []);

  return (
    <BorrowerSessionContext.Provider value={{ borrower, checking, signIn, signOut }}>
      {children}
    </BorrowerSessionContext.Provider>
  );
}

export function useBorrowerSession(): BorrowerSessionValue {
  const value = useContext(BorrowerSessionContext);
  if (!value) throw new Error('useBorrowerSession outside BorrowerSessionProvider');
  return value;
}

/** The signed-in borrower's id (pages under the portal shell only render when there is one). */
export function useBorrowerId(): string {
  const { borrower } = useBorrowerSession();
  if (!borrower) throw new Error('no borrower session');
  return borrower.borrowerId;
}
