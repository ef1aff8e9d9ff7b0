// The signed-in user, shared with every page through React context.
import { createContext, useContext } from 'react';
import type { UserView } from '../../src/contracts/index.js';

export interface Session {
  user: UserView;
  signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside of a signed-in page');
  return session;
}
