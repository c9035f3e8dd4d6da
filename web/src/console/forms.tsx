// The forms a collector fills in at a call: the call's outcome (with a promise to pay, or a callback
// time in the borrower's local time) and a hardship plan offer. Shared by the loan page and the
// workbench. Amounts are typed as decimal strings and sent as such; dates as ISO dates. One form keeps
// one idempotency key until it succeeds, so a double submit records one call.
import { Alert, Button, DatePicker, Form, Input, InputNumber, Select, TimePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { newIdempotencyKey } from '../api/http.ts';
import * as api from '../api/staff.ts';
import type { CallOutcome, PlanRequestAnswer, ReasonCategory } from '../api/types.ts';
import { errorText } from '../components/common.tsx';
import { AMOUNT_PATTERN } from '../format.ts';
import { useI18n, type Translate } from '../i18n.tsx';
import {
  CALL_OUTCOME_LABELS,
  CALL_OUTCOMES,
  PLAN_TYPE_LABELS,
  PLAN_TYPES,
  REASON_CATEGORIES,
  REASON_CATEGORY_LABELS,
  type PlanType,
} from '../vocabulary.ts';

export interface LoanChoice {
  loanId: string;
  bucket: string;
  dpd: number;
}

interface CallValues {
  outcome: CallOutcome;
  loanId?: string;
  amount?: string;
  date?: Dayjs;
  callbackDate?: Dayjs;
  callbackTime?: Dayjs;
  note?: string;
}

function loanOptions(loans: readonly LoanChoice[]) {
  return loans.map((loan) => ({ value: loan.loanId, label: `${loan.loanId} · ${loan.bucket} · DPD ${loan.dpd}` }));
}

export function CallOutcomeForm({
  borrowerId,
  loans,
  caseId,
  defaultLoanId,
  onDone,
}: {
  borrowerId: string;
  loans: readonly LoanChoice[];
  caseId?: string;
  defaultLoanId?: string;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<CallValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey('call'));

  const submit = async (values: CallValues) => {
    setBusy(true);
    setError(null);
    try {
      const loanId = values.loanId ?? defaultLoanId ?? loans[0]?.loanId;
      // A call is logged on the borrower's open case: the workbench's, else the one the queue holds.
      const target = caseId ?? (await api.openCaseOf(borrowerId))?.caseId;
      if (!target) throw new Error(t('call.noCase'));
      await api.recordCall(
        { borrowerId, caseId: target },
        {
          outcome: values.outcome,
          loanIds: loanId ? [loanId] : undefined,
          note: values.note?.trim() || undefined,
          promise:
            values.outcome === 'promise' && loanId && values.amount && values.date
              ? { loanId, amount: values.amount.trim(), date: values.date.format('YYYY-MM-DD') }
              : undefined,
          callback:
            values.outcome === 'callback' && values.callbackDate && values.callbackTime
              ? { date: values.callbackDate.format('YYYY-MM-DD'), time: values.callbackTime.format('HH:mm') }
              : undefined,
        },
        idempotencyKey,
      );
      form.resetFields();
      setIdempotencyKey(newIdempotencyKey('call'));
      onDone();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<CallValues>
      form={form}
      layout="vertical"
      initialValues={{ outcome: 'connected', loanId: defaultLoanId ?? loans[0]?.loanId }}
      onFinish={(values) => void submit(values)}
    >
      <div data-testid="call-form">
        <Form.Item name="outcome" label={t('call.outcome')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="call-outcome"
            options={CALL_OUTCOMES.map((value) => ({ value, label: t(CALL_OUTCOME_LABELS[value]) }))}
          />
        </Form.Item>
        {loans.length > 1 && (
          <Form.Item name="loanId" label={t('loan.loanId')}>
            <Select options={loanOptions(loans)} />
          </Form.Item>
        )}
        {/* Read from the form's store whenever the outcome changes (antd's way for dependent fields): with
            Form.useWatch the promise fields twice failed to appear under a chosen outcome in a loaded CI browser. */}
        <Form.Item noStyle shouldUpdate={(before, after) => before.outcome !== after.outcome}>
          {({ getFieldValue }) => (
            <>
              {getFieldValue('outcome') === 'promise' && (
                <>
                  <Form.Item
                    name="amount"
                    label={t('promise.amount')}
                    rules={[
                      { required: true, message: t('form.required') },
                      { pattern: AMOUNT_PATTERN, message: t('form.amount') },
                    ]}
                  >
                    <Input inputMode="decimal" placeholder="500.00" data-testid="promise-amount" />
                  </Form.Item>
                  <Form.Item
                    name="date"
                    label={t('promise.date')}
                    rules={[{ required: true, message: t('form.required') }]}
                  >
                    <DatePicker style={{ width: '100%' }} data-testid="promise-date" />
                  </Form.Item>
                </>
              )}
              {getFieldValue('outcome') === 'callback' && (
                <>
                  <Form.Item
                    name="callbackDate"
                    label={t('call.callbackDate')}
                    rules={[{ required: true, message: t('form.required') }]}
                  >
                    <DatePicker style={{ width: '100%' }} data-testid="callback-date" />
                  </Form.Item>
                  <Form.Item
                    name="callbackTime"
                    label={t('call.callbackTime')}
                    extra={t('call.callbackLocal')}
                    rules={[{ required: true, message: t('form.required') }]}
                  >
                    <TimePicker format="HH:mm" minuteStep={5} style={{ width: '100%' }} data-testid="callback-time" />
                  </Form.Item>
                </>
              )}
            </>
          )}
        </Form.Item>
        <Form.Item name="note" label={t('call.note')}>
          <Input.TextArea rows={3} maxLength={2000} showCount data-testid="call-note" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="call-error" />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="call-submit">
          {t('call.record')}
        </Button>
      </div>
    </Form>
  );
}

interface PlanValues {
  type: PlanType;
  loanId?: string;
  reasonCategory?: ReasonCategory;
  reasonText?: string;
  days?: number;
  termCount?: number;
  settlementAmount?: string;
  settlementDeadline?: Dayjs;
  dayOfMonth?: number;
}

/** The plan document src/hardship/plans.ts parses: `{ type, … }`. */
export function planDocument(values: PlanValues): Record<string, unknown> {
  switch (values.type) {
    case 'deferral':
      return { type: 'deferral', days: values.days };
    case 're_installment':
      return { type: 're_installment', termCount: values.termCount };
    case 'settlement':
      return {
        type: 'settlement',
        amount: values.settlementAmount?.trim(),
        deadline: values.settlementDeadline?.format('YYYY-MM-DD'),
      };
    case 'due_date_change':
      return { type: 'due_date_change', dayOfMonth: values.dayOfMonth };
  }
}

/** What to tell the member after a plan request: who must approve it, if anyone. */
export function planSavedText(
  t: Translate,
  tx: (key: string, fallback?: string) => string,
  answer: PlanRequestAnswer,
): string {
  const approval = answer.offer?.approval;
  if (!approval) return t('plan.saved');
  return approval.required
    ? t('plan.savedNeedsApproval', { role: tx(`role.${approval.minimumRole}`, approval.minimumRole) })
    : t('plan.savedSelfService');
}

export function PlanOfferForm({
  loans,
  defaultLoanId,
  onDone,
}: {
  loans: readonly LoanChoice[];
  defaultLoanId?: string;
  onDone: (answer: PlanRequestAnswer) => void;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<PlanValues>();
  const type = Form.useWatch('type', form);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (values: PlanValues) => {
    setBusy(true);
    setError(null);
    try {
      const loanId = values.loanId ?? defaultLoanId ?? loans[0]?.loanId ?? '';
      const reasonId = values.reasonCategory
        ? (
            await api.recordReason(loanId, {
              category: values.reasonCategory,
              text: values.reasonText?.trim() || undefined,
            })
          ).reasonId
        : undefined;
      const answer = await api.offerPlan(loanId, { plan: planDocument(values), reasonId });
      form.resetFields();
      onDone(answer);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<PlanValues>
      form={form}
      layout="vertical"
      initialValues={{
        type: 're_installment',
        loanId: defaultLoanId ?? loans[0]?.loanId,
        termCount: 6,
        days: 30,
        dayOfMonth: 15,
      }}
      onFinish={(values) => void submit(values)}
    >
      <div data-testid="plan-form">
        <Form.Item name="type" label={t('plan.kind')}>
          <Select
            options={PLAN_TYPES.map((value) => ({ value, label: t(PLAN_TYPE_LABELS[value]) }))}
            data-testid="plan-kind"
          />
        </Form.Item>
        {loans.length > 1 && (
          <Form.Item name="loanId" label={t('loan.loanId')}>
            <Select options={loanOptions(loans)} />
          </Form.Item>
        )}
        {type === 'deferral' && (
          <Form.Item
            name="days"
            label={t('plan.deferralDays')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <InputNumber min={1} max={365} style={{ width: '100%' }} />
          </Form.Item>
        )}
        {type === 're_installment' && (
          <Form.Item
            name="termCount"
            label={t('plan.termCount')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <InputNumber min={1} max={60} style={{ width: '100%' }} data-testid="plan-terms" />
          </Form.Item>
        )}
        {type === 'settlement' && (
          <>
            <Form.Item
              name="settlementAmount"
              label={t('plan.settlementAmount')}
              rules={[
                { required: true, message: t('form.required') },
                { pattern: AMOUNT_PATTERN, message: t('form.amount') },
              ]}
            >
              <Input inputMode="decimal" />
            </Form.Item>
            <Form.Item
              name="settlementDeadline"
              label={t('plan.settlementDeadline')}
              rules={[{ required: true, message: t('form.required') }]}
            >
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </>
        )}
        {type === 'due_date_change' && (
          <Form.Item
            name="dayOfMonth"
            label={t('plan.newDueDay')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <InputNumber min={1} max={31} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item
          name="reasonCategory"
          label={t('plan.reason')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <Select
            data-testid="plan-reason"
            options={REASON_CATEGORIES.map((value) => ({ value, label: t(REASON_CATEGORY_LABELS[value]) }))}
          />
        </Form.Item>
        <Form.Item name="reasonText" label={t('plan.reasonText')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="plan-error" />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="plan-submit">
          {t('plan.offer')}
        </Button>
      </div>
    </Form>
  );
}
