// One of the borrower's loans: the APR (IRR method) and every cost itemised, the schedule, a payoff
// quote, paying, promising to pay, and the due dates as a calendar file. Paying debits the borrower's bound
// account through the server's payment provider: a payment carries an idempotency key made once per
// payment meant, so a double submit or a retry after a timeout cannot pay twice; a success shows how the
// money was applied, a decline says why, an unknown outcome asks for a retry of the same payment.
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Flex,
  Form,
  Input,
  Result,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, newIdempotencyKey, saveBlob } from '../api/http.ts';
import { loanApr } from '../api/apr.ts';
import * as api from '../api/portal.ts';
import type { Installment, LoanDetail, LoanSchedule, Payment, PayoffQuote } from '../api/types.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { AMOUNT_PATTERN, formatMoney, formatRate, sumDecimals } from '../format.ts';
import { useI18n } from '../i18n.tsx';

interface LoanPageData {
  loan: LoanDetail;
  schedule: LoanSchedule;
  /** The APR: the loan's own, else computed from its contract terms by POST /schedules. */
  apr: string | null;
  aprComputed: boolean;
}

async function loadLoanPage(loanId: string, signal: AbortSignal): Promise<LoanPageData> {
  const [loan, schedule] = await Promise.all([api.loan(loanId, signal), api.schedule(loanId, signal)]);
  const { apr, computed } = await loanApr('borrower', loan, signal);
  return { loan, schedule, apr, aprComputed: computed };
}

function CostsCard({ data }: { data: LoanPageData }) {
  const { t, tx } = useI18n();
  const { loan, schedule } = data;
  const c = loan.currency;
  const fees = loan.terms.fees ?? [];
  const rows = schedule.installments;
  return (
    <Card size="small" title={t('portal.costs')} data-testid="portal-fees">
      <Flex justify="space-between" align="baseline">
        <Typography.Text>{t('portal.apr')}</Typography.Text>
        <span className="portal-big-number" data-testid="loan-apr">
          {formatRate(data.apr)}
        </span>
      </Flex>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        {t('portal.aprExplained')}
      </Typography.Paragraph>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('portal.annualRate')}>{formatRate(loan.terms.annualRate)}</Descriptions.Item>
        {fees.map((fee, index) => (
          <Descriptions.Item key={index} label={tx(`fee.${fee.kind}`, fee.kind)}>
            <span data-testid="fee-line">
              {fee.amount ? formatMoney(fee.amount, c) : ''}
              {fee.rate
                ? `${formatRate(fee.rate)} × ${tx(`fee.base.${fee.base ?? 'principal'}`, fee.base ?? 'principal')}`
                : ''}
            </span>
          </Descriptions.Item>
        ))}
        <Descriptions.Item label={t('portal.totalPrincipal')}>
          {formatMoney(sumDecimals(rows.map((r) => r.principal)), c)}
        </Descriptions.Item>
        <Descriptions.Item label={t('portal.totalInterest')}>
          <span data-testid="total-interest">{formatMoney(sumDecimals(rows.map((r) => r.interest)), c)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('portal.totalFees')}>
          <span data-testid="total-fees">{formatMoney(sumDecimals(rows.map((r) => r.fee)), c)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('portal.totalRepay')}>
          {formatMoney(sumDecimals(rows.map((r) => r.total)), c)}
        </Descriptions.Item>
        {loan.penaltyAnnualRate && (
          <Descriptions.Item label={t('portal.penaltyRate')}>
            {formatRate(loan.penaltyAnnualRate)}
            {loan.penaltyRateMultiple && ` (${t('portal.penaltyMultiple', { multiple: loan.penaltyRateMultiple })})`}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('loan.graceDays')}>
          {t('portal.graceDays', { days: loan.graceDays })}
        </Descriptions.Item>
        {loan.summary.penalty !== '0.00' && (
          <Descriptions.Item label={t('portal.penaltyNow')}>{formatMoney(loan.summary.penalty, c)}</Descriptions.Item>
        )}
      </Descriptions>
      {data.aprComputed && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('portal.aprComputed')}
        </Typography.Text>
      )}
    </Card>
  );
}

function ScheduleList({ loan, schedule }: { loan: LoanDetail; schedule: LoanSchedule }) {
  const { t, tx } = useI18n();
  const c = loan.currency;
  return (
    <Table<Installment>
      size="small"
      rowKey="number"
      pagination={false}
      dataSource={schedule.installments}
      data-testid="portal-schedule"
      columns={[
        { title: '#', dataIndex: 'number', width: 36 },
        { title: t('schedule.dueDate'), dataIndex: 'dueDate' },
        {
          title: t('schedule.outstanding'),
          align: 'right',
          render: (_, row) => formatMoney(row.status === 'paid' ? row.total : row.outstanding, c),
        },
        {
          title: t('loan.status'),
          render: (_, row) => (
            <Tag color={row.status === 'paid' ? 'green' : row.status === 'overdue' ? 'red' : 'default'}>
              {tx(`installment.${row.status}`, row.status)}
            </Tag>
          ),
        },
      ]}
      expandable={{
        expandedRowRender: (row) => (
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('schedule.principal')}>{formatMoney(row.principal, c)}</Descriptions.Item>
            <Descriptions.Item label={t('schedule.interest')}>{formatMoney(row.interest, c)}</Descriptions.Item>
            <Descriptions.Item label={t('schedule.fee')}>{formatMoney(row.fee, c)}</Descriptions.Item>
            <Descriptions.Item label={t('schedule.total')}>{formatMoney(row.total, c)}</Descriptions.Item>
            <Descriptions.Item label={t('schedule.paid')}>{formatMoney(row.paid, c)}</Descriptions.Item>
            {row.penaltyOutstanding !== '0.00' && (
              <Descriptions.Item label={t('loan.penalty')}>{formatMoney(row.penaltyOutstanding, c)}</Descriptions.Item>
            )}
          </Descriptions>
        ),
      }}
    />
  );
}

/**
 * A charged-off loan in plain words (docs/decisions/0003): the date, that penalty stopped, what is still
 * owed by component, and the order a payment goes in — instead of "penalty is running" and a next due date.
 */
function ChargedOffNotice({
  loan,
  chargedOff,
}: {
  loan: LoanDetail;
  chargedOff: NonNullable<LoanDetail['chargedOff']>;
}) {
  const { t } = useI18n();
  const m = (amount: string) => formatMoney(amount, loan.currency);
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginTop: 8 }}
      data-testid="charged-off-notice"
      title={t('portal.chargedOff', { date: chargedOff.on })}
      description={
        <>
          <div data-testid="charged-off-owed">
            {t('portal.chargedOffOwed', {
              total: m(chargedOff.owed.total),
              principal: m(chargedOff.owed.principal),
              interest: m(chargedOff.owed.interest),
              fee: m(chargedOff.owed.fee),
              penalty: m(chargedOff.owed.penalty),
            })}
          </div>
          <div>{t('portal.chargedOffOrder')}</div>
        </>
      }
    />
  );
}

function PayoffCard({ loan }: { loan: LoanDetail }) {
  const { t, tx } = useI18n();
  const [quote, setQuote] = useState<PayoffQuote | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    setError(null);
    try {
      setQuote(await api.payoffQuote(loan.loanId));
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('portal.payoff')}>
      {quote ? (
        <div data-testid="payoff-quote">
          <div className="portal-big-number">{formatMoney(quote.total, quote.currency)}</div>
          <Typography.Text type="secondary">{t('portal.payoffAsOf', { date: quote.asOf })}</Typography.Text>
          <Descriptions size="small" column={1} style={{ marginTop: 8 }}>
            {(['principal', 'interest', 'fee', 'penalty'] as const).map((part) => (
              <Descriptions.Item key={part} label={tx(`component.${part}`, part)}>
                {formatMoney(quote[part], quote.currency)}
              </Descriptions.Item>
            ))}
            {quote.creditApplied !== '0.00' && (
              <Descriptions.Item label={t('portal.creditApplied')}>
                -{formatMoney(quote.creditApplied, quote.currency)}
              </Descriptions.Item>
            )}
            {quote.refund !== '0.00' && (
              <Descriptions.Item label={t('portal.refund')}>
                {formatMoney(quote.refund, quote.currency)}
              </Descriptions.Item>
            )}
          </Descriptions>
        </div>
      ) : (
        <Button onClick={() => void load()} loading={busy} data-testid="payoff-button">
          {t('portal.getPayoff')}
        </Button>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Card>
  );
}

/** What the last submit of the pay form came to, when it did not post. */
type PayProblem =
  | { kind: 'declined'; reason: string }
  /** The provider has not answered: the same key and amount must be sent again (it never pays twice). */
  | { kind: 'unknown'; amount: string }
  | { kind: 'unavailable' }
  | { kind: 'error'; text: string };

function payProblemOf(failure: unknown, amount: string, tx: (key: string, fallback?: string) => string): PayProblem {
  if (failure instanceof ApiError) {
    const code = failure.problem.code ?? '';
    if (failure.status === 503 && code === 'payment_outcome_unknown') return { kind: 'unknown', amount };
    if (failure.status === 503 && code === 'payments_unavailable') return { kind: 'unavailable' };
    if (failure.status === 422 && (DECLINE_CODES as readonly string[]).includes(code)) {
      return { kind: 'declined', reason: tx(`decline.${code}`, failure.problem.detail ?? code) };
    }
  }
  return { kind: 'error', text: errorText(failure) };
}

const DECLINE_CODES = [
  'insufficient_funds',
  'account_closed',
  'account_not_found',
  'mandate_revoked',
  'limit_exceeded',
] as const;

function AllocationList({ payment }: { payment: Payment }) {
  const { t, tx } = useI18n();
  const c = payment.currency;
  const parts = (['penalty', 'fee', 'interest', 'principal'] as const).filter(
    (part) => payment.allocation[part] !== '0.00',
  );
  return (
    <Descriptions size="small" column={1} title={t('portal.allocation')} data-testid="payment-allocation">
      {parts.map((part) => (
        <Descriptions.Item key={part} label={tx(`component.${part}`, part)}>
          <span data-testid={`allocation-${part}`}>{formatMoney(payment.allocation[part], c)}</span>
        </Descriptions.Item>
      ))}
      {payment.allocation.credit !== '0.00' && (
        <Descriptions.Item label={t('portal.creditKept')}>
          <span data-testid="allocation-credit">{formatMoney(payment.allocation.credit, c)}</span>
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

function PayForm({ loan, onPaid }: { loan: LoanDetail; onPaid: () => void }) {
  const { t, tx } = useI18n();
  const [form] = Form.useForm<{ amount: string }>();
  // One key per payment the borrower means to make: a double submit or a retry after a timeout sends the
  // same key (the server debits and posts once); a final answer that is not a payment (a decline, a
  // refusal) starts a new one, so the next try is a new payment.
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey('pay'));
  const [result, setResult] = useState<Payment | null>(null);
  const [problem, setProblem] = useState<PayProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const suggested = loan.chargedOff
    ? loan.chargedOff.owed.total
    : loan.summary.overdue !== '0.00'
      ? sumDecimals([loan.summary.overdue, loan.summary.penalty])
      : loan.nextDue?.amount;
  const submit = async ({ amount }: { amount: string }) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    // After an unknown outcome only the same amount may go again under the same key.
    const sent = problem?.kind === 'unknown' ? problem.amount : amount.trim();
    try {
      setResult(await api.pay(loan.loanId, sent, idempotencyKey));
      onPaid();
    } catch (failure) {
      const next = payProblemOf(failure, sent, tx);
      if (next.kind !== 'unknown') setIdempotencyKey(newIdempotencyKey('pay'));
      setProblem(next);
    } finally {
      setBusy(false);
    }
  };
  if (result) {
    return (
      <Result
        status="success"
        title={t('portal.paid', { amount: formatMoney(result.amount, result.currency) })}
        subTitle={`${t('portal.paymentId')}: ${result.paymentId} · ${result.on}`}
        data-testid="payment-result"
      >
        <AllocationList payment={result} />
      </Result>
    );
  }
  const pending = problem?.kind === 'unknown';
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ amount: suggested }}
      onFinish={(values: { amount: string }) => void submit(values)}
    >
      <Typography.Paragraph type="secondary">{t('portal.payFromAccount')}</Typography.Paragraph>
      <Form.Item
        name="amount"
        label={t('portal.payAmount', { currency: loan.currency })}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: AMOUNT_PATTERN, message: t('form.amount') },
        ]}
      >
        <Input size="large" inputMode="decimal" disabled={pending} data-testid="pay-amount" />
      </Form.Item>
      {problem && (
        <Alert
          type={problem.kind === 'unknown' ? 'warning' : 'error'}
          showIcon
          title={
            problem.kind === 'declined'
              ? t('portal.payDeclined', { reason: problem.reason })
              : problem.kind === 'unknown'
                ? t('portal.payUnknown')
                : problem.kind === 'unavailable'
                  ? t('portal.payUnavailable')
                  : problem.text
          }
          style={{ marginBottom: 12 }}
          data-testid={problem.kind === 'unknown' ? 'pay-pending' : 'pay-error'}
        />
      )}
      <Button type="primary" size="large" block htmlType="submit" loading={busy} data-testid="pay-submit">
        {pending ? t('portal.payRetry') : t('portal.pay')}
      </Button>
    </Form>
  );
}

function PromiseForm({ loan }: { loan: LoanDetail }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (values: { amount: string; date: Dayjs }) => {
    setBusy(true);
    setError(null);
    try {
      await api.promiseToPay(loan.borrowerId, {
        loanId: loan.loanId,
        amount: values.amount.trim(),
        date: values.date.format('YYYY-MM-DD'),
      });
      setDone(true);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };
  if (done) return <Result status="success" title={t('portal.promiseSaved')} data-testid="promise-result" />;
  return (
    <Form layout="vertical" onFinish={(values: { amount: string; date: Dayjs }) => void submit(values)}>
      <Typography.Paragraph type="secondary">{t('portal.promiseText')}</Typography.Paragraph>
      <Form.Item
        name="amount"
        label={t('promise.amount')}
        rules={[
          { required: true, message: t('form.required') },
          { pattern: AMOUNT_PATTERN, message: t('form.amount') },
        ]}
      >
        <Input size="large" inputMode="decimal" data-testid="portal-promise-amount" />
      </Form.Item>
      <Form.Item name="date" label={t('promise.date')} rules={[{ required: true, message: t('form.required') }]}>
        <DatePicker size="large" style={{ width: '100%' }} inputReadOnly data-testid="portal-promise-date" />
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Button type="primary" size="large" block htmlType="submit" loading={busy} data-testid="portal-promise-submit">
        {t('portal.promise')}
      </Button>
    </Form>
  );
}

export function PortalLoanDetail() {
  const { loanId = '' } = useParams();
  const { t, tx } = useI18n();
  const state = useLoad((signal) => loadLoanPage(loanId, signal), [loanId]);
  const [calendarError, setCalendarError] = useState<string | null>(null);
  const downloadCalendar = async () => {
    setCalendarError(null);
    try {
      const { blob, fileName } = await api.calendar(loanId);
      saveBlob(blob, fileName);
    } catch (reason) {
      setCalendarError(errorText(reason));
    }
  };
  return (
    <Loadable state={state}>
      {(data) => {
        const { loan } = data;
        return (
          <>
            <Card size="small" data-testid="portal-loan-detail">
              <Flex justify="space-between" align="center">
                <Typography.Text strong>{loan.productId ?? t('portal.loan')}</Typography.Text>
                <Tag>{tx(`status.${loan.status}`, loan.status)}</Tag>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {loan.loanId}
              </Typography.Text>
              <Descriptions size="small" column={2} layout="vertical" style={{ marginTop: 8 }}>
                <Descriptions.Item label={t('loan.principal')}>
                  {formatMoney(loan.terms.principal, loan.currency)}
                </Descriptions.Item>
                <Descriptions.Item label={t('loan.outstanding')}>
                  {formatMoney(loan.outstanding.total, loan.currency)}
                </Descriptions.Item>
                <Descriptions.Item label={t('loan.overdue')}>
                  {formatMoney(loan.summary.overdue, loan.currency)}
                </Descriptions.Item>
                <Descriptions.Item label={t('loan.nextDue')}>
                  {loan.nextDue ? `${loan.nextDue.dueDate} · ${formatMoney(loan.nextDue.amount, loan.currency)}` : '—'}
                </Descriptions.Item>
              </Descriptions>
              {loan.chargedOff && <ChargedOffNotice loan={loan} chargedOff={loan.chargedOff} />}
              {!loan.chargedOff && loan.summary.inGrace && (
                <Alert type="warning" showIcon title={t('portal.inGrace')} style={{ marginTop: 8 }} />
              )}
              {!loan.chargedOff && loan.summary.delinquent && (
                <Alert
                  type="error"
                  showIcon
                  title={t('portal.delinquent', { days: loan.summary.dpd })}
                  style={{ marginTop: 8 }}
                />
              )}
            </Card>
            <CostsCard data={data} />
            <Card size="small">
              <Tabs
                items={[
                  {
                    key: 'pay',
                    label: <span data-testid="tab-pay">{t('portal.pay')}</span>,
                    children: <PayForm loan={loan} onPaid={() => undefined} />,
                  },
                  {
                    key: 'promise',
                    label: <span data-testid="tab-promise">{t('portal.promise')}</span>,
                    children: <PromiseForm loan={loan} />,
                  },
                  {
                    key: 'schedule',
                    label: <span data-testid="tab-schedule">{t('tab.schedule')}</span>,
                    children: <ScheduleList loan={loan} schedule={data.schedule} />,
                  },
                ]}
              />
            </Card>
            {/* Charged off, what is owed above is the payoff: the quote is for loans still serviced. */}
            {!loan.chargedOff && <PayoffCard loan={loan} />}
            <Card size="small">
              <Flex justify="space-between" align="center" gap={8}>
                <Typography.Text>{t('portal.calendarText')}</Typography.Text>
                <Button onClick={() => void downloadCalendar()} data-testid="download-ics">
                  {t('portal.calendar')}
                </Button>
              </Flex>
              {calendarError && <Alert type="error" showIcon title={calendarError} style={{ marginTop: 8 }} />}
            </Card>
            <Link to={`/portal/help?loanId=${encodeURIComponent(loan.loanId)}`}>
              <Button block size="large" data-testid="ask-help">
                {t('portal.askHelp')}
              </Button>
            </Link>
          </>
        );
      }}
    </Loadable>
  );
}
