// The Strategies page's "Experiment results" panel: for a strategy running a champion/challenger
// experiment, the two arms compared over business dates from … through (GET /strategies/{name}/results,
// docs/decisions/0005-experiment-outcomes.md) — a table of each arm's counts and rates, the paid-rate
// lift (or why it is not known yet), and the paid rates side by side. A strategy without an experiment
// says so and asks nothing of the server.
import { Alert, Card, Col, Empty, Flex, Input, InputNumber, Row, Space, Statistic, Table, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import * as api from '../api/staff.ts';
import type { ArmResult, ExperimentResults, StrategyInfo } from '../api/types.ts';
import { EChart } from '../components/EChart.tsx';
import { Loadable, useLoad } from '../components/common.tsx';
import { formatRate } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { chartPercent, defaultSpan, experimentOf, isEmpty, liftPoints, pendingOutcomes } from './experiment.ts';

const armColors = { champion: '#5b8ff9', challenger: '#1f6f5c' } as const;

/** The viewer's calendar date (the panel's default span ends there). */
function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function Comparison({ results }: { results: ExperimentResults }) {
  const { t } = useI18n();
  const arms = [results.champion, results.challenger];
  const knownThrough = results.knownThrough ?? t('experiment.noClose');
  if (isEmpty(results)) {
    return (
      <Empty
        data-testid="experiment-empty"
        description={t('experiment.empty', { name: results.strategy, from: results.from, through: results.through })}
      />
    );
  }
  const lift = liftPoints(results.paidRateLift);
  const pending = pendingOutcomes(results);
  const cell = (field: string) => (value: number | string | null) => (
    <span data-testid={`arm-${field}`}>{value === null ? '—' : value}</span>
  );
  const rateCell = (field: string) => (value: string | null) => (
    <span data-testid={`arm-${field}`} data-value={value ?? ''}>
      {formatRate(value)}
    </span>
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={15}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Table<ArmResult>
            size="small"
            rowKey="arm"
            pagination={false}
            dataSource={arms}
            onRow={(arm) => ({ 'data-testid': `experiment-arm-${arm.arm}` }) as HTMLAttributes<HTMLElement>}
            columns={[
              {
                title: t('experiment.arm'),
                dataIndex: 'arm',
                render: (arm: ArmResult['arm']) => t(`experiment.arm.${arm}`),
              },
              { title: t('experiment.intents'), dataIndex: 'intents', align: 'right', render: cell('intents') },
              { title: t('experiment.sent'), dataIndex: 'sent', align: 'right', render: cell('sent') },
              {
                title: t('experiment.suppressed'),
                dataIndex: 'suppressed',
                align: 'right',
                render: cell('suppressed'),
              },
              { title: t('experiment.sentRate'), dataIndex: 'sentRate', align: 'right', render: rateCell('sentRate') },
              {
                title: t('experiment.outcomesKnown'),
                dataIndex: 'outcomesKnown',
                align: 'right',
                render: cell('outcomesKnown'),
              },
              { title: t('experiment.paid'), dataIndex: 'paid', align: 'right', render: cell('paid') },
              { title: t('experiment.paidRate'), dataIndex: 'paidRate', align: 'right', render: rateCell('paidRate') },
            ]}
          />
          <Statistic
            title={t('experiment.lift')}
            value={lift === null ? '—' : t('experiment.points', { n: lift })}
            data-testid="experiment-lift"
            data-value={results.paidRateLift ?? ''}
          />
          {lift === null && (
            <Alert
              type="info"
              showIcon
              title={t('experiment.liftUnknown', { knownThrough })}
              data-testid="lift-unknown"
            />
          )}
          {pending > 0 && (
            <Typography.Text type="secondary" data-testid="experiment-pending">
              {t('experiment.pending', { n: pending, knownThrough })}
            </Typography.Text>
          )}
        </Space>
      </Col>
      <Col xs={24} xl={9}>
        <Card size="small" title={t('experiment.chart')}>
          <EChart
            testId="chart-experiment-paid-rate"
            height={220}
            option={{
              tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${v}%` },
              grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
              xAxis: { type: 'category', data: arms.map((arm) => t(`experiment.arm.${arm.arm}`)) },
              yAxis: { type: 'value', axisLabel: { formatter: '{value}%' } },
              series: [
                {
                  type: 'bar',
                  barMaxWidth: 48,
                  data: arms.map((arm) => ({
                    value: chartPercent(arm) ?? '-',
                    itemStyle: { color: armColors[arm.arm] },
                  })),
                },
              ],
            }}
          />
        </Card>
      </Col>
    </Row>
  );
}

function Results({ name }: { name: string }) {
  const { t } = useI18n();
  const [span, setSpan] = useState(() => defaultSpan(localToday()));
  const [windowDays, setWindowDays] = useState(7);
  const state = useLoad(
    (signal) => api.experimentResults(name, { ...span, windowDays }, signal),
    [name, span.from, span.through, windowDays],
  );
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Flex gap={8} align="center" wrap>
        <span>{t('experiment.from')}</span>
        <Input
          type="date"
          style={{ width: 160 }}
          value={span.from}
          onChange={(event) => event.target.value && setSpan({ ...span, from: event.target.value })}
          data-testid="experiment-from"
        />
        <span>{t('experiment.through')}</span>
        <Input
          type="date"
          style={{ width: 160 }}
          value={span.through}
          onChange={(event) => event.target.value && setSpan({ ...span, through: event.target.value })}
          data-testid="experiment-through"
        />
        <span>{t('experiment.windowDays')}</span>
        <InputNumber
          min={0}
          max={90}
          precision={0}
          value={windowDays}
          onChange={(value) => setWindowDays(value ?? 7)}
          data-testid="experiment-window"
        />
      </Flex>
      <Loadable state={state}>
        {(results) => (
          <div
            data-testid="experiment-results"
            data-span={state.loading ? '' : `${results.from} ${results.through} ${results.windowDays}`}
          >
            <Comparison results={results} />
          </div>
        )}
      </Loadable>
    </Space>
  );
}

export function ExperimentPanel({ info }: { info: StrategyInfo }) {
  const { t } = useI18n();
  const experiment = experimentOf(info.strategy);
  return (
    <Card size="small" title={t('experiment.title', { name: info.name })} data-testid="experiment-panel">
      {experiment === null ? (
        <Alert type="info" showIcon title={t('experiment.none')} data-testid="experiment-none" />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('experiment.about', { experiment: experiment.name, percent: experiment.challengerPercent })}
          </Typography.Text>
          <Results name={info.name} />
        </Space>
      )}
    </Card>
  );
}
