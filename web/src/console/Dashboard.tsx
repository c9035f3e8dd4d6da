// The portfolio dashboard: the book by bucket, roll and cure rates, the promise-kept rate, contacts by
// channel, suppressions by reason and the collections curve, each from its /api/v1/reports/* endpoint
// (definitions in docs/reports.md; roll and cure rates over the last six month ends, the curve by month of
// delinquency). Rates arrive as decimal fractions and are drawn as percents; a null rate (no loan in the
// bucket) is a gap, and an empty book shows "no data".
// Each card loads on its own, so a report the server does not offer shows "not available" and the rest
// still render.
import { Card, Col, Empty, Row as GridRow, Statistic, Table, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import * as api from '../api/staff.ts';
import { EChart, type ChartOption } from '../components/EChart.tsx';
import { Loadable, useLoad } from '../components/common.tsx';
import { useI18n, type Translate } from '../i18n.tsx';
import {
  curveSeries,
  numberOf,
  ratePercent,
  rateBars,
  rowsOf,
  sortBuckets,
  stack,
  textOf,
  type Row,
} from './reports.ts';

const palette = ['#1f6f5c', '#5b8ff9', '#f6bd16', '#e8684a', '#6dc8ec', '#9270ca', '#ff9d4d', '#269a99'];

function barOption(options: {
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
  stacked?: boolean;
  percent?: boolean;
  horizontal?: boolean;
}): ChartOption {
  const valueAxis = { type: 'value', axisLabel: options.percent ? { formatter: '{value}%' } : {} };
  const categoryAxis = { type: 'category', data: options.categories, axisLabel: { interval: 0, hideOverlap: true } };
  return {
    color: palette,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, type: 'scroll' },
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: options.horizontal ? valueAxis : categoryAxis,
    yAxis: options.horizontal ? categoryAxis : valueAxis,
    series: options.series.map((s) => ({
      name: s.name,
      type: 'bar',
      stack: options.stacked ? 'total' : undefined,
      data: s.values,
      emphasis: { focus: 'series' },
    })),
  };
}

function ReportCard({
  title,
  name,
  testId,
  render,
}: {
  title: string;
  /** `book` (GET /reports/book) or a wanted report. */
  name: 'book' | api.ReportName;
  testId: string;
  render: (body: unknown, t: Translate) => ReactNode;
}) {
  const { t } = useI18n();
  const state = useLoad<unknown>(
    (signal) => (name === 'book' ? api.bookReport(signal) : api.report(name, signal)),
    [name],
  );
  return (
    <Card title={title} size="small" data-testid={testId} style={{ height: '100%' }}>
      <Loadable state={state}>{(body) => render(body, t)}</Loadable>
    </Card>
  );
}

function BookByBucket({ body }: { body: unknown }) {
  const { t, tx } = useI18n();
  const rows = rowsOf(body, 'buckets');
  const chart = useMemo(
    () =>
      stack(rows, {
        category: ['bucket'],
        stack: ['status', 'currency'],
        value: ['loans', 'count'],
        sortCategories: sortBuckets,
      }),
    [rows],
  );
  const total = rows.reduce((sum, row) => sum + (numberOf(row, 'loans', 'count') ?? 0), 0);
  if (!rows.length) return <Empty description={t('common.noData')} />;
  return (
    <>
      <Typography.Text type="secondary">{t('dashboard.loansTotal', { count: total })}</Typography.Text>
      <EChart
        testId="chart-buckets"
        option={barOption({
          categories: chart.categories,
          series: chart.series.map((s) => ({ ...s, name: tx(`status.${s.name}`, s.name) })),
          stacked: true,
        })}
      />
    </>
  );
}

/** The first and last snapshot dates a roll- or cure-rate answer compared, when it says. */
function snapshotRange(body: unknown): { from: string; to: string } | undefined {
  const snapshots = (body as { snapshots?: unknown } | null)?.snapshots;
  if (!Array.isArray(snapshots) || snapshots.length < 2) return undefined;
  const [from, to] = [snapshots[0], snapshots[snapshots.length - 1]];
  return typeof from === 'string' && typeof to === 'string' ? { from, to } : undefined;
}

function RateBars({
  body,
  fromKeys,
  rateKeys,
  movedKeys,
  testId,
}: {
  body: unknown;
  fromKeys: string[];
  rateKeys: string[];
  movedKeys: string[];
  testId: string;
}) {
  const { t } = useI18n();
  const bars = rateBars(rowsOf(body, 'rates', 'buckets'), { fromKeys, rateKeys, movedKeys });
  // An empty book, or no loan in any bucket at the first date: nothing to draw.
  if (!bars.some((bar) => bar.value !== null)) return <Empty description={t('common.noData')} />;
  const range = snapshotRange(body);
  const option = barOption({
    categories: bars.map((bar) => bar.label),
    series: [{ name: t('dashboard.rate'), values: bars.map((bar) => bar.value) }],
    percent: true,
  });
  option.tooltip = {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    formatter: (params: unknown) => {
      const index = (Array.isArray(params) ? (params[0] as { dataIndex?: number }) : undefined)?.dataIndex ?? -1;
      const bar = bars[index];
      if (!bar) return '';
      const counts =
        bar.moved !== undefined && bar.loans !== undefined
          ? `<br/>${t('dashboard.movedOf', { moved: bar.moved, loans: bar.loans })}`
          : '';
      return `${bar.label}: ${bar.value === null ? '—' : `${bar.value}%`}${counts}`;
    },
  };
  return (
    <>
      {range && (
        <Typography.Text type="secondary">
          {t('dashboard.snapshots', { from: range.from, to: range.to })}
        </Typography.Text>
      )}
      <EChart testId={testId} height={260} option={option} />
    </>
  );
}

function PromiseKept({ body }: { body: unknown }) {
  const { t } = useI18n();
  const record = (Array.isArray(body) ? body[0] : body) as Row | undefined;
  const made = numberOf(record, 'made', 'total', 'promises') ?? 0;
  const kept = numberOf(record, 'kept') ?? 0;
  const partly = numberOf(record, 'partlyKept', 'partly_kept') ?? 0;
  const broken = numberOf(record, 'broken') ?? 0;
  const open = numberOf(record, 'open') ?? 0;
  const rate = record ? ratePercent(record, 'keptRate', 'rate') : undefined;
  const judged = kept + partly + broken;
  const shown = rate ?? (judged ? Math.round((kept / judged) * 10000) / 100 : undefined);
  return (
    <GridRow gutter={12}>
      <Col span={12}>
        <Statistic
          title={t('dashboard.promiseKeptRate')}
          value={shown ?? '—'}
          suffix={shown !== undefined ? '%' : ''}
        />
      </Col>
      <Col span={12}>
        <Statistic title={t('dashboard.promisesMade')} value={made || judged + open} />
      </Col>
      <Col span={24}>
        <EChart
          height={180}
          option={{
            color: ['#1f6f5c', '#f6bd16', '#e8684a', '#bfbfbf'],
            tooltip: { trigger: 'item' },
            legend: { bottom: 0 },
            series: [
              {
                type: 'pie',
                radius: ['45%', '70%'],
                center: ['50%', '42%'],
                data: [
                  { name: t('promise.kept'), value: kept },
                  { name: t('promise.partly_kept'), value: partly },
                  { name: t('promise.broken'), value: broken },
                  { name: t('promise.open'), value: open },
                ],
              },
            ],
          }}
        />
      </Col>
    </GridRow>
  );
}

function ContactsByChannel({ body }: { body: unknown }) {
  const { t, tx } = useI18n();
  const rows = rowsOf(body, 'channels');
  if (!rows.length) return <Empty description={t('common.noData')} />;
  const hasStatus = rows.some((row) => textOf(row, 'status') !== undefined);
  const chart = hasStatus
    ? stack(rows, { category: ['channel'], stack: ['status'], value: ['count', 'contacts'] })
    : {
        categories: rows.map((row) => textOf(row, 'channel') ?? '—'),
        series: [
          { name: t('contact.sent'), values: rows.map((row) => numberOf(row, 'sent', 'count') ?? 0) },
          { name: t('contact.suppressed'), values: rows.map((row) => numberOf(row, 'suppressed') ?? 0) },
        ],
      };
  return (
    <EChart
      testId="chart-contacts"
      height={260}
      option={barOption({
        categories: chart.categories.map((c) => tx(`channel.${c}`, c)),
        series: chart.series.map((s) => ({ ...s, name: tx(`contact.${s.name}`, s.name) })),
        stacked: true,
      })}
    />
  );
}

function Suppressions({ body }: { body: unknown }) {
  const { t } = useI18n();
  const rows = rowsOf(body, 'reasons', 'suppressions')
    .map((row) => ({ reason: textOf(row, 'reason', 'rule') ?? '—', count: numberOf(row, 'count', 'contacts') ?? 0 }))
    .sort((a, b) => a.count - b.count);
  if (!rows.length) return <Empty description={t('common.noData')} />;
  return (
    <EChart
      testId="chart-suppressions"
      height={Math.max(200, rows.length * 28 + 60)}
      option={barOption({
        categories: rows.map((r) => r.reason),
        series: [{ name: t('contact.suppressed'), values: rows.map((r) => r.count) }],
        horizontal: true,
      })}
    />
  );
}

function CollectionsCurve({ body }: { body: unknown }) {
  const { t } = useI18n();
  const rows = rowsOf(body, 'points', 'curve');
  const chart = useMemo(() => curveSeries(rows), [rows]);
  if (!chart.series.length) return <Empty description={t('common.noData')} />;
  return (
    <EChart
      testId="chart-curve"
      height={280}
      option={{
        color: palette,
        tooltip: {
          trigger: 'axis',
          valueFormatter: (value: unknown) => (typeof value === 'number' ? `${value}%` : '—'),
        },
        legend: { top: 0, type: 'scroll' },
        grid: { left: 8, right: 16, top: 36, bottom: 24, containLabel: true },
        xAxis: {
          type: 'category',
          data: chart.days.map(String),
          name: t('dashboard.daysSinceDelinquent'),
          nameLocation: 'middle',
          nameGap: 28,
        },
        yAxis: {
          type: 'value',
          min: 0,
          // Up to 100 % at least, so a cohort that recovered little looks little.
          max: (extent: { max: number }) => Math.max(100, Math.ceil(extent.max / 10) * 10),
          axisLabel: { formatter: '{value}%' },
        },
        series: chart.series.map((s) => ({
          name: s.name,
          type: 'line',
          showSymbol: s.values.filter((value) => value !== null).length <= 2,
          connectNulls: false,
          data: s.values,
        })),
      }}
    />
  );
}

function BucketTable({ body }: { body: unknown }) {
  const { t, tx } = useI18n();
  const rows = rowsOf(body, 'buckets');
  return (
    <Table<Row>
      size="small"
      pagination={false}
      rowKey={(row) => `${textOf(row, 'currency') ?? ''}-${textOf(row, 'bucket') ?? ''}-${textOf(row, 'status') ?? ''}`}
      dataSource={rows}
      columns={[
        {
          title: t('loan.bucket'),
          render: (_, row) => {
            const query = new URLSearchParams({
              bucket: textOf(row, 'bucket') ?? '',
              status: textOf(row, 'status') ?? '',
            });
            return <Link to={`/console/loans?${query.toString()}`}>{textOf(row, 'bucket')}</Link>;
          },
        },
        {
          title: t('loan.status'),
          render: (_, row) => tx(`status.${textOf(row, 'status') ?? ''}`, textOf(row, 'status')),
        },
        { title: t('dashboard.loans'), align: 'right', render: (_, row) => numberOf(row, 'loans', 'count') },
        { title: t('dashboard.averageDpd'), align: 'right', render: (_, row) => textOf(row, 'averageDpd') ?? '—' },
      ]}
    />
  );
}

export function DashboardPage() {
  const { t } = useI18n();
  return (
    <div data-testid="dashboard">
      <Typography.Title level={4}>{t('nav.dashboard')}</Typography.Title>
      <GridRow gutter={[16, 16]}>
        <Col xs={24}>
          <ReportCard
            title={t('dashboard.book')}
            name="book"
            testId="report-buckets"
            render={(body) => (
              <GridRow gutter={16}>
                <Col xs={24} xl={14}>
                  <BookByBucket body={body} />
                </Col>
                <Col xs={24} xl={10}>
                  <BucketTable body={body} />
                </Col>
              </GridRow>
            )}
          />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <ReportCard
            title={t('dashboard.rollRates')}
            name="roll-rates"
            testId="report-roll"
            render={(body) => (
              <RateBars
                body={body}
                testId="chart-roll"
                fromKeys={['from', 'fromBucket', 'bucket']}
                rateKeys={['rate', 'rollRate']}
                movedKeys={['rolled']}
              />
            )}
          />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <ReportCard
            title={t('dashboard.cureRates')}
            name="cure-rates"
            testId="report-cure"
            render={(body) => (
              <RateBars
                body={body}
                testId="chart-cure"
                fromKeys={['bucket', 'from', 'fromBucket']}
                rateKeys={['rate', 'cureRate']}
                movedKeys={['cured']}
              />
            )}
          />
        </Col>
        <Col xs={24} md={12} xl={8}>
          <ReportCard
            title={t('dashboard.promises')}
            name="promises"
            testId="report-promises"
            render={(body) => <PromiseKept body={body} />}
          />
        </Col>
        <Col xs={24} md={12}>
          <ReportCard
            title={t('dashboard.contactsByChannel')}
            name="contacts-by-channel"
            testId="report-contacts"
            render={(body) => <ContactsByChannel body={body} />}
          />
        </Col>
        <Col xs={24} md={12}>
          <ReportCard
            title={t('dashboard.suppressions')}
            name="suppressions"
            testId="report-suppressions"
            render={(body) => <Suppressions body={body} />}
          />
        </Col>
        <Col xs={24}>
          <ReportCard
            title={t('dashboard.collectionsCurve')}
            name="collections-curve"
            testId="report-curve"
            render={(body) => <CollectionsCurve body={body} />}
          />
        </Col>
      </GridRow>
    </div>
  );
}
