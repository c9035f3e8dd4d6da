// Staff sign-in: username and password; the API answers with a session (cookie and/or token).
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { errorText, LanguageSwitch } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';
import { useStaffSession } from './session.tsx';

export function SignInPage() {
  const { t } = useI18n();
  const { signIn } = useStaffSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await signIn(values.username.trim(), values.password);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh', padding: 16 }}>
      <Card style={{ width: 360 }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('console.signInTitle')}
          </Typography.Title>
          <LanguageSwitch />
        </Flex>
        <Form layout="vertical" onFinish={(values: { username: string; password: string }) => void submit(values)}>
          <Form.Item
            name="username"
            label={t('console.username')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input autoComplete="username" data-testid="staff-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('console.password')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input.Password autoComplete="current-password" data-testid="staff-password" />
          </Form.Item>
          {error && (
            <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="sign-in-error" />
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="staff-sign-in">
            {t('common.signIn')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
