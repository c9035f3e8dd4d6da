// The borrower's home: every loan with what is due next (or overdue now), and each loan's due dates as
// a calendar file (ICS).
import { Alert, Button, Card, Empty, Flex, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { saveBlob } from '../api/http.ts';
import * as api from '../api/portal.ts';
import type { LoanDetail } from '../api/types.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatMoney } from '../format.ts';
import { useI18n } from '../i18n.tsx';

/** Most loans the home page details at once (a borrower with more sees the rest by id). */
export const HOME_LOANS_MAX = 20;

/** The borrower's loans with their summaries: the list, then each loan's detail. */
export async function loadMyLoans(signal?: AbortSignal): Promise<LoanDetail[]> {
  const page = await api.myLoans(signal);
  return Promise.all(page.items.slice(0, HOME_LOANS_MAX).map((item) => api.loan(item.loanId, signal)));
}

export function isOverdue(loan: LoanDetail): boolean {
  return loan.summary.dpd > 0 && loan.summary.overdue !== '0.00';
}

function LoanCard({ loan }: { loan: LoanDetail }) {
  const { t, tx } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const overdue = isOverdue(loan);
  const downloadCalendar = async () => {
    setError(null);
    try {
      const { blob, fileName } = await api.calendar(loan.loanId);
      saveBlob(blob, fileName);
    } catch (reason) {
      setError(errorText(reason));
    }
  };
  return (
    <Card size="small" data-testid={`portal-loan-${loan.loanId}`}>
      <Link to={`/portal/loans/${encodeURIComponent(loan.loanId)}`} data-testid={`open-loan-${loan.loanId}`}>
        <Flex justify="space-between" align="center">
          <Typography.Text strong>
            {loan.productId ?? t('portal.loan')} · {formatMoney(loan.terms.principal, loan.currency)}
          </Typography.Text>
          <Tag color={loan.status === 'closed' ? 'default' : overdue ? 'red' : 'green'}>
            {tx(`status.${loan.status}`, loan.status)}
          </Tag>
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {loan.loanId}
        </Typography.Text>
        {loan.chargedOff ? (
          <div style={{ marginTop: 8 }} data-testid="charged-off-card">
            <Typography.Text type="secondary">{t('portal.chargedOffShort')}</Typography.Text>
            <div className="portal-big-number">{formatMoney(loan.chargedOff.owed.total, loan.currency)}</div>
            <Typography.Text type="secondary">{t('portal.chargedOff', { date: loan.chargedOff.on })}</Typography.Text>
          </div>
        ) : overdue ? (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type={loan.summary.inGrace ? 'warning' : 'danger'}>
              {loan.summary.inGrace ? t('portal.inGraceShort') : t('portal.overdueNow')}
            </Typography.Text>
            <div
              className="portal-big-number"
              style={{ color: loan.summary.inGrace ? '#d48806' : '#cf1322' }}
              data-testid="overdue-amount"
            >
              {formatMoney(loan.summary.overdue, loan.currency)}
            </div>
            <Typography.Text type="secondary">{t('portal.daysLate', { days: loan.summary.dpd })}</Typography.Text>
          </div>
        ) : loan.nextDue ? (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t('portal.nextDue', { date: loan.nextDue.dueDate })}</Typography.Text>
            <div className="portal-big-number" data-testid="next-due-amount">
              {formatMoney(loan.nextDue.amount, loan.currency)}
            </div>
          </div>
        ) : (
          <div style={{ marginTop: 8 }}>
            <Typography.Text type="secondary">{t('portal.nothingDue')}</Typography.Text>
          </div>
        )}
      </Link>
      {loan.status !== 'closed' && (
        <Button
          size="small"
          type="link"
          style={{ paddingLeft: 0 }}
          onClick={() => void downloadCalendar()}
          data-testid="download-ics"
        >
          {t('portal.calendar')}
        </Button>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Card>
  );
}

export function PortalHome() {
  const { t } = useI18n();
  const state = useLoad((signal) => loadMyLoans(signal), []);
  return (
    <>
      <Typography.Title level={5} style={{ margin: '4px 4px 0' }}>
        {t('portal.myLoans')}
      </Typography.Title>
      <Loadable state={state}>
        {(loans) =>
          loans.length ? (
            <Flex vertical gap={12} data-testid="portal-loans">
              {loans.map((loan) => (
                <LoanCard key={loan.loanId} loan={loan} />
              ))}
            </Flex>
          ) : (
            <Empty description={t('portal.noLoans')} />
          )
        }
      </Loadable>
    </>
  );
}
