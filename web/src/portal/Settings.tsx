// Contact preferences: which channels the borrower hears from (a switch per channel: off opts out, on
// opts back in), the preferred channel and the language of their messages, read and saved whole through
// GET/PUT /borrowers/:id/contact-preferences. The API applies them to the contact state at once, so the
// compliance gate honours them on every later send.
import { Alert, Button, Card, Flex, Select, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import * as api from '../api/portal.ts';
import type { Channel, Locale } from '../api/types.ts';
import { errorText, LanguageSwitch, Loadable, useLoad } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';
import { CHANNEL_LABELS, CHANNELS, isChannel, isLocale, LOCALE_NAMES, LOCALES } from '../vocabulary.ts';
import { useBorrowerId } from './session.tsx';

export function PortalSettings() {
  const { t } = useI18n();
  const borrowerId = useBorrowerId();
  const state = useLoad((signal) => api.preferences(borrowerId, signal), [borrowerId]);
  const [optOuts, setOptOuts] = useState<Channel[]>([]);
  const [preferred, setPreferred] = useState<Channel | null>(null);
  const [locale, setLocale] = useState<Locale | undefined>(undefined);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (state.data) {
      // The answer types stored preferences as plain strings; the form keeps those it can offer.
      setOptOuts(state.data.optOuts.filter(isChannel));
      const preferredChannel = state.data.preferredChannel;
      setPreferred(preferredChannel !== null && isChannel(preferredChannel) ? preferredChannel : null);
      setLocale(isLocale(state.data.locale) ? state.data.locale : undefined);
    }
  }, [state.data]);

  const toggle = (channel: Channel, on: boolean) => {
    setSaved(false);
    setOptOuts((current) => (on ? current.filter((c) => c !== channel) : [...current, channel]));
    // A channel the borrower stops cannot stay their preferred one.
    if (!on && preferred === channel) setPreferred(null);
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

  return (
    <>
      <Card size="small" title={t('portal.language')}>
        <LanguageSwitch />
      </Card>
      <Card size="small" title={t('portal.preferences')} data-testid="preferences">
        <Typography.Paragraph type="secondary">{t('portal.preferencesText')}</Typography.Paragraph>
        <Loadable state={state}>
          {(preferences) => (
            <>
              <Flex vertical gap={10}>
                {CHANNELS.map((channel) => {
                  const address = preferences.addresses?.[channel];
                  return (
                    <Flex key={channel} justify="space-between" align="center" gap={8}>
                      <span>
                        {t(CHANNEL_LABELS[channel])}
                        {address ? (
                          <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
                            {address}
                          </Typography.Text>
                        ) : null}
                      </span>
                      <Switch
                        checked={!optOuts.includes(channel)}
                        onChange={(on) => toggle(channel, on)}
                        data-testid={`optin-${channel}`}
                      />
                    </Flex>
                  );
                })}
              </Flex>
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
                      label: t(CHANNEL_LABELS[value]),
                    }))}
                    data-testid="preferred-channel"
                  />
                </Flex>
                <Flex justify="space-between" align="center">
                  <span>{t('portal.messageLanguage')}</span>
                  <Select
                    style={{ minWidth: 140 }}
                    value={locale}
                    onChange={(value: Locale) => setLocale(value)}
                    options={LOCALES.map((value) => ({ value, label: LOCALE_NAMES[value] }))}
                    data-testid="message-language"
                  />
                </Flex>
              </Flex>
            </>
          )}
        </Loadable>
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
        {state.data && (
          <Button type="primary" block onClick={() => void save()} loading={busy} data-testid="preferences-save">
            {t('common.save')}
          </Button>
        )}
      </Card>
    </>
  );
}
