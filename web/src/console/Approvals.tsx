// Approvals: requests that need a second person (a strategy activation, or a payment reversal above the
// threshold — approving it reverses the payment; the API names the kind).
// The pending ones come first; the other tabs are the history (approved, rejected, superseded — an
// activation approved first makes the other pending ones moot). A supervisor or admin approves or
// rejects with a comment; a request of one's own shows no decision buttons (the API refuses it too,
// `own_request`). Each row opens to what it changes and the document's digest.
import { Alert, Button, Card, Descriptions, Input, List, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import * as api from '../api/staff.ts';
import type { Approval } from '../api/types.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatInstant, formatMoney } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { APPROVAL_STATUS_LABELS, APPROVAL_STATUSES } from '../vocabulary.ts';
import { canDo } from './roles.ts';
import { useStaff } from './session.tsx';

interface StrategyDetail {
  strategy?: { name?: string; version?: number };
  digest?: string;
  changes?: { text?: string }[];
}

/** A payment reversal asked for: which payment, how much, why, dated when. */
function ReversalDetail({ approval }: { approval: Approval }) {
  const { t, tx } = useI18n();
  const reversal = approval.detail.reversal;
  if (reversal === undefined) return null;
  return (
    <Descriptions size="small" column={2} bordered data-testid={`approval-detail-${approval.approvalId}`}>
      <Descriptions.Item label={t('approval.reversalPayment')}>{reversal.paymentId}</Descriptions.Item>
      <Descriptions.Item label={t('approval.reversalLoan')}>{reversal.loanId}</Descriptions.Item>
      <Descriptions.Item label={t('ledger.amount')}>
        {formatMoney(reversal.amount, reversal.currency)}
      </Descriptions.Item>
      <Descriptions.Item label={t('reverse.reason')}>
        {tx(`reversal.${reversal.reason}`, reversal.reason)}
      </Descriptions.Item>
      <Descriptions.Item label={t('ledger.date')}>{reversal.on}</Descriptions.Item>
    </Descriptions>
  );
}

function Detail({ approval }: { approval: Approval }) {
  const { t } = useI18n();
  const detail = (approval.detail ?? {}) as StrategyDetail;
  if (approval.kind === 'payment_reversal') return <ReversalDetail approval={approval} />;
  if (approval.kind !== 'strategy_activation' || !Array.isArray(detail.changes)) {
    return (
      <pre className="kuan-mono" style={{ fontSize: 12, margin: 0, whiteSpace: 'pre-wrap' }}>
        {JSON.stringify(approval.detail, null, 2)}
      </pre>
    );
  }
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid={`approval-detail-${approval.approvalId}`}>
      {approval.comment && (
        <Typography.Text>
          {t('approval.requestComment')}: {approval.comment}
        </Typography.Text>
      )}
      {approval.decisionComment && (
        <Typography.Text>
          {t('approval.comment')} ({approval.decidedBy}): {approval.decisionComment}
        </Typography.Text>
      )}
      <List
        size="small"
        header={t('approval.changes')}
        dataSource={detail.changes}
        renderItem={(change) => <List.Item>{change.text}</List.Item>}
      />
      {detail.digest && (
        <Typography.Text type="secondary" className="kuan-mono" style={{ fontSize: 12 }}>
          SHA-256 {detail.digest}
        </Typography.Text>
      )}
    </Space>
  );
}

export function ApprovalsPage() {
  const { t, tx, lang } = useI18n();
  const staff = useStaff();
  const [status, setStatus] = useState<string>('pending');
  const state = useLoad((signal) => api.listApprovals(status, signal), [status]);
  const [deciding, setDeciding] = useState<{ approval: Approval; decision: 'approve' | 'reject' } | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const decide = async () => {
    if (!deciding) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.decideApproval(deciding.approval.approvalId, deciding.decision, comment.trim() || undefined);
      setDeciding(null);
      setComment('');
      setNotice(t('approval.decided'));
      state.reload();
    } catch (reason) {
      setError(errorText(reason));
      setDeciding(null);
    } finally {
      setBusy(false);
    }
  };

  const mayDecide = canDo(staff, 'decideApproval');

  return (
    <Card
      title={t('nav.approvals')}
      extra={
        <Segmented
          value={status}
          onChange={(value) => setStatus(String(value))}
          options={APPROVAL_STATUSES.map((value) => ({ value, label: t(APPROVAL_STATUS_LABELS[value]) }))}
        />
      }
      data-testid="approvals"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="approval-error" />}
      {notice && (
        <Alert type="success" showIcon title={notice} style={{ marginBottom: 12 }} data-testid="approval-decided" />
      )}
      <Loadable state={state}>
        {(page) => (
          <Table<Approval>
            size="small"
            rowKey="approvalId"
            dataSource={page.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              {
                title: t('approval.kind'),
                dataIndex: 'kind',
                render: (kind: string) => <Tag>{tx(`approval.kind.${kind}`, kind)}</Tag>,
              },
              {
                title: t('approval.subject'),
                render: (_, row) => row.summary ?? '—',
              },
              { title: t('approval.requestedBy'), dataIndex: 'requestedBy' },
              { title: t('approval.requestedAt'), render: (_, row) => formatInstant(row.requestedAt, lang) },
              {
                title: t('loan.status'),
                dataIndex: 'status',
                render: (value: string) => tx(`approval.${value}`, value),
              },
              ...(status === 'pending'
                ? []
                : [{ title: t('approval.decidedBy'), render: (_: unknown, row: Approval) => row.decidedBy ?? '—' }]),
              {
                title: '',
                render: (_, row) => {
                  if (row.status !== 'pending' || !mayDecide) return null;
                  if (row.requestedBy === staff.username) {
                    return (
                      <Typography.Text type="secondary" data-testid={`own-${row.approvalId}`}>
                        {t('approval.own')}
                      </Typography.Text>
                    );
                  }
                  return (
                    <Space>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => setDeciding({ approval: row, decision: 'approve' })}
                        data-testid={`approve-${row.approvalId}`}
                      >
                        {t('approval.approve')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        onClick={() => setDeciding({ approval: row, decision: 'reject' })}
                        data-testid={`reject-${row.approvalId}`}
                      >
                        {t('approval.reject')}
                      </Button>
                    </Space>
                  );
                },
              },
            ]}
            expandable={{
              rowExpandable: (row) => row.detail !== undefined,
              expandedRowRender: (row) => <Detail approval={row} />,
            }}
          />
        )}
      </Loadable>
      <Modal
        open={deciding !== null}
        title={deciding?.decision === 'approve' ? t('approval.approve') : t('approval.reject')}
        onOk={() => void decide()}
        onCancel={() => setDeciding(null)}
        confirmLoading={busy}
        okButtonProps={{ 'data-testid': 'approval-confirm' } as Record<string, string>}
      >
        <Typography.Paragraph>{deciding?.approval.summary ?? deciding?.approval.kind}</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder={t('approval.comment')}
          data-testid="approval-comment"
        />
      </Modal>
    </Card>
  );
}
