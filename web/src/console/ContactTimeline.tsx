// A borrower's contact timeline: every contact planned for them — sent, held back, deferred or failed —
// newest first, with the verification code it carried and the reasons of each decision, so a supervisor
// can answer "why did (or didn't) this go out?".
import { Button, Empty, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import * as api from '../api/staff.ts';
import type { ContactDecision, ContactItem } from '../api/types.ts';
import { ErrorNotice } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.tsx';

export const statusColor: Record<string, string> = {
  sent: 'green',
  suppressed: 'red',
  deferred: 'orange',
  planned: 'blue',
  sending: 'cyan',
  failed: 'volcano',
};

function Reasons({ reasons }: { reasons: string[] | undefined }) {
  if (!reasons?.length) return null;
  return (
    <Space size={[4, 4]} wrap>
      {reasons.map((reason, index) => (
        <Tag key={`${index}-${reason}`} className="kuan-mono" data-testid="contact-reason">
          {reason}
        </Tag>
      ))}
    </Space>
  );
}

function Decisions({ decisions }: { decisions: ContactDecision[] }) {
  const { lang } = useI18n();
  return (
    <div style={{ marginTop: 6 }}>
      {decisions.map((decision, index) => (
        <div key={decision.seq ?? index} style={{ marginBottom: 4 }} data-testid="contact-decision">
          <Typography.Text type="secondary">
            {formatInstant(decision.decidedAt, lang)} · {decision.phase} →{' '}
          </Typography.Text>
          <Tag color={decision.verdict === 'suppress' || decision.verdict === 'failed' ? 'red' : 'default'}>
            {decision.verdict}
          </Tag>
          <Reasons reasons={decision.reasons} />
        </div>
      ))}
    </div>
  );
}

function ContactEntry({ borrowerId, contact }: { borrowerId: string; contact: ContactItem }) {
  const { t, tx, lang } = useI18n();
  // The list carries the latest decision's reasons; every decision is loaded on request.
  const [decisions, setDecisions] = useState<ContactDecision[] | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);

  const loadDecisions = async () => {
    setLoading(true);
    try {
      setDecisions(await api.contactDecisions(borrowerId, contact.contactId));
    } catch (reason) {
      setError(reason);
    } finally {
      setLoading(false);
    }
  };

  return (
    <div data-testid={`contact-${contact.contactId}`}>
      <Space size={6} wrap>
        <Typography.Text strong>{tx(`channel.${contact.channel}`, contact.channel)}</Typography.Text>
        <Typography.Text className="kuan-mono">{contact.template}</Typography.Text>
        <Tag color={statusColor[contact.status] ?? 'default'}>{tx(`contact.${contact.status}`, contact.status)}</Tag>
        {contact.deliveryStatus && <Tag>{contact.deliveryStatus}</Tag>}
        {contact.verificationCode && (
          <Typography.Text>
            {t('contact.code')}: <span className="kuan-code">{contact.verificationCode}</span>
          </Typography.Text>
        )}
        {contact.loanIds?.length ? (
          <Typography.Text type="secondary">{contact.loanIds.join(', ')}</Typography.Text>
        ) : null}
      </Space>
      <div style={{ marginTop: 4 }}>
        <Reasons reasons={contact.reasons} />
      </div>
      {decisions ? (
        <Decisions decisions={decisions} />
      ) : (
        <Button size="small" type="link" loading={loading} onClick={() => void loadDecisions()} style={{ padding: 0 }}>
          {t('contact.showDecisions')}
        </Button>
      )}
      <ErrorNotice error={error} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {formatInstant(contact.sentAt ?? contact.dueAt ?? null, lang)}
      </Typography.Text>
    </div>
  );
}

function instantOf(contact: ContactItem): string {
  return contact.sentAt ?? contact.dueAt ?? contact.businessDate ?? '';
}

export function ContactTimeline({ borrowerId, contacts }: { borrowerId: string; contacts: ContactItem[] }) {
  const { t } = useI18n();
  if (!contacts.length) return <Empty description={t('contact.none')} />;
  const sorted = [...contacts].sort((a, b) => instantOf(b).localeCompare(instantOf(a)));
  return (
    <div data-testid="contact-timeline">
      <Timeline
        items={sorted.map((contact) => ({
          key: contact.contactId,
          color: statusColor[contact.status] ?? 'gray',
          content: <ContactEntry borrowerId={borrowerId} contact={contact} />,
        }))}
      />
    </div>
  );
}
