// The browser app's entry: the staff console under /console and the borrower portal under /portal, each
// loaded on demand (the portal on a phone never downloads the console's charts), inside the language
// provider that also sets antd's locale.
import { App as AntApp, Button, Card, Flex, Typography } from 'antd';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link, Route, Routes } from 'react-router-dom';
import { LanguageSwitch } from './components/common.tsx';
import { I18nProvider, useI18n } from './i18n.tsx';
// Chinese text renders on machines without a CJK font too (subsets load only for the characters used).
import '@fontsource/noto-sans-sc/400.css';
import './styles.css';

const ConsoleApp = lazy(() => import('./console/ConsoleApp.tsx'));
const PortalApp = lazy(() => import('./portal/PortalApp.tsx'));

function Landing() {
  const { t } = useI18n();
  return (
    <Flex vertical align="center" justify="center" gap={24} style={{ minHeight: '100vh', padding: 24 }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        Kuan 宽
      </Typography.Title>
      <Typography.Text type="secondary">{t('landing.tagline')}</Typography.Text>
      <Flex gap={16} wrap justify="center">
        <Card style={{ width: 260 }} title={t('landing.console')}>
          <Typography.Paragraph>{t('landing.consoleText')}</Typography.Paragraph>
          <Link to="/console">
            <Button type="primary" data-testid="open-console">
              {t('landing.open')}
            </Button>
          </Link>
        </Card>
        <Card style={{ width: 260 }} title={t('landing.portal')}>
          <Typography.Paragraph>{t('landing.portalText')}</Typography.Paragraph>
          <Link to="/portal">
            <Button type="primary" data-testid="open-portal">
              {t('landing.open')}
            </Button>
          </Link>
        </Card>
      </Flex>
      <LanguageSwitch />
    </Flex>
  );
}

function Fallback() {
  return <div style={{ padding: 48, textAlign: 'center' }}>…</div>;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <I18nProvider>
        <AntApp>
          <BrowserRouter>
            <Suspense fallback={<Fallback />}>
              <Routes>
                <Route path="/console/*" element={<ConsoleApp />} />
                <Route path="/portal/*" element={<PortalApp />} />
                <Route path="*" element={<Landing />} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </AntApp>
      </I18nProvider>
    </StrictMode>,
  );
}
