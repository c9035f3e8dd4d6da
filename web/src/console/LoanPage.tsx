// One loan: the header (borrower, status, DPD, bucket, amounts), then tabs for the schedule, the ledger
// (servicing transactions, the double-entry journal, payments), the borrower's contact timeline with
// each decision's reasons, notes, and promises / holds / plans. A collector records a call (with a
// promise to pay), offers a plan, escalates the borrower's open case or sends a status notice about a
// delay from here without going to the workbench. A supervisor reverses a posted payment from the
// ledger's payments (a reason, then a confirmation); the payments show what was reversed and which
// payment was a recovery on a charged-off loan.
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Flex,
  Input,
  List,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { loanApr } from '../api/apr.ts';
import * as api from '../api/staff.ts';
import type {
  HoldItem,
  Installment,
  JournalEntry,
  LoanDetail,
  Note,
  Payment,
  PaymentReversal,
  PlanItem,
  PromiseItem,
  ReversalReason,
  Transaction,
} from '../api/types.ts';
import { newIdempotencyKey } from '../api/http.ts';
import { ErrorNotice, errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatInstant, formatMoney, formatRate } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages.ts';
import { EscalationPanel, noticeSavedText, StatusNoticeForm } from './CaseActions.tsx';
import { ContactTimeline } from './ContactTimeline.tsx';
import { CallOutcomeForm, PlanOfferForm, planSavedText } from './forms.tsx';
import { bucketColor } from './Loans.tsx';
import { canDo } from './roles.ts';
import { useStaff } from './session.tsx';

export function ScheduleTable({ installments, currency }: { installments: Installment[]; currency: string }) {
  const { t, tx } = useI18n();
  return (
    <Table<Installment>
      size="small"
      rowKey="number"
      pagination={false}
      dataSource={installments}
      scroll={{ x: true }}
      data-testid="schedule-table"
      columns={[
        { title: '#', dataIndex: 'number', width: 48 },
        { title: t('schedule.dueDate'), dataIndex: 'dueDate' },
        { title: t('schedule.principal'), align: 'right', render: (_, row) => formatMoney(row.principal, currency) },
        { title: t('schedule.interest'), align: 'right', render: (_, row) => formatMoney(row.interest, currency) },
        { title: t('schedule.fee'), align: 'right', render: (_, row) => formatMoney(row.fee, currency) },
        { title: t('schedule.total'), align: 'right', render: (_, row) => formatMoney(row.total, currency) },
        { title: t('schedule.paid'), align: 'right', render: (_, row) => formatMoney(row.paid, currency) },
        {
          title: t('schedule.outstanding'),
          align: 'right',
          render: (_, row) => formatMoney(row.outstanding, currency),
        },
        {
          title: t('loan.penalty'),
          align: 'right',
          render: (_, row) => (row.penaltyOutstanding !== '0.00' ? formatMoney(row.penaltyOutstanding, currency) : ''),
        },
        {
          title: t('loan.status'),
          render: (_, row) => (
            <Tag color={row.status === 'paid' ? 'green' : row.status === 'overdue' ? 'red' : 'default'}>
              {tx(`installment.${row.status}`, row.status)}
            </Tag>
          ),
        },
        { title: t('schedule.paidOn'), dataIndex: 'paidOn' },
      ]}
    />
  );
}

const reversalReasons: readonly ReversalReason[] = [
  'returned_nsf',
  'wrong_loan',
  'duplicate',
  'fraud_chargeback',
  'operator_error',
];

/** What the loan page says after a reversal: the delinquency it re-opened, or the approval it waits for. */
function reversedText(t: ReturnType<typeof useI18n>['t'], answer: PaymentReversal): string {
  if (answer.status === 'pending_approval') {
    return t('reverse.pending', { paymentId: answer.paymentId, approvalId: answer.approvalId ?? '' });
  }
  return t('reverse.done', {
    paymentId: answer.paymentId,
    dpdBefore: String(answer.before.dpd),
    dpdAfter: String(answer.after.dpd),
    bucketBefore: answer.before.bucket,
    bucketAfter: answer.after.bucket,
    penalty: formatMoney(answer.after.penalty, answer.currency),
  });
}

/** Reversing one payment: the reason, a warning of what it re-opens, then the confirmation. */
function ReverseDialog({
  payment,
  onClose,
  onDone,
}: {
  payment: Payment;
  onClose: () => void;
  onDone: (answer: PaymentReversal) => void;
}) {
  const { t, tx } = useI18n();
  const [reason, setReason] = useState<ReversalReason | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per dialog: a retry after a lost answer replays the first reversal instead of a second one.
  const [key] = useState(() => newIdempotencyKey('reverse'));
  const confirm = async () => {
    if (reason === undefined) return;
    setBusy(true);
    setError(null);
    try {
      onDone(await api.reversePayment(payment.paymentId, { reason }, key));
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('reverse.title', { paymentId: payment.paymentId })}
      onCancel={onClose}
      onOk={confirm}
      okText={t('reverse.confirm')}
      okButtonProps={{ danger: true, disabled: reason === undefined, ...{ 'data-testid': 'reversal-confirm' } }}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} data-testid="reversal-dialog">
        <Alert
          type="warning"
          showIcon
          title={t('reverse.warning', { amount: formatMoney(payment.amount, payment.currency) })}
        />
        <Typography.Text strong>{t('reverse.reason')}</Typography.Text>
        <Select<ReversalReason>
          style={{ width: '100%' }}
          value={reason}
          onChange={setReason}
          options={reversalReasons.map((value) => ({ value, label: tx(`reversal.${value}`, value) }))}
          data-testid="reversal-reason"
        />
        {error && <Alert type="error" showIcon title={error} data-testid="reversal-error" />}
      </Space>
    </Modal>
  );
}

function LedgerView({
  loanId,
  currency,
  canReverse,
  onReversed,
}: {
  loanId: string;
  currency: string;
  canReverse: boolean;
  onReversed: (message: string) => void;
}) {
  const { t, tx } = useI18n();
  const [reversing, setReversing] = useState<Payment | null>(null);
  const transactions = useLoad((signal) => api.getTransactions(loanId, undefined, signal), [loanId]);
  const journal = useLoad((signal) => api.getJournal(loanId, undefined, signal), [loanId]);
  const payments = useLoad((signal) => api.getPayments(loanId, signal), [loanId]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Loadable state={payments}>
        {(page) => (
          <Table<Payment>
            size="small"
            title={() => <Typography.Text strong>{t('ledger.payments')}</Typography.Text>}
            rowKey="paymentId"
            pagination={false}
            dataSource={page.items}
            data-testid="ledger-payments"
            columns={[
              { title: t('ledger.date'), dataIndex: 'on' },
              { title: t('ledger.amount'), align: 'right', render: (_, row) => formatMoney(row.amount, row.currency) },
              { title: t('ledger.source'), dataIndex: 'source' },
              {
                title: t('loan.status'),
                render: (_, row) => (
                  <Space size={4} data-testid={`payment-status-${row.paymentId}`}>
                    <Tag color={row.status === 'reversed' ? 'red' : 'green'}>
                      {tx(`payment.${row.status}`, row.status)}
                    </Tag>
                    {row.reversal ? (
                      <Typography.Text type="secondary">
                        {tx(`reversal.${row.reversal.reason ?? ''}`, row.reversal.reason ?? '')} · {row.reversal.on}
                      </Typography.Text>
                    ) : null}
                    {row.recovery ? <Tag color="purple">{t('payment.recovery')}</Tag> : null}
                  </Space>
                ),
              },
              {
                title: t('ledger.allocation'),
                render: (_, row) =>
                  (['penalty', 'fee', 'interest', 'principal', 'credit'] as const)
                    .filter((part) => row.allocation[part] !== '0.00')
                    .map((part) => `${tx(`component.${part}`, part)} ${row.allocation[part]}`)
                    .join(' · '),
              },
              ...(canReverse
                ? [
                    {
                      title: t('ledger.actions'),
                      render: (_: unknown, row: Payment) =>
                        row.status === 'posted' ? (
                          <Button
                            size="small"
                            danger
                            onClick={() => setReversing(row)}
                            data-testid={`reverse-${row.paymentId}`}
                          >
                            {t('reverse.action')}
                          </Button>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Loadable>
      {reversing && (
        <ReverseDialog
          payment={reversing}
          onClose={() => setReversing(null)}
          onDone={(answer) => {
            setReversing(null);
            onReversed(reversedText(t, answer));
          }}
        />
      )}
      <Loadable state={transactions}>
        {(page) => (
          <Table<Transaction>
            size="small"
            title={() => <Typography.Text strong>{t('ledger.transactions')}</Typography.Text>}
            rowKey="seq"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={page.items}
            data-testid="ledger-transactions"
            columns={[
              { title: '#', dataIndex: 'seq', width: 56 },
              { title: t('ledger.date'), dataIndex: 'businessDate' },
              { title: t('ledger.kind'), dataIndex: 'kind' },
              {
                title: t('ledger.detail'),
                render: (_, row) => (
                  <Typography.Text
                    className="kuan-mono"
                    style={{ fontSize: 12 }}
                    ellipsis={{ tooltip: JSON.stringify(row.detail) }}
                  >
                    {Object.keys(row.detail).length ? JSON.stringify(row.detail) : ''}
                  </Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Loadable>
      <Loadable state={journal}>
        {(page) => (
          <Table<JournalEntry>
            size="small"
            title={() => <Typography.Text strong>{t('ledger.journal')}</Typography.Text>}
            rowKey="entryId"
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            dataSource={page.items}
            columns={[
              { title: t('ledger.date'), dataIndex: 'businessDate' },
              { title: t('ledger.kind'), dataIndex: 'kind' },
              {
                title: t('ledger.postings'),
                render: (_, entry) => (
                  <div className="kuan-mono" style={{ fontSize: 12 }}>
                    {entry.postings.map((posting, index) => (
                      <div key={index}>
                        {posting.side === 'debit' ? t('ledger.debit') : t('ledger.credit')} {posting.account}{' '}
                        {formatMoney(posting.amount, entry.currency ?? currency)}
                      </div>
                    ))}
                  </div>
                ),
              },
            ]}
          />
        )}
      </Loadable>
    </Space>
  );
}

function ContactsView({ borrowerId }: { borrowerId: string }) {
  const state = useLoad((signal) => api.listContacts(borrowerId, signal), [borrowerId]);
  return (
    <Loadable state={state}>{(result) => <ContactTimeline borrowerId={borrowerId} contacts={result.items} />}</Loadable>
  );
}

function NotesView({ borrowerId, canWrite }: { borrowerId: string; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const state = useLoad((signal) => api.listNotes(borrowerId, signal), [borrowerId]);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async () => {
    if (!text.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await api.addNote(borrowerId, { text: text.trim() });
      setText('');
      state.reload();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      {canWrite && (
        <>
          <Input.TextArea
            rows={3}
            maxLength={4000}
            value={text}
            onChange={(event) => setText(event.target.value)}
            placeholder={t('notes.placeholder')}
            data-testid="note-text"
          />
          <Button onClick={() => void add()} loading={busy} disabled={!text.trim()} data-testid="note-add">
            {t('notes.add')}
          </Button>
          {error && <Alert type="error" showIcon title={error} />}
        </>
      )}
      <Loadable state={state}>
        {(page) =>
          page.items.length ? (
            <List<Note>
              dataSource={page.items}
              data-testid="notes"
              renderItem={(note) => (
                <List.Item key={note.noteId}>
                  <List.Item.Meta
                    title={`${note.author} · ${formatInstant(note.createdAt, lang)}`}
                    description={<span style={{ whiteSpace: 'pre-wrap' }}>{note.text}</span>}
                  />
                </List.Item>
              )}
            />
          ) : (
            <Empty description={t('notes.none')} />
          )
        }
      </Loadable>
    </Space>
  );
}

function PlanActions({ plan, onDecided }: { plan: PlanItem; onDecided: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDecided();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space orientation="vertical" size={4}>
      <Space>
        <Button size="small" type="primary" loading={busy} onClick={() => void run(() => api.approvePlan(plan.planId))}>
          {t('plan.approve')}
        </Button>
        <Button
          size="small"
          danger
          loading={busy}
          onClick={() => {
            const reason = window.prompt(t('plan.refuseWhy'));
            if (reason?.trim()) void run(() => api.refusePlan(plan.planId, reason.trim()));
          }}
        >
          {t('plan.refuse')}
        </Button>
      </Space>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Space>
  );
}

function ArrangementsView({ loan }: { loan: LoanDetail }) {
  const { t, tx } = useI18n();
  const staff = useStaff();
  const borrowerId = loan.borrowerId;
  const promises = useLoad((signal) => api.listPromises(borrowerId, signal), [borrowerId]);
  const holds = useLoad((signal) => api.listHolds(borrowerId, signal), [borrowerId]);
  const plans = useLoad((signal) => api.loanPlans(loan.loanId, signal), [loan.loanId]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="large">
      <Card size="small" title={t('arrangements.plans')}>
        <Loadable state={plans}>
          {(page) => (
            <Table<PlanItem>
              size="small"
              pagination={false}
              rowKey="planId"
              dataSource={page.items}
              data-testid="plans-table"
              columns={[
                { title: t('plan.id'), dataIndex: 'planId' },
                {
                  title: t('plan.kind'),
                  render: (_, row) => tx(`plan.kind.${row.planType ?? ''}`, row.planType ?? ''),
                },
                {
                  title: t('plan.requested'),
                  render: (_, row) => `${row.requestedOn ?? ''} · ${row.requestedBy ?? ''}`,
                },
                {
                  title: t('loan.status'),
                  render: (_, row) => (
                    <span>
                      <Tag>{tx(`request.${row.status}`, row.status)}</Tag>
                      {row.status === 'requested' && row.offer?.approval?.required
                        ? t('plan.needsRole', {
                            role: tx(`role.${row.offer.approval.minimumRole}`, row.offer.approval.minimumRole),
                          })
                        : ''}
                      {row.resultMessage ? ` ${row.resultMessage}` : ''}
                    </span>
                  ),
                },
                {
                  title: '',
                  render: (_, row) =>
                    row.status === 'requested' && canDo(staff, 'decidePlan') ? (
                      <PlanActions plan={row} onDecided={plans.reload} />
                    ) : null,
                },
              ]}
            />
          )}
        </Loadable>
      </Card>
      <Card size="small" title={t('arrangements.promises')}>
        <Loadable state={promises}>
          {(page) => (
            <Table<PromiseItem>
              size="small"
              pagination={false}
              rowKey="promiseId"
              dataSource={page.items}
              data-testid="promises-table"
              columns={[
                { title: t('loan.loanId'), dataIndex: 'loanId' },
                { title: t('promise.amount'), align: 'right', render: (_, row) => formatMoney(row.amount) },
                {
                  title: t('promise.paid'),
                  align: 'right',
                  render: (_, row) => (row.paid === undefined ? '' : formatMoney(row.paid)),
                },
                { title: t('promise.date'), dataIndex: 'date' },
                { title: t('loan.status'), render: (_, row) => tx(`promise.${row.status}`, row.status) },
              ]}
            />
          )}
        </Loadable>
      </Card>
      <Card size="small" title={t('arrangements.holds')}>
        <Loadable state={holds}>
          {(page) => (
            <Table<HoldItem>
              size="small"
              pagination={false}
              rowKey={(row) => `${row.from ?? row.fromDate}-${row.reason}`}
              dataSource={page.items}
              data-testid="holds-table"
              columns={[
                { title: t('hold.from'), dataIndex: 'fromDate' },
                { title: t('hold.until'), dataIndex: 'untilDate' },
                { title: t('hold.reason'), render: (_, row) => tx(`reason.${row.reason}`, row.reason) },
                {
                  title: t('loan.status'),
                  render: (_, row) => (
                    <Tag color={row.status === 'active' ? 'gold' : 'default'}>
                      {tx(`hold.${row.status ?? ''}`, row.status ?? '')}
                    </Tag>
                  ),
                },
              ]}
            />
          )}
        </Loadable>
      </Card>
    </Space>
  );
}

function BorrowerCells({ borrowerId }: { borrowerId: string }) {
  const { t } = useI18n();
  const state = useLoad((signal) => api.getBorrower(borrowerId, signal), [borrowerId]);
  if (state.error) return <ErrorNotice error={state.error} />;
  const borrower = state.data;
  const phone = typeof borrower?.contacts.sms === 'string' ? borrower.contacts.sms : '—';
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} bordered data-testid="borrower-header">
      <Descriptions.Item label={t('loan.borrower')}>
        {borrower?.name ?? ''} ({borrowerId})
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.phone')}>
        <span data-testid="borrower-phone">{phone}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.idNumber')}>{borrower?.identity?.idNumber ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('loan.timezone')}>
        {borrower?.timezone ?? ''} {borrower?.masked ? <Tag>{t('loan.masked')}</Tag> : null}
      </Descriptions.Item>
    </Descriptions>
  );
}

function Header({ loan }: { loan: LoanDetail }) {
  const { t, tx } = useI18n();
  const c = loan.currency;
  const apr = useLoad((signal) => loanApr('staff', loan, signal), [loan.loanId]);
  return (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} bordered data-testid="loan-header">
      <Descriptions.Item label={t('loan.status')}>
        <span data-testid="loan-status">{tx(`status.${loan.status}`, loan.status)}</span>
        {loan.summary.inGrace ? (
          <Tag color="gold" style={{ marginLeft: 6 }}>
            {t('loan.inGrace')}
          </Tag>
        ) : null}
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.dpd')}>
        <span data-testid="loan-dpd">{loan.summary.dpd}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.bucket')}>
        <Tag color={bucketColor(loan.summary.bucket)}>{loan.summary.bucket}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.graceDays')}>{loan.graceDays}</Descriptions.Item>
      <Descriptions.Item label={t('loan.overdue')}>
        <span data-testid="loan-overdue">{formatMoney(loan.summary.overdue, c)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.penalty')}>{formatMoney(loan.summary.penalty, c)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.outstanding')}>{formatMoney(loan.outstanding.total, c)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.nextDue')}>
        {loan.nextDue ? `${loan.nextDue.dueDate} · ${formatMoney(loan.nextDue.amount, c)}` : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.principal')}>{formatMoney(loan.terms.principal, c)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.annualRate')}>{formatRate(loan.terms.annualRate)}</Descriptions.Item>
      <Descriptions.Item label={t('loan.apr')}>
        <span data-testid="loan-apr">{formatRate(apr.data?.apr)}</span>
        <RateCapFlag loan={loan} />
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.terms')}>
        {loan.terms.termCount} × {loan.terms.frequency.every} {loan.terms.frequency.unit} ·{' '}
        {tx(`method.${loan.terms.method}`, loan.terms.method)}
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.disbursedOn')}>{loan.disbursedOn}</Descriptions.Item>
      <Descriptions.Item label={t('loan.closedThrough')}>{loan.closedThrough}</Descriptions.Item>
      <Descriptions.Item label={t('loan.overdueCounts')}>
        {loan.summary.consecutiveOverdueCount} / {loan.summary.cumulativeOverdueCount}
      </Descriptions.Item>
      <Descriptions.Item label={t('loan.product')}>{loan.productId ?? '—'}</Descriptions.Item>
    </Descriptions>
  );
}

/** A flag when the loan's APR is above a line of its pricing policy; the reasons show on hover. */
function RateCapFlag({ loan }: { loan: LoanDetail }) {
  const { t } = useI18n();
  const cap = loan.rateCap;
  if (cap === undefined || cap.level === 'ok' || cap.line === null) return null;
  const vars = { line: formatRate(cap.line), policy: cap.policy };
  return (
    <Tag
      color={cap.level === 'refused' ? 'red' : 'orange'}
      style={{ marginLeft: 6 }}
      title={cap.reasons.map((reason) => reason.message).join('\n')}
      data-testid="loan-rate-cap"
    >
      {cap.level === 'refused' ? t('loan.rateCapRefused', vars) : t('loan.rateCapWarning', vars)}
    </Tag>
  );
}

function ScheduleView({ loan }: { loan: LoanDetail }) {
  const state = useLoad((signal) => api.getSchedule(loan.loanId, signal), [loan.loanId, loan.closedThrough]);
  return (
    <Loadable state={state}>
      {(schedule) => <ScheduleTable installments={schedule.installments} currency={loan.currency} />}
    </Loadable>
  );
}

type LoanDrawer = 'call' | 'plan' | 'escalate' | 'notice';

const drawerTitles = {
  call: 'call.record',
  plan: 'plan.offer',
  escalate: 'escalate.title',
  notice: 'notice.title',
} as const satisfies Record<LoanDrawer, MessageKey>;

/** The borrower's open case, escalated from the loan page (the same panel as the workbench's). */
function OpenCaseEscalation({ borrowerId, onEscalated }: { borrowerId: string; onEscalated: () => void }) {
  const { t } = useI18n();
  const state = useLoad((signal) => api.openCaseOf(borrowerId, signal), [borrowerId]);
  return (
    <Loadable state={state}>
      {(open) =>
        open ? (
          <EscalationPanel borrowerId={borrowerId} caseId={open.caseId} stage={open.stage} onEscalated={onEscalated} />
        ) : (
          <Empty description={t('escalate.noCase')} data-testid="escalation-no-case" />
        )
      }
    </Loadable>
  );
}

export function LoanPage() {
  const { loanId = '' } = useParams();
  const { t, tx } = useI18n();
  const staff = useStaff();
  const state = useLoad((signal) => api.getLoan(loanId, signal), [loanId]);
  const [drawer, setDrawer] = useState<LoanDrawer | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [tab, setTab] = useState('schedule');
  const [generation, setGeneration] = useState(0);

  const done = (message: string) => {
    setDrawer(null);
    setSaved(message);
    setGeneration((g) => g + 1);
    state.reload();
  };

  return (
    <Loadable state={state}>
      {(loan) => {
        const choice = [{ loanId: loan.loanId, bucket: loan.summary.bucket, dpd: loan.summary.dpd }];
        return (
          <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="loan-page">
            <Flex justify="space-between" align="center" wrap gap={8}>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {t('loan.title', { loanId: loan.loanId })}
              </Typography.Title>
              <Space>
                {canDo(staff, 'recordCall') && (
                  <Button type="primary" onClick={() => setDrawer('call')} data-testid="open-call-form">
                    {t('call.record')}
                  </Button>
                )}
                {canDo(staff, 'offerPlan') && (
                  <Button onClick={() => setDrawer('plan')} data-testid="open-plan-form">
                    {t('plan.offer')}
                  </Button>
                )}
                {canDo(staff, 'sendStatusNotice') && (
                  <Button onClick={() => setDrawer('notice')} data-testid="open-notice-form">
                    {t('notice.action')}
                  </Button>
                )}
                {canDo(staff, 'escalateCase') && (
                  <Button danger onClick={() => setDrawer('escalate')} data-testid="open-escalation">
                    {t('escalate.action')}
                  </Button>
                )}
              </Space>
            </Flex>
            {saved && (
              <Alert
                type="success"
                showIcon
                title={saved}
                closable
                onClose={() => setSaved(null)}
                data-testid="saved"
              />
            )}
            <BorrowerCells borrowerId={loan.borrowerId} />
            <Header loan={loan} />
            <Card size="small">
              <Tabs
                activeKey={tab}
                onChange={setTab}
                items={[
                  {
                    key: 'schedule',
                    label: t('tab.schedule'),
                    children: <ScheduleView key={generation} loan={loan} />,
                  },
                  {
                    key: 'ledger',
                    label: <span data-testid="tab-ledger">{t('tab.ledger')}</span>,
                    children: (
                      <LedgerView
                        key={generation}
                        loanId={loan.loanId}
                        currency={loan.currency}
                        canReverse={canDo(staff, 'reversePayment')}
                        onReversed={done}
                      />
                    ),
                  },
                  {
                    key: 'contacts',
                    label: <span data-testid="tab-contacts">{t('tab.contacts')}</span>,
                    children: <ContactsView key={generation} borrowerId={loan.borrowerId} />,
                  },
                  {
                    key: 'notes',
                    label: <span data-testid="tab-notes">{t('tab.notes')}</span>,
                    children: (
                      <NotesView key={generation} borrowerId={loan.borrowerId} canWrite={canDo(staff, 'addNote')} />
                    ),
                  },
                  {
                    key: 'arrangements',
                    label: <span data-testid="tab-arrangements">{t('tab.arrangements')}</span>,
                    children: <ArrangementsView key={generation} loan={loan} />,
                  },
                ]}
              />
            </Card>
            <Drawer
              open={drawer !== null}
              onClose={() => setDrawer(null)}
              title={t(drawerTitles[drawer ?? 'call'])}
              size={drawer === 'escalate' ? 560 : 420}
              destroyOnHidden
            >
              {drawer === 'call' && (
                <CallOutcomeForm
                  borrowerId={loan.borrowerId}
                  loans={choice}
                  defaultLoanId={loan.loanId}
                  onDone={() => done(t('call.saved'))}
                />
              )}
              {drawer === 'plan' && (
                <PlanOfferForm
                  loans={choice}
                  defaultLoanId={loan.loanId}
                  onDone={(answer) => done(planSavedText(t, tx, answer))}
                />
              )}
              {drawer === 'notice' && (
                <StatusNoticeForm loanId={loan.loanId} onDone={(answer) => done(noticeSavedText(t, answer))} />
              )}
              {drawer === 'escalate' && (
                <OpenCaseEscalation borrowerId={loan.borrowerId} onEscalated={() => setGeneration((g) => g + 1)} />
              )}
            </Drawer>
          </Space>
        );
      }}
    </Loadable>
  );
}
