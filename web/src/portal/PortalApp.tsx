// The borrower portal, mobile first: one column, a header with the language switch, and a bottom tab
// bar (loans, messages, help, complaints, settings) within thumb reach.
import { Button, Flex, Spin } from 'antd';
import { NavLink, Navigate, Route, Routes } from 'react-router-dom';
import { LanguageSwitch } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { PortalComplaints } from './Complaints.tsx';
import { PortalHelp } from './Help.tsx';
import { PortalHome } from './Home.tsx';
import { PortalLoanDetail } from './LoanDetail.tsx';
import { PortalMessages } from './Messages.tsx';
import { BorrowerSessionProvider, useBorrowerSession } from './session.tsx';
import { PortalSettings } from './Settings.tsx';
import { PortalSignIn } from './SignIn.tsx';

const tabs: { path: string; label: MessageKey; testId: string; end?: boolean }[] = [
  { path: '/portal', label: 'portal.tab.loans', testId: 'ptab-loans', end: true },
  { path: '/portal/messages', label: 'portal.tab.messages', testId: 'ptab-messages' },
  { path: '/portal/help', label: 'portal.tab.help', testId: 'ptab-help' },
  { path: '/portal/complaints', label: 'portal.tab.complaints', testId: 'ptab-complaints' },
  { path: '/portal/settings', label: 'portal.tab.settings', testId: 'ptab-settings' },
];

function Shell() {
  const { t } = useI18n();
  const { borrower, signOut } = useBorrowerSession();
  return (
    <div className="portal-shell">
      <header className="portal-header">
        <strong data-testid="portal-greeting">
          {t('portal.hello', { name: borrower?.name ?? borrower?.borrowerId ?? '' })}
        </strong>
        <Flex gap={8} align="center">
          <LanguageSwitch />
          <Button size="small" ghost onClick={() => void signOut()} data-testid="portal-sign-out">
            {t('common.signOut')}
          </Button>
        </Flex>
      </header>
      <main className="portal-content">
        <Routes>
          <Route index element={<PortalHome />} />
          <Route path="loans/:loanId" element={<PortalLoanDetail />} />
          <Route path="messages" element={<PortalMessages />} />
          <Route path="help" element={<PortalHelp />} />
          <Route path="complaints" element={<PortalComplaints />} />
          <Route path="settings" element={<PortalSettings />} />
          <Route path="*" element={<Navigate to="/portal" replace />} />
        </Routes>
      </main>
      <nav className="portal-tabbar">
        {tabs.map((tab) => (
          <NavLink
            key={tab.path}
            to={tab.path}
            end={tab.end}
            data-testid={tab.testId}
            className={({ isActive }) => (isActive ? 'active' : '')}
          >
            {t(tab.label)}
          </NavLink>
        ))}
      </nav>
    </div>
  );
}

function Gate() {
  const { borrower, checking } = useBorrowerSession();
  if (checking) {
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Spin />
      </Flex>
    );
  }
  return borrower ? <Shell /> : <PortalSignIn />;
}

export default function PortalApp() {
  return (
    <BorrowerSessionProvider>
      <Gate />
    </BorrowerSessionProvider>
  );
}
