// Contact preferences: which channels the borrower hears from. An opt-out is a contact event the gate
// honours on every later send (it exists today); reading the current choices, opting back in, the
// preferred channel and the messages' language need the preferences resource (wanted): without it the
// page offers the opt-outs alone.
import { Alert, Button, Card, Flex, Popconfirm, Select, Switch, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { isMissingRoute } from '../api/http.ts';
import * as api from '../api/portal.ts';
import { CHANNELS, type Channel } from '../api/types.ts';
import { ErrorNotice, errorText, LanguageSwitch, useLoad } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';
import { useBorrowerId } from './session.tsx';

export function PortalSettings() {
  const { t, tx } = useI18n();
  const borrowerId = useBorrowerId();
  const state = useLoad((signal) => api.preferences(borrowerId, signal), [borrowerId]);
  const full = state.data !== undefined;
  const [optOuts, setOptOuts] = useState<Channel[]>([]);
  const [preferred, setPreferred] = useState<Channel | null>(null);
  const [locale, setLocale] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (state.data) {
      setOptOuts(state.data.optOuts ?? []);
      setPreferred(state.data.preferredChannel ?? null);
      setLocale(state.data.locale);
    }
  }, [state.data]);

  const optOut = async (channel: Channel) => {
    setBusy(true);
    setError(null);
    try {
      await api.contactEvent(borrowerId, { type: 'opt_out', channel });
      setOptOuts((current) => (current.includes(channel) ? current : [...current, channel]));
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await api.savePreferences(borrowerId, { optOuts, preferredChannel: preferred, locale });
      setSaved(true);
      state.reload();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const loadFailed = state.error !== undefined && !isMissingRoute(state.error);

  return (
    <>
      <Card size="small" title={t('portal.language')}>
        <LanguageSwitch />
      </Card>
      <Card size="small" title={t('portal.preferences')} data-testid="preferences">
        <Typography.Paragraph type="secondary">{t('portal.preferencesText')}</Typography.Paragraph>
        {loadFailed && <ErrorNotice error={state.error} />}
        <Flex vertical gap={10}>
          {CHANNELS.map((channel) => {
            const stopped = optOuts.includes(channel);
            const address = state.data?.addresses?.[channel];
            return (
              <Flex key={channel} justify="space-between" align="center" gap={8}>
                <span>
                  {tx(`channel.${channel}`, channel)}
                  {address ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                      {address}
                    </Typography.Text>
                  ) : null}
                </span>
                {full ? (
                  <Switch
                    checked={!stopped}
                    onChange={(on) =>
                      setOptOuts((current) => (on ? current.filter((c) => c !== channel) : [...current, channel]))
                    }
                    data-testid={`optin-${channel}`}
                  />
                ) : stopped ? (
                  <Tag>{t('portal.stopped')}</Tag>
                ) : (
                  <Popconfirm
                    title={t('portal.stopConfirm', { channel: tx(`channel.${channel}`, channel) })}
                    onConfirm={() => void optOut(channel)}
                  >
                    <Button size="small" loading={busy} data-testid={`optout-${channel}`}>
                      {t('portal.stop')}
                    </Button>
                  </Popconfirm>
                )}
              </Flex>
            );
          })}
        </Flex>
        {full && (
          <Flex vertical gap={8} style={{ marginTop: 12 }}>
            <Flex justify="space-between" align="center">
              <span>{t('portal.preferredChannel')}</span>
              <Select
                allowClear
                style={{ minWidth: 140 }}
                value={preferred ?? undefined}
                onChange={(value?: Channel) => setPreferred(value ?? null)}
                options={CHANNELS.filter((c) => !optOuts.includes(c)).map((value) => ({
                  value,
                  label: tx(`channel.${value}`, value),
                }))}
              />
            </Flex>
            <Flex justify="space-between" align="center">
              <span>{t('portal.messageLanguage')}</span>
              <Select
                style={{ minWidth: 140 }}
                value={locale}
                onChange={(value: string) => setLocale(value)}
                options={[
                  { value: 'zh-CN', label: '中文' },
                  { value: 'en', label: 'English' },
                ]}
              />
            </Flex>
          </Flex>
        )}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }}>
          {t('portal.optOutNote')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {saved && (
          <Alert
            type="success"
            showIcon
            title={t('common.saved')}
            style={{ marginBottom: 12 }}
            data-testid="preferences-saved"
          />
        )}
        {full && (
          <Button type="primary" block onClick={() => void save()} loading={busy} data-testid="preferences-save">
            {t('common.save')}
          </Button>
        )}
      </Card>
    </>
  );
}
