// Approvals: requests that need a second person (a strategy activation, a settlement or a plan above a
// collector's limit, a waiver). The API refuses a decision by the person who asked; this page shows the
// pending ones first and lets a supervisor approve or reject with a comment.
import { Alert, Button, Card, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import * as api from '../api/staff.ts';
import type { Approval } from '../api/types.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { canDo } from './roles.ts';
import { useStaff } from './session.tsx';

const STATUSES = ['pending', 'approved', 'rejected'] as const;

export function ApprovalsPage() {
  const { t, tx, lang } = useI18n();
  const staff = useStaff();
  const [status, setStatus] = useState<string>('pending');
  const state = useLoad((signal) => api.listApprovals(status, signal), [status]);
  const [deciding, setDeciding] = useState<{ approval: Approval; decision: 'approve' | 'reject' } | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const decide = async () => {
    if (!deciding) return;
    setBusy(true);
    setError(null);
    try {
      await api.decideApproval(deciding.approval.approvalId, deciding.decision, comment.trim() || undefined);
      setDeciding(null);
      setComment('');
      state.reload();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('nav.approvals')}
      extra={
        <Segmented
          value={status}
          onChange={(value) => setStatus(String(value))}
          options={STATUSES.map((value) => ({ value, label: tx(`approval.${value}`, value) }))}
        />
      }
      data-testid="approvals"
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
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
              {
                title: '',
                render: (_, row) =>
                  row.status === 'pending' && canDo(staff, 'decideApproval') ? (
                    <Space>
                      <Button
                        size="small"
                        type="primary"
                        onClick={() => setDeciding({ approval: row, decision: 'approve' })}
                        disabled={row.requestedBy === staff.username}
                        data-testid={`approve-${row.approvalId}`}
                      >
                        {t('approval.approve')}
                      </Button>
                      <Button size="small" danger onClick={() => setDeciding({ approval: row, decision: 'reject' })}>
                        {t('approval.reject')}
                      </Button>
                    </Space>
                  ) : null,
              },
            ]}
            expandable={{
              rowExpandable: (row) => row.detail !== undefined,
              expandedRowRender: (row) => (
                <pre className="kuan-mono" style={{ fontSize: 12, margin: 0, whiteSpace: 'pre-wrap' }}>
                  {JSON.stringify(row.detail, null, 2)}
                </pre>
              ),
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
      >
        <Typography.Paragraph>{deciding?.approval.summary ?? deciding?.approval.kind}</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder={t('approval.comment')}
        />
      </Modal>
    </Card>
  );
}
