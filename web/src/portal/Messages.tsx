// Every message Kuan sent the borrower, each with its verification code, and a box to check a code from
// a message they received: a genuine message's code is listed here; a code Kuan never sent them means
// the message did not come from their lender. A genuine code sent to someone else shows only its channel
// and date (the API tells what a message was only to its recipient); a code no code of ours can be
// (0, 1, I, L, O) is "not from us"; every answer is in the borrower's language, never a server's English.
import { Alert, Button, Card, Empty, Flex, Input, List, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/http.ts';
import * as api from '../api/portal.ts';
import type { Message, VerifyAnswer } from '../api/types.ts';
import { Loadable, useLoad } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useBorrowerId } from './session.tsx';

// Code-shaped input; the API answers "not genuine" for letters and digits no code uses (0/O, 1/I/L).
const CODE_PATTERN = /^[A-Z0-9]{6}$/;

type Verdict = 'yours' | 'not_yours' | 'fake';

function VerifyBox({ ownCodes }: { ownCodes: ReadonlySet<string> }) {
  const { t, tx } = useI18n();
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<VerifyAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const normalised = code.replace(/[\s-]+/g, '').toUpperCase();

  const check = async () => {
    setBusy(true);
    setError(null);
    setAnswer(null);
    try {
      setAnswer(await api.verifyCode(normalised));
    } catch (reason) {
      // A code the server cannot read as one of ours is not from us; other failures get a translated line.
      if (reason instanceof ApiError && reason.status === 400 && reason.field === 'code') {
        setAnswer({ code: normalised, genuine: false });
      } else if (reason instanceof ApiError && reason.status === 429) {
        setError(t('portal.verifyTooMany'));
      } else {
        setError(t('portal.verifyFailed'));
      }
    } finally {
      setBusy(false);
    }
  };

  const verdict: Verdict | null =
    answer === null
      ? null
      : !answer.genuine
        ? 'fake'
        : answer.yours === true || ownCodes.has(answer.code)
          ? 'yours'
          : 'not_yours';

  return (
    <Card size="small" title={t('portal.verifyTitle')} data-testid="verify-box">
      <Typography.Paragraph type="secondary">{t('portal.verifyText')}</Typography.Paragraph>
      <Flex gap={8}>
        <Input
          size="large"
          value={code}
          maxLength={8}
          placeholder="K7Q2M9"
          className="kuan-code"
          autoCapitalize="characters"
          onChange={(event) => {
            setCode(event.target.value);
            setAnswer(null);
          }}
          onPressEnter={() => CODE_PATTERN.test(normalised) && void check()}
          data-testid="verify-input"
        />
        <Button
          size="large"
          type="primary"
          onClick={() => void check()}
          loading={busy}
          disabled={!CODE_PATTERN.test(normalised)}
          data-testid="verify-submit"
        >
          {t('portal.verify')}
        </Button>
      </Flex>
      {answer && verdict && (
        <Alert
          style={{ marginTop: 12 }}
          showIcon
          type={verdict === 'yours' ? 'success' : verdict === 'not_yours' ? 'warning' : 'error'}
          data-testid={`verify-${verdict}`}
          title={
            verdict === 'yours'
              ? t('portal.genuine')
              : verdict === 'not_yours'
                ? t('portal.genuineNotYours')
                : t('portal.notGenuine')
          }
          description={
            verdict === 'fake'
              ? t('portal.notGenuineDetail')
              : verdict === 'not_yours'
                ? t('portal.genuineNotYoursDetail', {
                    channel: tx(`channel.${answer.channel ?? ''}`, answer.channel ?? ''),
                    at: answer.sentOn ?? '',
                  })
                : t('portal.genuineDetail', {
                    channel: tx(`channel.${answer.channel ?? ''}`, answer.channel ?? ''),
                    at: answer.sentOn ?? '',
                    what: answer.template ? tx(`template.${answer.template}`, answer.template) : '',
                  })
          }
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="verify-error" />}
    </Card>
  );
}

function MessageItem({ message }: { message: Message }) {
  const { t, tx, lang } = useI18n();
  return (
    <List.Item key={message.messageId}>
      <div style={{ width: '100%' }} data-testid="portal-message">
        <Flex justify="space-between" align="center" wrap gap={4}>
          <span>
            <Tag>{tx(`channel.${message.channel}`, message.channel)}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatInstant(message.sentAt, lang)}
            </Typography.Text>
          </span>
          <span>
            {t('contact.code')}{' '}
            <span className="kuan-code" data-testid="message-code">
              {message.code}
            </span>
          </span>
        </Flex>
        <Typography.Paragraph style={{ margin: '4px 0 0' }}>
          {tx(`template.${message.template}`, message.template)}
        </Typography.Paragraph>
      </div>
    </List.Item>
  );
}

export function PortalMessages() {
  const { t } = useI18n();
  const borrowerId = useBorrowerId();
  const state = useLoad((signal) => api.messages(borrowerId, signal), [borrowerId]);
  const ownCodes = new Set((state.data?.items ?? []).map((message) => message.code));
  return (
    <>
      <VerifyBox ownCodes={ownCodes} />
      <Card size="small" title={t('portal.messages')}>
        <Loadable state={state}>
          {(page) =>
            page.items.length ? (
              <List
                dataSource={page.items}
                data-testid="portal-messages"
                renderItem={(message) => <MessageItem message={message} />}
              />
            ) : (
              <Empty description={t('portal.noMessages')} />
            )
          }
        </Loadable>
      </Card>
    </>
  );
}
