// Borrower sign-in with a one-time code: the phone number first (the API sends a six-digit code by SMS,
// rate-limited and expiring), then the code.
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import * as api from '../api/portal.ts';
import { errorText, LanguageSwitch } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';
import { useBorrowerSession } from './session.tsx';

export function PortalSignIn() {
  const { t } = useI18n();
  const { signIn } = useBorrowerSession();
  const [phone, setPhone] = useState('');
  const [sent, setSent] = useState<{ expiresInSeconds: number } | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const sendCode = async () => {
    setBusy(true);
    setError(null);
    try {
      setSent(await api.requestCode(phone.trim()));
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await signIn(phone.trim(), code.trim());
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="portal-shell">
      <div className="portal-header">
        <strong>Kuan 宽</strong>
        <LanguageSwitch />
      </div>
      <div className="portal-content">
        <Card>
          <Typography.Title level={4}>{t('portal.signInTitle')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('portal.signInText')}</Typography.Paragraph>
          <Form layout="vertical" onFinish={() => void (sent ? submit() : sendCode())}>
            <Form.Item label={t('portal.phone')} required>
              <Input
                size="large"
                inputMode="tel"
                autoComplete="tel"
                placeholder="+8613800000001"
                value={phone}
                onChange={(event) => setPhone(event.target.value)}
                disabled={sent !== null}
                data-testid="portal-phone"
              />
            </Form.Item>
            {sent && (
              <>
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 12 }}
                  title={t('portal.codeSent', { to: phone, minutes: Math.round(sent.expiresInSeconds / 60) })}
                />
                <Form.Item label={t('portal.code')} required>
                  <Input
                    size="large"
                    inputMode="numeric"
                    autoComplete="one-time-code"
                    maxLength={6}
                    value={code}
                    onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
                    data-testid="portal-code"
                  />
                </Form.Item>
              </>
            )}
            {error && (
              <Alert
                type="error"
                showIcon
                title={error}
                style={{ marginBottom: 12 }}
                data-testid="portal-sign-in-error"
              />
            )}
            {sent ? (
              <>
                <Button
                  type="primary"
                  size="large"
                  block
                  htmlType="submit"
                  loading={busy}
                  disabled={code.length !== 6}
                  data-testid="portal-sign-in"
                >
                  {t('common.signIn')}
                </Button>
                <Button
                  type="link"
                  block
                  onClick={() => {
                    setSent(null);
                    setCode('');
                  }}
                >
                  {t('portal.changePhone')}
                </Button>
              </>
            ) : (
              <Button
                type="primary"
                size="large"
                block
                htmlType="submit"
                loading={busy}
                disabled={!phone.trim()}
                data-testid="portal-send-code"
              >
                {t('portal.sendCode')}
              </Button>
            )}
          </Form>
        </Card>
      </div>
    </div>
  );
}
