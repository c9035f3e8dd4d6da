// The strategy editor: pick a strategy, edit its JSON document (docs/strategies.md), preview it — the
// simulator run on the live book, showing messages per day per channel and suppressions by reason, next
// to the active strategy's numbers — and only then ask for activation, which another member approves on
// the Approvals page before it takes effect. Activation is offered only for the exact text previewed, and
// sends that text (the server stores it with its digest, so the approver approves exactly it). The page
// says which strategy is in force and who approved it.
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Input,
  InputNumber,
  List,
  Modal,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import * as api from '../api/staff.ts';
import type { ActiveStrategy, StrategyChange, StrategyInfo, StrategyPreview } from '../api/types.ts';
import { EChart } from '../components/EChart.tsx';
import { ErrorNotice, errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { canDo } from './roles.ts';
import { useStaff } from './session.tsx';
import { ExperimentPanel } from './ExperimentPanel.tsx';

const channelColors: Record<string, string> = {
  sms: '#1f6f5c',
  email: '#5b8ff9',
  push: '#f6bd16',
  letter: '#9270ca',
  voice: '#e8684a',
};

interface StepRow {
  id: string;
  stage: string;
  dayOffset: number;
  channel: string;
  template: string;
  sendAt?: string;
  segment?: string | string[];
}

function stepsOf(text: string): StepRow[] | null {
  try {
    const parsed = JSON.parse(text) as { steps?: StepRow[] };
    return Array.isArray(parsed.steps) ? parsed.steps : [];
  } catch {
    return null;
  }
}

function PreviewCharts({ preview }: { preview: StrategyPreview }) {
  const { t, tx } = useI18n();
  const perDay = preview.perDay ?? [];
  const dates = [...new Set(perDay.map((row) => row.date))].sort();
  const channels = [...new Set(perDay.map((row) => row.channel))];
  const suppressions = [...(preview.suppressions ?? [])].sort((a, b) => a.count - b.count);
  const sent = preview.totals?.sent ?? perDay.reduce((sum, row) => sum + row.sent, 0);
  const suppressed = preview.totals?.suppressed ?? suppressions.reduce((sum, row) => sum + row.count, 0);
  const baselineSent = preview.baseline?.totals?.sent;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="strategy-preview">
      <Row gutter={16}>
        <Col span={8}>
          <Statistic title={t('strategy.previewSent')} value={sent} data-testid="preview-sent" />
        </Col>
        <Col span={8}>
          <Statistic title={t('strategy.previewSuppressed')} value={suppressed} />
        </Col>
        <Col span={8}>
          <Statistic title={t('strategy.previewBaseline')} value={baselineSent ?? '—'} />
        </Col>
      </Row>
      {preview.borrowers !== undefined && (
        <Typography.Text type="secondary">
          {t('strategy.previewScope', { borrowers: preview.borrowers, days: preview.days ?? dates.length })}
        </Typography.Text>
      )}
      <Card size="small" title={t('strategy.perDay')}>
        {perDay.length ? (
          <EChart
            testId="chart-preview-per-day"
            option={{
              tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
              legend: { top: 0 },
              grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
              xAxis: { type: 'category', data: dates },
              yAxis: { type: 'value' },
              series: channels.map((channel) => ({
                name: tx(`channel.${channel}`, channel),
                type: 'bar',
                stack: 'sent',
                itemStyle: { color: channelColors[channel] },
                data: dates.map((date) =>
                  perDay
                    .filter((row) => row.date === date && row.channel === channel)
                    .reduce((sum, row) => sum + row.sent, 0),
                ),
              })),
            }}
          />
        ) : (
          <Empty description={t('strategy.nothingSent')} />
        )}
      </Card>
      <Card size="small" title={t('strategy.suppressions')}>
        {suppressions.length ? (
          <EChart
            testId="chart-preview-suppressions"
            height={Math.max(180, suppressions.length * 28 + 50)}
            option={{
              tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
              grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
              xAxis: { type: 'value' },
              yAxis: { type: 'category', data: suppressions.map((row) => row.reason) },
              series: [{ type: 'bar', data: suppressions.map((row) => row.count), itemStyle: { color: '#e8684a' } }],
            }}
          />
        ) : (
          <Empty description={t('strategy.noSuppressions')} />
        )}
      </Card>
    </Space>
  );
}

function Editor({ info, onActivated }: { info: StrategyInfo; onActivated: (message: string) => void }) {
  const { t } = useI18n();
  const staff = useStaff();
  const original = useMemo(() => JSON.stringify(info.strategy, null, 2), [info]);
  const [text, setText] = useState(original);
  const [days, setDays] = useState(14);
  const [preview, setPreview] = useState<StrategyPreview | null>(null);
  const [changes, setChanges] = useState<StrategyChange[] | null>(null);
  const [previewedText, setPreviewedText] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [comment, setComment] = useState('');

  const steps = useMemo(() => stepsOf(text), [text]);

  const parse = (source = text): unknown => {
    try {
      return JSON.parse(source) as unknown;
    } catch (reason) {
      throw new Error(`${t('strategy.badJson')}: ${errorText(reason)}`);
    }
  };

  const runPreview = async () => {
    setBusy(true);
    setError(null);
    setPreview(null);
    setChanges(null);
    try {
      const strategy = parse();
      // Validation names the first bad field; the diff says what changes against the document edited
      // (for the active strategy: the activated document, not the built-in of its name).
      await api.validateStrategy(strategy);
      setChanges((await api.diffStrategies(info.strategy, strategy)).changes);
      setPreviewedText(text);
      setPreview(await api.previewStrategy({ strategy, days }));
    } catch (reason) {
      setError(reason);
    } finally {
      setBusy(false);
    }
  };

  const activate = async () => {
    if (previewedText === null || previewedText !== text) return;
    setBusy(true);
    setError(null);
    try {
      await api.requestActivation({ strategy: parse(previewedText), comment: comment.trim() || undefined });
      setConfirming(false);
      onActivated(`${t('strategy.activationRequested')}. ${t('strategy.awaitingApproval')}`);
    } catch (reason) {
      setError(reason);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const previewCurrent = preview !== null && previewedText === text;
  const mayActivate = canDo(staff, 'activateStrategy');

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={11}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            value={text}
            onChange={(event) => setText(event.target.value)}
            autoSize={{ minRows: 18, maxRows: 36 }}
            spellCheck={false}
            className="kuan-mono"
            style={{ fontSize: 12 }}
            data-testid="strategy-json"
          />
          <Button size="small" onClick={() => setText(original)} disabled={text === original}>
            {t('strategy.reset')}
          </Button>
          {steps === null ? (
            <Alert type="warning" showIcon title={t('strategy.badJson')} />
          ) : (
            <Table<StepRow>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={steps}
              scroll={{ y: 260 }}
              columns={[
                { title: t('strategy.step'), dataIndex: 'id' },
                { title: t('strategy.stage'), dataIndex: 'stage' },
                { title: t('strategy.day'), dataIndex: 'dayOffset', align: 'right' },
                {
                  title: t('strategy.channel'),
                  dataIndex: 'channel',
                  render: (c: string) => <Tag color={channelColors[c]}>{c}</Tag>,
                },
                { title: t('strategy.template'), dataIndex: 'template' },
                { title: t('strategy.sendAt'), dataIndex: 'sendAt' },
              ]}
            />
          )}
        </Space>
      </Col>
      <Col xs={24} xl={13}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Flex gap={8} align="center" wrap>
            <span>{t('strategy.days')}</span>
            <InputNumber
              min={1}
              max={90}
              value={days}
              onChange={(value) => setDays(value ?? 14)}
              data-testid="preview-days"
            />
            <Button type="primary" onClick={() => void runPreview()} loading={busy} data-testid="strategy-preview-run">
              {t('strategy.preview')}
            </Button>
            {mayActivate && (
              <Button disabled={!previewCurrent} onClick={() => setConfirming(true)} data-testid="strategy-activate">
                {t('strategy.activate')}
              </Button>
            )}
          </Flex>
          {mayActivate && !previewCurrent && (
            <Typography.Text type="secondary">{t('strategy.previewFirst')}</Typography.Text>
          )}
          {changes && (
            <Card size="small" title={t('strategy.changes', { name: info.name })} data-testid="strategy-changes">
              {changes.length ? (
                <List size="small" dataSource={changes} renderItem={(change) => <List.Item>{change.text}</List.Item>} />
              ) : (
                <Typography.Text type="secondary">{t('strategy.noChanges')}</Typography.Text>
              )}
            </Card>
          )}
          {error ? <ErrorNotice error={error} /> : null}
          {preview ? <PreviewCharts preview={preview} /> : !error && <Empty description={t('strategy.noPreview')} />}
        </Space>
      </Col>
      <Modal
        open={confirming}
        title={t('strategy.activateTitle', { name: info.name })}
        onOk={() => void activate()}
        onCancel={() => setConfirming(false)}
        confirmLoading={busy}
      >
        <Typography.Paragraph>{t('strategy.activateText')}</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder={t('strategy.comment')}
        />
      </Modal>
    </Row>
  );
}

function InForce({ active }: { active: ActiveStrategy }) {
  const { t, lang } = useI18n();
  const text =
    active.source === 'builtin'
      ? t('strategy.inForceBuiltin', { name: active.name, version: active.version })
      : t('strategy.inForce', {
          name: active.name,
          version: active.version,
          approvedBy: active.approvedBy ?? '—',
          at: formatInstant(active.activatedAt, lang),
        });
  return (
    <Typography.Text data-testid="strategy-in-force" data-strategy={`${active.name} v${active.version}`}>
      {text}{' '}
      <Typography.Text type="secondary" className="kuan-mono">
        {active.digest.slice(0, 12)}
      </Typography.Text>
    </Typography.Text>
  );
}

export function StrategiesPage() {
  const { t } = useI18n();
  const state = useLoad((signal) => api.listStrategies(signal), []);
  const active = useLoad((signal) => api.getActiveStrategy(signal), []);
  const [selected, setSelected] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const items = state.data?.items ?? [];
  const current = items.find((item) => item.name === selected) ?? items.find((item) => item.active) ?? items[0];
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid="strategies">
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('nav.strategies')}
      </Typography.Title>
      {active.data && <InForce active={active.data} />}
      {message && (
        <Alert type="success" showIcon title={message} closable onClose={() => setMessage(null)} data-testid="saved" />
      )}
      <Loadable state={state}>
        {() => (
          <Card
            size="small"
            title={
              <Flex gap={8} wrap>
                {items.map((item) => (
                  <Button
                    key={item.name}
                    type={item.name === current?.name ? 'primary' : 'default'}
                    onClick={() => setSelected(item.name)}
                    data-testid={`strategy-${item.name}`}
                  >
                    {item.name} v{item.version}
                    {item.active ? ` · ${t('strategy.active')}` : ''}
                  </Button>
                ))}
              </Flex>
            }
          >
            {current ? (
              <Editor
                key={`${current.name}-${current.digest}`}
                info={current}
                onActivated={(text) => {
                  setMessage(text);
                  state.reload();
                  active.reload();
                }}
              />
            ) : (
              <Empty />
            )}
          </Card>
        )}
      </Loadable>
      {current && <ExperimentPanel key={current.name} info={current} />}
      <Typography.Text type="secondary">{t('strategy.help')}</Typography.Text>
    </Space>
  );
}
