// The signed-in staff member, for every console page: read once from the API (the session cookie or
// token), cleared on sign-out or when any request answers 401.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { onUnauthorized } from '../api/http.ts';
import * as api from '../api/staff.ts';
import type { Permission, Principal, Role } from '../api/types.ts';

export interface StaffMember {
  username: string;
  role: Role;
  permissions: Permission[];
}

function memberOf(principal: Principal | null): StaffMember | null {
  if (!principal || principal.kind !== 'staff' || !principal.username) return null;
  return { username: principal.username, role: principal.role ?? 'viewer', permissions: principal.permissions };
}

interface StaffSessionValue {
  staff: StaffMember | null;
  checking: boolean;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const StaffSessionContext = createContext<StaffSessionValue | null>(null);

export function StaffSessionProvider({ children }: { children: ReactNode }) {
  const [staff, setStaff] = useState<StaffMember | null>(null);
  const [checking, setChecking] = useState(true);

  useEffect(() => {
    const controller = new AbortController();
    api.currentStaff(controller.signal).then(
      (principal) => {
        setStaff(memberOf(principal));
        setChecking(false);
      },
      () => {
        if (!controller.signal.aborted) setChecking(false);
      },
    );
    const unsubscribe = onUnauthorized((audience) => {
      if (audience === 'staff') setStaff(null);
    });
    return () => {
      controller.abort();
      unsubscribe();
    };
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    setStaff(memberOf(await api.signIn(username, password)));
  }, []);
  const signOut = useCallback(async () => {
    try {
      await api.signOut();
    } finally {
      setStaff(null);
    }
  }, []);

  return (
    <StaffSessionContext.Provider value={{ staff, checking, signIn, signOut }}>{children}</StaffSessionContext.Provider>
  );
}

export function useStaffSession(): StaffSessionValue {
  const value = useContext(StaffSessionContext);
  if (!value) throw new Error('useStaffSession outside StaffSessionProvider');
  return value;
}

/** The signed-in member (pages under the console layout only render when there is one). */
export function useStaff(): StaffMember {
  const { staff } = useStaffSession();
  if (!staff) throw new Error('no staff session');
  return staff;
}
