// The collector's workbench: take the next case from the work queue (the API claims it for the member),
// see why it came first, whether a call is allowed right now (the compliance gate's answer), the
// borrower's loans and recent contacts; record the call's outcome (a promise to pay with amount and
// date, a callback, …), offer a hardship plan or escalate the case. Also lists the member's open cases.
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Row, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../api/staff.ts';
import type { CaseItem, LoanListItem, NextCaseAnswer } from '../api/types.ts';
import { ErrorNotice, Loadable, useLoad } from '../components/common.tsx';
import { useI18n } from '../i18n.tsx';
import { ContactTimeline } from './ContactTimeline.tsx';
import { EscalationPanel } from './CaseActions.tsx';
import { CallOutcomeForm, PlanOfferForm, planSavedText } from './forms.tsx';
import { canDo } from './roles.ts';
import { useStaff } from './session.tsx';
import { bucketColor } from './Loans.tsx';

function CaseView({ answer, onDone }: { answer: NextCaseAnswer; onDone: (message: string) => void }) {
  const { t, tx } = useI18n();
  const staff = useStaff();
  const item = answer.case;
  const loansState = useLoad((signal) => api.listLoans({ borrowerId: item.borrowerId }, signal), [item.caseId]);
  const contacts = useLoad((signal) => api.listContacts(item.borrowerId, signal), [item.caseId]);
  const loans: LoanListItem[] = loansState.data?.items ?? [];
  const caseLoans = loans.filter((loan) => item.loanIds.includes(loan.loanId));
  const choices = (caseLoans.length ? caseLoans : loans).map((loan) => ({
    loanId: loan.loanId,
    bucket: loan.bucket,
    dpd: loan.dpd,
  }));
  const focusLoan = item.loanIds[0] ?? choices[0]?.loanId;
  const check = answer.callCheck;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} data-testid="case-header">
            <Descriptions.Item label={t('case.id')}>{item.caseId}</Descriptions.Item>
            <Descriptions.Item label={t('case.stage')}>{item.stage ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('loan.borrower')}>{item.borrowerId}</Descriptions.Item>
            <Descriptions.Item label={t('loan.phone')}>{answer.number ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('loan.dpd')}>{item.dpd}</Descriptions.Item>
            <Descriptions.Item label={t('loan.bucket')}>
              <Tag color={bucketColor(item.bucket)}>{item.bucket}</Tag>
            </Descriptions.Item>
          </Descriptions>
          {(answer.entry?.text ?? item.text) && (
            <Typography.Text type="secondary" className="kuan-mono" style={{ fontSize: 12 }}>
              {t('case.why')}: {answer.entry?.text ?? item.text}
            </Typography.Text>
          )}
          {check && (
            <Alert
              type={check.verdict === 'send' ? 'success' : 'warning'}
              showIcon
              data-testid="call-check"
              title={check.verdict === 'send' ? t('case.mayCall') : t('case.mayNotCall')}
              description={check.reasons.join(' · ')}
            />
          )}
          <Card size="small" title={t('nav.loans')}>
            <Loadable state={loansState}>
              {() => (
                <Table<LoanListItem>
                  size="small"
                  rowKey="loanId"
                  pagination={false}
                  dataSource={loans}
                  columns={[
                    {
                      title: t('loan.loanId'),
                      dataIndex: 'loanId',
                      render: (loanId: string) => (
                        <Link to={`/console/loans/${encodeURIComponent(loanId)}`}>{loanId}</Link>
                      ),
                    },
                    {
                      title: t('loan.status'),
                      dataIndex: 'status',
                      render: (value: string) => tx(`status.${value}`, value),
                    },
                    { title: t('loan.dpd'), dataIndex: 'dpd', align: 'right' },
                    {
                      title: t('loan.bucket'),
                      dataIndex: 'bucket',
                      render: (b: string) => <Tag color={bucketColor(b)}>{b}</Tag>,
                    },
                  ]}
                />
              )}
            </Loadable>
          </Card>
          <Card size="small" title={t('tab.contacts')}>
            <Loadable state={contacts}>
              {(result) => <ContactTimeline borrowerId={item.borrowerId} contacts={result.items.slice(0, 30)} />}
            </Loadable>
          </Card>
        </Space>
      </Col>
      <Col xs={24} xl={10}>
        <Card size="small">
          <Tabs
            items={[
              {
                key: 'call',
                label: t('call.record'),
                children: (
                  <CallOutcomeForm
                    borrowerId={item.borrowerId}
                    loans={choices}
                    caseId={item.caseId}
                    defaultLoanId={focusLoan}
                    onDone={() => onDone(t('call.saved'))}
                  />
                ),
              },
              {
                key: 'plan',
                label: t('plan.offer'),
                children: (
                  <PlanOfferForm
                    loans={choices}
                    defaultLoanId={focusLoan}
                    onDone={(result) => onDone(planSavedText(t, tx, result))}
                  />
                ),
              },
              ...(canDo(staff, 'escalateCase')
                ? [
                    {
                      key: 'escalate',
                      label: <span data-testid="tab-escalate">{t('escalate.action')}</span>,
                      children: (
                        <EscalationPanel borrowerId={item.borrowerId} caseId={item.caseId} stage={item.stage} />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}

export function WorkbenchPage() {
  const { t } = useI18n();
  const [current, setCurrent] = useState<NextCaseAnswer | null>(null);
  const [empty, setEmpty] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const staff = useStaff();
  const mine = useLoad((signal) => api.queue({ agentId: staff.username }, signal), [current?.case.caseId, saved]);

  const takeNext = async () => {
    setBusy(true);
    setError(undefined);
    setSaved(null);
    try {
      const next = await api.nextCase();
      setCurrent(next);
      setEmpty(next === null);
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const open = (item: CaseItem) => {
    setSaved(null);
    setEmpty(false);
    setCurrent({ case: item });
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="workbench">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('nav.workbench')}
        </Typography.Title>
        <Button type="primary" onClick={() => void takeNext()} loading={busy} data-testid="next-case">
          {t('case.next')}
        </Button>
      </Flex>
      <ErrorNotice error={error} />
      {saved && <Alert type="success" showIcon title={saved} data-testid="saved" />}
      {empty && <Empty description={t('case.queueEmpty')} />}
      {current && !saved && <CaseView key={current.case.caseId} answer={current} onDone={setSaved} />}
      <Card size="small" title={t('case.mine')}>
        <Loadable state={mine}>
          {(cases) => (
            <Table<CaseItem>
              size="small"
              rowKey="caseId"
              pagination={false}
              dataSource={cases}
              onRow={(item) => ({ onClick: () => open(item), style: { cursor: 'pointer' } })}
              columns={[
                { title: '#', dataIndex: 'rank', width: 48 },
                { title: t('case.id'), dataIndex: 'caseId' },
                { title: t('loan.borrower'), dataIndex: 'borrowerId' },
                { title: t('case.priority'), dataIndex: 'priority', align: 'right' },
                { title: t('case.stage'), dataIndex: 'stage' },
                { title: t('loan.dpd'), dataIndex: 'dpd', align: 'right' },
                { title: t('loan.bucket'), dataIndex: 'bucket' },
              ]}
            />
          )}
        </Loadable>
      </Card>
    </Space>
  );
}
