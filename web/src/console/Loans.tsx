// The loan list: filter by bucket and status, open a loan by id, page forward with the API's cursor.
import { Button, Card, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import * as api from '../api/staff.ts';
import type { LoanListItem } from '../api/types.ts';
import { ErrorNotice, useLoad } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';

const BUCKETS = ['M0', 'M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+'];
const STATUSES = ['active', 'overdue', 'closed', 'charged_off'];

export function bucketColor(bucket: string): string {
  if (bucket === 'M0') return 'green';
  if (bucket === 'M1') return 'gold';
  if (bucket === 'M2' || bucket === 'M3') return 'orange';
  return 'red';
}

export function LoansPage() {
  const { t, tx } = useI18n();
  const navigate = useNavigate();
  // Filters live in the address (?status=overdue&bucket=M2), so a dashboard or a colleague can link a view.
  const [params, setParams] = useSearchParams();
  const bucket = params.get('bucket') ?? undefined;
  const status = params.get('status') ?? undefined;
  const setFilter = (name: 'bucket' | 'status', value: string | undefined) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    });
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const state = useLoad((signal) => api.listLoans({ bucket, status, cursor }, signal), [bucket, status, cursor]);

  const resetPaging = () => setCursors([undefined]);

  return (
    <Card
      title={t('nav.loans')}
      extra={
        <Input.Search
          placeholder={t('loans.openById')}
          allowClear
          enterButton={t('common.open')}
          onSearch={(value) => value.trim() && navigate(`/console/loans/${encodeURIComponent(value.trim())}`)}
          style={{ width: 280 }}
          data-testid="loan-search"
        />
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('loan.bucket')}
          style={{ width: 140 }}
          value={bucket}
          onChange={(value?: string) => {
            setFilter('bucket', value);
            resetPaging();
          }}
          options={BUCKETS.map((value) => ({ value, label: value }))}
          data-testid="filter-bucket"
        />
        <Select
          allowClear
          placeholder={t('loan.status')}
          style={{ width: 160 }}
          value={status}
          onChange={(value?: string) => {
            setFilter('status', value);
            resetPaging();
          }}
          options={STATUSES.map((value) => ({ value, label: tx(`status.${value}`, value) }))}
          data-testid="filter-status"
        />
      </Flex>
      <ErrorNotice error={state.error} />
      <Table<LoanListItem>
        size="small"
        rowKey="loanId"
        loading={state.loading}
        dataSource={state.data?.items ?? []}
        pagination={false}
        data-testid="loan-table"
        onRow={(loan) => ({ onDoubleClick: () => navigate(`/console/loans/${encodeURIComponent(loan.loanId)}`) })}
        columns={[
          {
            title: t('loan.loanId'),
            dataIndex: 'loanId',
            render: (loanId: string) => (
              <Link to={`/console/loans/${encodeURIComponent(loanId)}`} data-testid={`loan-link-${loanId}`}>
                {loanId}
              </Link>
            ),
          },
          { title: t('loan.borrower'), dataIndex: 'borrowerId' },
          { title: t('loan.status'), dataIndex: 'status', render: (value: string) => tx(`status.${value}`, value) },
          { title: t('loan.dpd'), dataIndex: 'dpd', align: 'right' },
          {
            title: t('loan.bucket'),
            dataIndex: 'bucket',
            render: (value: string) => <Tag color={bucketColor(value)}>{value}</Tag>,
          },
          { title: t('loan.product'), render: (_, loan) => loan.productId ?? '—' },
          { title: t('loan.closedThrough'), render: (_, loan) => loan.closedThrough ?? '—' },
          { title: t('loan.nextEvent'), render: (_, loan) => loan.nextEventDate ?? '—' },
        ]}
      />
      <Flex justify="space-between" style={{ marginTop: 12 }}>
        <Typography.Text type="secondary">{t('loans.page', { page: cursors.length })}</Typography.Text>
        <Flex gap={8}>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            {t('common.previous')}
          </Button>
          <Button
            disabled={!state.data?.nextCursor}
            onClick={() => setCursors((c) => [...c, state.data?.nextCursor ?? undefined])}
            data-testid="loans-next"
          >
            {t('common.next')}
          </Button>
        </Flex>
      </Flex>
    </Card>
  );
}
