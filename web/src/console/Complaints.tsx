// Complaints: every ticket with its deadline (a late one is marked, and one whose breach `kuan day`
// alerted says when), filtered by status and, for compliance, to the breached ones only; a member with
// the right role reviews or closes it with a resolution. Statuses and categories follow
// src/hardship/complaints.ts (open → reviewed → closed).
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Drawer,
  Form,
  Input,
  Segmented,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import * as api from '../api/staff.ts';
import type { Complaint, ComplaintUpdate } from '../api/types.ts';
import { COMPLAINT_STATUS_LABELS, COMPLAINT_STATUSES } from '../vocabulary.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { canDo } from './roles.ts';
import { useStaff } from './session.tsx';

function isLate(complaint: Complaint, nowMs: number): boolean {
  if (!complaint.deadlineAt || complaint.status === 'closed') return false;
  return new Date(complaint.deadlineAt).getTime() < nowMs;
}

export function ComplaintsPage() {
  const { t, tx, lang } = useI18n();
  const staff = useStaff();
  const [status, setStatus] = useState<string>('open');
  const [breachedOnly, setBreachedOnly] = useState(false);
  const state = useLoad(
    (signal) =>
      api.listComplaints(
        { status: status === 'all' ? undefined : status, breached: breachedOnly ? 'true' : undefined },
        signal,
      ),
    [status, breachedOnly],
  );
  const [editing, setEditing] = useState<Complaint | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [nowMs] = useState(() => Date.now());

  const save = async (values: ComplaintUpdate) => {
    if (!editing) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const answer = await api.updateComplaint(editing, {
        status: values.status,
        resolution: values.resolution?.trim() || undefined,
      });
      setEditing(null);
      if (answer.liftedPause) setNotice(t('complaint.liftedPause'));
      state.reload();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={t('nav.complaints')}
      data-testid="complaints"
      extra={
        <Space wrap>
          <Checkbox
            checked={breachedOnly}
            onChange={(event) => setBreachedOnly(event.target.checked)}
            data-testid="complaints-breached"
          >
            {t('complaint.breachedOnly')}
          </Checkbox>
          <Segmented
            value={status}
            onChange={(value) => setStatus(String(value))}
            options={[...COMPLAINT_STATUSES, 'all'].map((value) => ({ value, label: tx(`complaint.${value}`, value) }))}
          />
        </Space>
      }
    >
      {notice && (
        <Alert
          type="success"
          showIcon
          title={notice}
          closable
          onClose={() => setNotice(null)}
          style={{ marginBottom: 12 }}
          data-testid="complaint-notice"
        />
      )}
      <Loadable state={state}>
        {(page) => (
          <Table<Complaint>
            size="small"
            rowKey={(row) => `${row.borrowerId}/${row.complaintId}`}
            dataSource={page.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('complaint.id'), dataIndex: 'complaintId' },
              { title: t('loan.borrower'), dataIndex: 'borrowerId' },
              {
                title: t('complaint.category'),
                dataIndex: 'category',
                render: (c: string) => tx(`complaint.category.${c}`, c),
              },
              {
                title: t('complaint.text'),
                dataIndex: 'text',
                render: (text?: string) => (
                  <Typography.Text ellipsis={{ tooltip: text }} style={{ maxWidth: 280 }}>
                    {text}
                  </Typography.Text>
                ),
              },
              { title: t('complaint.created'), render: (_, row) => formatInstant(row.createdAt, lang) },
              {
                title: t('complaint.deadline'),
                render: (_, row) => (
                  <span>
                    {formatInstant(row.deadlineAt ?? null, lang)}{' '}
                    {isLate(row, nowMs) && !row.breachAlertedAt && <Tag color="red">{t('complaint.late')}</Tag>}
                    {row.breachAlertedAt && (
                      <Tag color="red" data-testid={`complaint-breached-${row.complaintId}`}>
                        {t('complaint.breached', { at: formatInstant(row.breachAlertedAt, lang) })}
                      </Tag>
                    )}
                  </span>
                ),
              },
              {
                title: t('loan.status'),
                dataIndex: 'status',
                render: (value: string) => <Tag>{tx(`complaint.${value}`, value)}</Tag>,
              },
              {
                title: '',
                render: (_, row) =>
                  canDo(staff, 'handleComplaint') && row.status !== 'closed' ? (
                    <Button
                      size="small"
                      onClick={() => setEditing(row)}
                      data-testid={`complaint-edit-${row.complaintId}`}
                    >
                      {t('complaint.handle')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Loadable>
      <Drawer
        open={editing !== null}
        onClose={() => setEditing(null)}
        title={t('complaint.handle')}
        size={420}
        destroyOnHidden
      >
        {editing && (
          <Form
            layout="vertical"
            initialValues={{
              status: editing.status === 'open' ? 'reviewed' : 'closed',
              resolution: editing.resolution ?? '',
            }}
            onFinish={(values: ComplaintUpdate) => void save(values)}
          >
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{editing.text}</Typography.Paragraph>
            {editing.reviewNote && (
              <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
                {editing.reviewedBy ? `${editing.reviewedBy}: ` : ''}
                {editing.reviewNote}
              </Typography.Paragraph>
            )}
            <Form.Item name="status" label={t('loan.status')}>
              <Select
                data-testid="complaint-status"
                options={COMPLAINT_STATUSES.filter((s) => s !== 'open').map((value) => ({
                  value,
                  label: t(COMPLAINT_STATUS_LABELS[value]),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="resolution"
              label={t('complaint.resolution')}
              dependencies={['status']}
              rules={[
                ({ getFieldValue }) => ({
                  validator: (_rule, value?: string) =>
                    getFieldValue('status') === 'closed' && !value?.trim()
                      ? Promise.reject(new Error(t('complaint.resolutionToClose')))
                      : Promise.resolve(),
                }),
              ]}
            >
              <Input.TextArea rows={4} maxLength={2000} data-testid="complaint-resolution" />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="complaint-save">
              {t('common.save')}
            </Button>
          </Form>
        )}
      </Drawer>
    </Card>
  );
}
