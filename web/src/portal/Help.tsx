// Asking for help: a hold (缓催: collection contact drops to a low cadence for a while) or a repayment
// plan, with the reason (src/hardship/reasons.ts categories), a few words and evidence files (a hospital
// letter, a termination notice). The reason and its files are recorded first; the request names it.
// Lists the borrower's holds and plan requests with their status.
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Result,
  Segmented,
  Select,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import * as api from '../api/portal.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { AMOUNT_PATTERN } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import {
  EVIDENCE_ACCEPT,
  EVIDENCE_BYTES_MAX,
  EVIDENCE_FILES_MAX,
  HOLD_DAYS_MAX,
  PLAN_TYPE_LABELS,
  PLAN_TYPES,
  REASON_CATEGORIES,
  REASON_CATEGORY_LABELS,
  type PlanType,
} from '../vocabulary.ts';
import { useBorrowerId } from './session.tsx';
import type { LoanListItem, PlanItem, PlanRequestAnswer, ReasonCategory } from '../api/types.ts';

interface HelpValues {
  loanId?: string;
  category: ReasonCategory;
  text?: string;
  days?: number;
  planType?: PlanType;
  termCount?: number;
  deferralDays?: number;
  settlementAmount?: string;
  settlementDeadline?: Dayjs;
  dayOfMonth?: number;
}

function planOf(values: HelpValues): Record<string, unknown> {
  switch (values.planType ?? 're_installment') {
    case 'deferral':
      return { type: 'deferral', days: values.deferralDays };
    case 'settlement':
      return {
        type: 'settlement',
        amount: values.settlementAmount?.trim(),
        deadline: values.settlementDeadline?.format('YYYY-MM-DD'),
      };
    case 'due_date_change':
      return { type: 'due_date_change', dayOfMonth: values.dayOfMonth };
    case 're_installment':
      return { type: 're_installment', termCount: values.termCount };
  }
}

/** What the borrower sees after asking: a hold in place, or a plan offer to accept or awaiting approval. */
type HelpDone =
  | { kind: 'hold'; days: number; evidenceError: string | null; filesStored: number }
  | { kind: 'plan'; answer: PlanRequestAnswer; accepted: boolean };

/** A hold's reason as the contact state keeps it (shown in the gate's reasons): the category, then the words. */
export function holdReasonText(category: string, text: string | undefined): string {
  return (text ? `${category}: ${text}` : category).slice(0, 500);
}

function mostBehind(loans: readonly LoanListItem[]): LoanListItem | undefined {
  const open = loans.filter((loan) => loan.status !== 'closed');
  return [...(open.length ? open : loans)].sort((a, b) => b.dpd - a.dpd)[0];
}

async function loadPlans(signal: AbortSignal): Promise<PlanItem[]> {
  const loans = await api.myLoans(signal);
  const pages = await Promise.all(loans.items.slice(0, 20).map((loan) => api.loanPlans(loan.loanId, signal)));
  return pages.flatMap((page) => page.items);
}

export function PortalHelp() {
  const { t, tx } = useI18n();
  const borrowerId = useBorrowerId();
  const [params] = useSearchParams();
  const [form] = Form.useForm<HelpValues>();
  const planType = Form.useWatch('planType', form);
  const [kind, setKind] = useState<'hold' | 'plan'>('hold');
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [done, setDone] = useState<HelpDone | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loans = useLoad((signal) => api.myLoans(signal), []);
  const holds = useLoad((signal) => api.holds(borrowerId, signal), [borrowerId, done]);
  const plans = useLoad((signal) => loadPlans(signal), [borrowerId, done]);

  const submit = async (values: HelpValues) => {
    setBusy(true);
    setError(null);
    try {
      const evidence = files.flatMap((file) => (file.originFileObj ? [file.originFileObj] : []));
      const text = values.text?.trim();
      const reason = { category: values.category, ...(text ? { text } : {}) };
      // Reasons are kept per loan: the one chosen, else the loan furthest behind (what the hardship is about).
      const loanId = values.loanId ?? mostBehind(loans.data?.items ?? [])?.loanId;
      if (kind === 'hold') {
        // The hold first: it is what stops the pressure. The reason and its evidence go on the loan after;
        // if that part fails the hold stands and the borrower is told what was not stored.
        const days = values.days ?? 14;
        await api.contactEvent(borrowerId, { type: 'hold', days, reason: holdReasonText(values.category, text) });
        let evidenceError: string | null = null;
        let filesStored = 0;
        if (loanId) {
          try {
            const recorded = await api.recordReason(loanId, reason, evidence);
            filesStored = recorded.evidence?.length ?? 0;
          } catch (failure) {
            evidenceError = errorText(failure);
          }
        }
        setDone({ kind: 'hold', days, evidenceError, filesStored });
      } else {
        if (!loanId) throw new Error(t('portal.whichLoan'));
        const { reasonId } = await api.recordReason(loanId, reason, evidence);
        const answer = await api.askForPlan(loanId, { plan: planOf(values), reasonId });
        setDone({ kind: 'plan', answer, accepted: false });
      }
      setFiles([]);
      form.resetFields();
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const accept = async (answer: PlanRequestAnswer) => {
    setBusy(true);
    setError(null);
    try {
      await api.acceptPlan(answer.planId);
      setDone({ kind: 'plan', answer, accepted: true });
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  const result = (finished: HelpDone) => {
    if (finished.kind === 'hold') {
      return (
        <Result
          status={finished.evidenceError ? 'warning' : 'success'}
          title={t('portal.holdAsked', { days: finished.days })}
          subTitle={
            finished.evidenceError
              ? t('portal.evidenceNotStored', { error: finished.evidenceError })
              : finished.filesStored > 0
                ? `${t('portal.holdExplained')} ${t('portal.filesStored', { count: finished.filesStored })}`
                : t('portal.holdExplained')
          }
          extra={<Button onClick={() => setDone(null)}>{t('portal.askAgain')}</Button>}
          data-testid="help-result"
        />
      );
    }
    const approval = finished.answer.offer?.approval;
    const selfService = approval !== undefined && !approval.required;
    return (
      <Result
        status="success"
        title={finished.accepted ? t('portal.planAccepted') : t('portal.planAsked')}
        subTitle={
          finished.accepted
            ? undefined
            : selfService
              ? t('portal.planSelfService')
              : t('portal.planNeedsApproval', {
                  role: tx(`role.${approval?.minimumRole ?? ''}`, approval?.minimumRole ?? ''),
                })
        }
        extra={[
          selfService && !finished.accepted ? (
            <Button
              key="accept"
              type="primary"
              loading={busy}
              onClick={() => void accept(finished.answer)}
              data-testid="plan-accept"
            >
              {t('portal.acceptPlan')}
            </Button>
          ) : null,
          <Button key="again" onClick={() => setDone(null)}>
            {t('portal.askAgain')}
          </Button>,
        ]}
        data-testid="help-result"
      />
    );
  };

  return (
    <>
      <Card size="small" title={t('portal.helpTitle')}>
        <div data-testid="help-form">
          {done ? (
            result(done)
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('portal.helpText')}</Typography.Paragraph>
              <Segmented<'hold' | 'plan'>
                block
                value={kind}
                onChange={setKind}
                options={[
                  { value: 'hold', label: <span data-testid="help-kind-hold">{t('portal.hold')}</span> },
                  { value: 'plan', label: <span data-testid="help-kind-plan">{t('portal.plan')}</span> },
                ]}
                style={{ marginBottom: 12 }}
              />
              <Form<HelpValues>
                form={form}
                layout="vertical"
                initialValues={{
                  loanId: params.get('loanId') ?? undefined,
                  days: 14,
                  planType: 're_installment',
                  termCount: 6,
                  deferralDays: 30,
                  dayOfMonth: 15,
                }}
                onFinish={(values) => void submit(values)}
              >
                <Form.Item
                  name="loanId"
                  label={t('portal.whichLoan')}
                  rules={kind === 'plan' ? [{ required: true, message: t('form.required') }] : []}
                >
                  <Select
                    allowClear
                    placeholder={t('portal.allLoans')}
                    options={(loans.data?.items ?? []).map((loan) => ({
                      value: loan.loanId,
                      label: `${loan.productId ?? t('portal.loan')} · ${loan.loanId}`,
                    }))}
                  />
                </Form.Item>
                <Form.Item
                  name="category"
                  label={t('portal.reason')}
                  rules={[{ required: true, message: t('form.required') }]}
                >
                  <Select
                    data-testid="help-reason"
                    options={REASON_CATEGORIES.map((value) => ({ value, label: t(REASON_CATEGORY_LABELS[value]) }))}
                  />
                </Form.Item>
                {kind === 'hold' ? (
                  <Form.Item name="days" label={t('portal.holdDays')}>
                    <InputNumber min={1} max={HOLD_DAYS_MAX} style={{ width: '100%' }} data-testid="help-days" />
                  </Form.Item>
                ) : (
                  <>
                    <Form.Item name="planType" label={t('plan.kind')}>
                      <Select options={PLAN_TYPES.map((value) => ({ value, label: t(PLAN_TYPE_LABELS[value]) }))} />
                    </Form.Item>
                    {(planType ?? 're_installment') === 're_installment' && (
                      <Form.Item name="termCount" label={t('plan.termCount')}>
                        <InputNumber min={1} max={60} style={{ width: '100%' }} />
                      </Form.Item>
                    )}
                    {planType === 'deferral' && (
                      <Form.Item name="deferralDays" label={t('plan.deferralDays')}>
                        <InputNumber min={1} max={365} style={{ width: '100%' }} />
                      </Form.Item>
                    )}
                    {planType === 'settlement' && (
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
                          <DatePicker inputReadOnly style={{ width: '100%' }} />
                        </Form.Item>
                      </>
                    )}
                    {planType === 'due_date_change' && (
                      <Form.Item name="dayOfMonth" label={t('plan.newDueDay')}>
                        <InputNumber min={1} max={31} style={{ width: '100%' }} />
                      </Form.Item>
                    )}
                  </>
                )}
                <Form.Item name="text" label={t('portal.detail')}>
                  <Input.TextArea rows={3} maxLength={2000} showCount data-testid="help-detail" />
                </Form.Item>
                <Form.Item
                  label={t('portal.evidence')}
                  extra={t('portal.evidenceText', { files: EVIDENCE_FILES_MAX, mb: EVIDENCE_BYTES_MAX / 1024 / 1024 })}
                >
                  <Upload
                    fileList={files}
                    multiple
                    maxCount={EVIDENCE_FILES_MAX}
                    accept={EVIDENCE_ACCEPT}
                    beforeUpload={(file) => {
                      if (file.size > EVIDENCE_BYTES_MAX) {
                        setError(t('portal.fileTooBig', { name: file.name }));
                        return Upload.LIST_IGNORE;
                      }
                      return false;
                    }}
                    onChange={({ fileList }) => setFiles(fileList)}
                  >
                    <Button data-testid="help-evidence">{t('portal.addFile')}</Button>
                  </Upload>
                </Form.Item>
                {error && (
                  <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="help-error" />
                )}
                <Button type="primary" size="large" block htmlType="submit" loading={busy} data-testid="help-submit">
                  {kind === 'hold' ? t('portal.askHold') : t('portal.askPlan')}
                </Button>
              </Form>
            </>
          )}
        </div>
      </Card>
      <Card size="small" title={t('arrangements.holds')}>
        <Loadable state={holds}>
          {(page) =>
            page.items.length ? (
              <List
                size="small"
                dataSource={page.items}
                data-testid="my-holds"
                renderItem={(hold) => (
                  <List.Item key={`${hold.fromDate}-${hold.reason}`}>
                    <span>
                      {tx(`reason.${hold.reason}`, hold.reason)} · {hold.fromDate} → {hold.untilDate}
                    </span>
                    {hold.status && <Tag>{tx(`request.${hold.status}`, hold.status)}</Tag>}
                  </List.Item>
                )}
              />
            ) : (
              <Empty description={t('portal.noHolds')} />
            )
          }
        </Loadable>
      </Card>
      <Card size="small" title={t('arrangements.plans')}>
        <Loadable state={plans}>
          {(items) =>
            items.length ? (
              <List
                size="small"
                dataSource={items}
                renderItem={(plan: PlanItem) => {
                  const type = plan.planType ?? '';
                  return (
                    <List.Item key={plan.planId}>
                      <span>
                        {tx(`plan.kind.${type}`, type)} · {plan.loanId}
                      </span>
                      <Tag>{tx(`request.${plan.status}`, plan.status)}</Tag>
                    </List.Item>
                  );
                }}
              />
            ) : (
              <Empty description={t('portal.noPlans')} />
            )
          }
        </Loadable>
      </Card>
    </>
  );
}
