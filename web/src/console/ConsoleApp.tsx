// The staff console: sign-in, then a side menu of the pages the member's role may use (roles.ts) and the
// page routes under /console.
import { Button, Flex, Layout, Menu, Spin, Tag, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { LanguageSwitch } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { ApprovalsPage } from './Approvals.tsx';
import { AuditPage } from './Audit.tsx';
import { ComplaintsPage } from './Complaints.tsx';
import { DashboardPage } from './Dashboard.tsx';
import { DayPage } from './Day.tsx';
import { LoanPage } from './LoanPage.tsx';
import { LoansPage } from './Loans.tsx';
import { canSee, consolePages, type ConsolePage } from './roles.ts';
import { StaffSessionProvider, useStaffSession } from './session.tsx';
import { SignInPage } from './SignIn.tsx';
import { StrategiesPage } from './Strategies.tsx';
import { WorkbenchPage } from './Workbench.tsx';

const pagePaths: Record<ConsolePage, string> = {
  dashboard: '/console',
  loans: '/console/loans',
  workbench: '/console/workbench',
  strategies: '/console/strategies',
  approvals: '/console/approvals',
  complaints: '/console/complaints',
  day: '/console/day',
  audit: '/console/audit',
};

const pageTitles: Record<ConsolePage, MessageKey> = {
  dashboard: 'nav.dashboard',
  loans: 'nav.loans',
  workbench: 'nav.workbench',
  strategies: 'nav.strategies',
  approvals: 'nav.approvals',
  complaints: 'nav.complaints',
  day: 'nav.day',
  audit: 'nav.audit',
};

function currentPage(pathname: string): ConsolePage {
  const rest = pathname.replace(/^\/console\/?/, '').split('/')[0] ?? '';
  return (consolePages as readonly string[]).includes(rest) ? (rest as ConsolePage) : 'dashboard';
}

function Guard({ page, children }: { page: ConsolePage; children: React.ReactNode }) {
  const { staff } = useStaffSession();
  if (!staff || !canSee(staff, page)) return <Navigate to="/console" replace />;
  return <>{children}</>;
}

function Shell() {
  const { t } = useI18n();
  const { staff, signOut } = useStaffSession();
  const location = useLocation();
  const navigate = useNavigate();
  if (!staff) return null;
  const items = consolePages
    .filter((page) => canSee(staff, page))
    .map((page) => ({
      key: page,
      label: <span data-testid={`nav-${page}`}>{t(pageTitles[page])}</span>,
    }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme="light" width={200}>
        <div style={{ padding: '16px 20px', fontWeight: 700, fontSize: 18 }}>Kuan 宽</div>
        <Menu
          mode="inline"
          selectedKeys={[currentPage(location.pathname)]}
          items={items}
          onClick={({ key }) => navigate(pagePaths[key as ConsolePage])}
          data-testid="console-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px' }}>
          <Flex justify="space-between" align="center" style={{ height: '100%' }} gap={12}>
            <Typography.Text strong>{t('console.title')}</Typography.Text>
            <Flex align="center" gap={12}>
              <LanguageSwitch />
              <span data-testid="staff-identity">
                {staff.username} <Tag color="green">{t(`role.${staff.role}` as MessageKey)}</Tag>
              </span>
              <Button size="small" onClick={() => void signOut()} data-testid="sign-out">
                {t('common.signOut')}
              </Button>
            </Flex>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 16 }}>
          <Routes>
            <Route index element={<DashboardPage />} />
            <Route
              path="loans"
              element={
                <Guard page="loans">
                  <LoansPage />
                </Guard>
              }
            />
            <Route
              path="loans/:loanId"
              element={
                <Guard page="loans">
                  <LoanPage />
                </Guard>
              }
            />
            <Route
              path="workbench"
              element={
                <Guard page="workbench">
                  <WorkbenchPage />
                </Guard>
              }
            />
            <Route
              path="strategies"
              element={
                <Guard page="strategies">
                  <StrategiesPage />
                </Guard>
              }
            />
            <Route
              path="approvals"
              element={
                <Guard page="approvals">
                  <ApprovalsPage />
                </Guard>
              }
            />
            <Route
              path="complaints"
              element={
                <Guard page="complaints">
                  <ComplaintsPage />
                </Guard>
              }
            />
            <Route
              path="day"
              element={
                <Guard page="day">
                  <DayPage />
                </Guard>
              }
            />
            <Route
              path="audit"
              element={
                <Guard page="audit">
                  <AuditPage />
                </Guard>
              }
            />
            <Route path="*" element={<Navigate to="/console" replace />} />
          </Routes>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Gate() {
  const { staff, checking } = useStaffSession();
  if (checking) {
    return (
      <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
        <Spin />
      </Flex>
    );
  }
  return staff ? <Shell /> : <SignInPage />;
}

export default function ConsoleApp() {
  return (
    <StaffSessionProvider>
      <Gate />
    </StaffSessionProvider>
  );
}
