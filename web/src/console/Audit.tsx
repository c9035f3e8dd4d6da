// The compliance audit view: the append-only, hash-chained audit log (every staff action and every read
// of a borrower's personal data), newest first, filtered by staff member or borrower; a check of the
// whole chain (the same walk as `kuan audit verify`); and an export of the rows shown as JSON Lines.
import { Alert, Button, Card, Flex, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { saveBlob } from '../api/http.ts';
import * as api from '../api/staff.ts';
import type { AuditRow, AuditVerify } from '../api/types.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { canDo } from './roles.ts';
import { useStaff } from './session.tsx';

interface Filter {
  staff?: string;
  borrowerId?: string;
}

export function AuditPage() {
  const { t, lang } = useI18n();
  const member = useStaff();
  const [draft, setDraft] = useState<Filter>({});
  const [filter, setFilter] = useState<Filter>({});
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const state = useLoad((signal) => api.listAudit({ ...filter, cursor }, signal), [filter, cursor]);
  const [verify, setVerify] = useState<AuditVerify | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const runVerify = async () => {
    setBusy(true);
    setError(null);
    try {
      setVerify(await api.verifyAudit());
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const exportShown = () => {
    const rows = state.data?.items ?? [];
    const text = rows.map((row) => JSON.stringify(row)).join('\n');
    saveBlob(new Blob([`${text}\n`], { type: 'application/x-ndjson' }), `kuan-audit-${rows[0]?.seq ?? 0}.jsonl`);
  };

  return (
    <Card title={t('nav.audit')} data-testid="audit">
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Input
          placeholder={t('audit.staff')}
          style={{ width: 180 }}
          value={draft.staff}
          onChange={(e) => setDraft({ ...draft, staff: e.target.value })}
        />
        <Input
          placeholder={t('audit.borrower')}
          style={{ width: 180 }}
          value={draft.borrowerId}
          onChange={(e) => setDraft({ ...draft, borrowerId: e.target.value })}
        />
        <Button
          type="primary"
          onClick={() => {
            setFilter({ staff: draft.staff?.trim() || undefined, borrowerId: draft.borrowerId?.trim() || undefined });
            setCursors([undefined]);
          }}
        >
          {t('common.search')}
        </Button>
        {canDo(member, 'verifyAudit') && (
          <Button onClick={() => void runVerify()} loading={busy} data-testid="audit-verify">
            {t('audit.verify')}
          </Button>
        )}
        <Button onClick={exportShown} disabled={!state.data?.items.length}>
          {t('audit.export')}
        </Button>
      </Flex>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {verify && (
        <Alert
          style={{ marginBottom: 12 }}
          type={verify.ok ? 'success' : 'error'}
          showIcon
          data-testid="audit-verify-result"
          title={
            verify.ok
              ? t('audit.chainOk', { rows: verify.rowsChecked })
              : t('audit.chainBroken', { seq: verify.brokenSeq ?? '?' })
          }
          description={verify.reason}
        />
      )}
      <Loadable state={state}>
        {(page) => (
          <>
            <Table<AuditRow>
              size="small"
              rowKey="seq"
              dataSource={page.items}
              pagination={false}
              expandable={{
                expandedRowRender: (row) => (
                  <pre className="kuan-mono" style={{ fontSize: 12, margin: 0, whiteSpace: 'pre-wrap' }}>
                    {JSON.stringify(row.detail, null, 2)}
                    {`\nprev ${row.prevHash}\nhash ${row.hash}`}
                  </pre>
                ),
              }}
              columns={[
                { title: '#', dataIndex: 'seq', width: 72 },
                { title: t('audit.at'), render: (_, row) => formatInstant(row.at, lang) },
                { title: t('audit.actor'), render: (_, row) => `${row.actorKind}:${row.actorId}` },
                {
                  title: t('audit.action'),
                  dataIndex: 'action',
                  render: (action: string) => <Typography.Text className="kuan-mono">{action}</Typography.Text>,
                },
                {
                  title: t('audit.resource'),
                  dataIndex: 'resource',
                  render: (value: string) => (
                    <Typography.Text className="kuan-mono" style={{ fontSize: 12 }}>
                      {value}
                    </Typography.Text>
                  ),
                },
                { title: t('audit.borrower'), dataIndex: 'subjectBorrowerId' },
                {
                  title: t('audit.outcome'),
                  dataIndex: 'outcome',
                  render: (outcome: number) => <Tag color={outcome >= 400 ? 'red' : 'green'}>{outcome}</Tag>,
                },
                {
                  title: t('audit.hash'),
                  dataIndex: 'hash',
                  render: (hash: string) => (
                    <Typography.Text className="kuan-mono" style={{ fontSize: 11 }}>
                      {hash.slice(0, 12)}
                    </Typography.Text>
                  ),
                },
              ]}
            />
            <Space style={{ marginTop: 12 }}>
              <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t('common.previous')}
              </Button>
              <Button
                disabled={!page.nextCursor}
                onClick={() => setCursors((c) => [...c, page.nextCursor ?? undefined])}
              >
                {t('common.next')}
              </Button>
            </Space>
          </>
        )}
      </Loadable>
    </Card>
  );
}
