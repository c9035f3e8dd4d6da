// The Day page: how the lender's production day went (GET /day-runs, recorded by `kuan day` and the
// scheduler). A stacked bar per business date of its stages' durations, so a stage that grew shows at a
// glance; then each date, newest first and the newest open, with its seven stages in pipeline order —
// status (a failed one with its error), attempts, start, finish, duration and the stage's counts.
import { Button, Card, Collapse, Empty, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import * as api from '../api/staff.ts';
import type { DayRun } from '../api/types.ts';
import { EChart, type ChartOption } from '../components/EChart.tsx';
import { Loadable, useLoad } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n, type Translate } from '../i18n.tsx';
import {
  countEntries,
  dayDurationMs,
  dayStages,
  durationChart,
  durationParts,
  stageDurationMs,
  stageLabels,
  stageRows,
  type StageRow,
} from './day.ts';

const palette = ['#1f6f5c', '#5b8ff9', '#f6bd16', '#e8684a', '#6dc8ec', '#9270ca', '#ff9d4d'];
const statusColors: Record<StageRow['status'], string> = {
  completed: 'green',
  running: 'processing',
  failed: 'red',
  not_run: 'default',
};
const dayChoices = [7, 30, 90];
const nowrap = { whiteSpace: 'nowrap' } as const;

function duration(ms: number | null, t: Translate): string {
  if (ms === null) return '—';
  const { key, vars } = durationParts(ms);
  return t(key, vars);
}

function DurationChart({ runs }: { runs: readonly DayRun[] }) {
  const { t } = useI18n();
  const option = useMemo<ChartOption>(() => {
    const chart = durationChart(runs);
    return {
      color: palette,
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (value: unknown) => (typeof value === 'number' ? duration(value * 1000, t) : '—'),
      },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: chart.dates, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', name: t('day.chartAxis') },
      series: chart.series.map((series) => ({
        name: t(stageLabels[series.stage]),
        type: 'bar',
        stack: 'day',
        data: series.seconds,
        emphasis: { focus: 'series' },
      })),
    };
  }, [runs, t]);
  return <EChart testId="day-chart" height={300} option={option} />;
}

function StageTable({ run }: { run: DayRun }) {
  const { t, tx, lang } = useI18n();
  return (
    <Table<StageRow>
      size="small"
      pagination={false}
      rowKey="stage"
      dataSource={stageRows(run)}
      data-testid={`day-stages-${run.businessDate}`}
      onRow={(row) => ({ 'data-testid': `day-stage-${row.stage}` }) as React.HTMLAttributes<HTMLElement>}
      columns={[
        { title: t('day.stage'), render: (_, row) => <span style={nowrap}>{t(stageLabels[row.stage])}</span> },
        {
          title: t('day.status'),
          render: (_, row) => (
            <Space orientation="vertical" size={2}>
              <Tag color={statusColors[row.status]} data-testid="stage-status">
                {t(`day.status.${row.status}`)}
              </Tag>
              {row.status !== 'not_run' && row.error && (
                <Typography.Text type="danger" data-testid="stage-error">
                  {row.error}
                </Typography.Text>
              )}
            </Space>
          ),
        },
        {
          title: <span style={nowrap}>{t('day.attempts')}</span>,
          align: 'right',
          render: (_, row) => (row.status === 'not_run' ? '—' : row.attempts),
        },
        {
          title: t('day.startedAt'),
          render: (_, row) => (row.status === 'not_run' ? '—' : formatInstant(row.startedAt, lang)),
        },
        {
          title: t('day.finishedAt'),
          render: (_, row) => (row.status === 'not_run' ? '—' : formatInstant(row.finishedAt, lang)),
        },
        {
          title: t('day.duration'),
          align: 'right',
          render: (_, row) => <span style={nowrap}>{duration(stageDurationMs(row), t)}</span>,
        },
        {
          title: t('day.counts'),
          render: (_, row) =>
            row.status === 'not_run' ? null : (
              <Flex wrap gap={4} data-testid="stage-counts">
                {countEntries(row.counts).map(([name, value]) => (
                  <Tag key={name} bordered={false} data-testid={`count-${name}`}>
                    {tx(`day.count.${name}`, name)}{' '}
                    <strong>{typeof value === 'boolean' ? t(value ? 'day.yes' : 'day.no') : value}</strong>
                  </Tag>
                ))}
              </Flex>
            ),
        },
      ]}
    />
  );
}

function DayRuns({ runs }: { runs: readonly DayRun[] }) {
  const { t } = useI18n();
  if (!runs.length) {
    return (
      <Empty description={t('day.empty')} data-testid="day-empty">
        <Typography.Paragraph type="secondary">{t('day.emptyHint')}</Typography.Paragraph>
        <Space orientation="vertical" size={4}>
          <Typography.Text code>kuan day --date D</Typography.Text>
          <Typography.Text code>kuan serve --schedule</Typography.Text>
        </Space>
      </Empty>
    );
  }
  return (
    <Flex vertical gap={16}>
      <Card title={t('day.chart')} size="small">
        <DurationChart runs={runs} />
      </Card>
      <Collapse
        defaultActiveKey={[runs[0]!.businessDate]}
        items={runs.map((run) => ({
          key: run.businessDate,
          label: (
            <Space wrap data-testid={`day-run-${run.businessDate}`}>
              <Typography.Text strong>{run.businessDate}</Typography.Text>
              <Tag color={statusColors[run.status]} data-testid="day-status">
                {t(`day.status.${run.status}`)}
              </Tag>
              <Typography.Text type="secondary">
                {t('day.stagesDone', {
                  done: run.stages.filter((stage) => stage.status === 'completed').length,
                  all: dayStages.length,
                })}
                {' · '}
                {t('day.total', { duration: duration(dayDurationMs(run), t) })}
              </Typography.Text>
            </Space>
          ),
          children: <StageTable run={run} />,
        }))}
      />
    </Flex>
  );
}

export function DayPage() {
  const { t } = useI18n();
  const [days, setDays] = useState(30);
  const state = useLoad((signal) => api.listDayRuns(days, signal), [days]);
  return (
    <Card
      title={t('nav.day')}
      data-testid="day"
      extra={
        <Space>
          <Select<number>
            size="small"
            value={days}
            onChange={setDays}
            options={dayChoices.map((value) => ({ value, label: t('day.days', { days: value }) }))}
            data-testid="day-days"
          />
          <Button size="small" onClick={state.reload} loading={state.loading} data-testid="day-reload">
            {t('day.reload')}
          </Button>
        </Space>
      }
    >
      <Loadable state={state}>{(answer) => <DayRuns runs={answer.items} />}</Loadable>
    </Card>
  );
}
