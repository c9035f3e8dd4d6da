// The workbench's two commands that reach beyond a call: escalating a case up the ladder (first a dry
// run that shows the next stage, the conditions met and the lawyer's letter's text, then the real one;
// after a letter, its PDF as sent) and queuing a status notice about a delay on a loan. Shared by the
// workbench and the loan page. The ladder and its conditions are the server's: a refusal shows the
// server's message. One form keeps one idempotency key until it succeeds, so a double submit acts once.
import { Alert, AutoComplete, Button, DatePicker, Descriptions, Form, Input, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { newIdempotencyKey, saveBlob } from '../api/http.ts';
import * as api from '../api/staff.ts';
import type { DelayKind, Escalation, NoticeChannel, StatusNotice } from '../api/types.ts';
import { errorText } from '../components/common.tsx';
import { AMOUNT_PATTERN } from '../format.ts';
import { useI18n, type Translate } from '../i18n.tsx';
import { CHANNEL_LABELS, CHANNELS, DELAY_KIND_LABELS, DELAY_KINDS } from '../vocabulary.ts';

/** The server's default ladder (src/workbench/escalation.ts): only suggestions, a lender's ladder may differ. */
const DEFAULT_STAGES = ['soft', 'hard', 'legal'];

function suggestedStage(current: string | undefined): string {
  const at = current === undefined ? -1 : DEFAULT_STAGES.indexOf(current);
  return DEFAULT_STAGES[at + 1] ?? '';
}

function EscalationPreview({ preview }: { preview: Escalation }) {
  const { t } = useI18n();
  const letter = preview.preview;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="escalation-preview">
      <Alert
        type="info"
        showIcon
        title={t('escalate.allowed', { from: preview.fromStage, to: preview.toStage })}
        description={
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="escalation-reasons">
            {preview.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        }
      />
      {letter ? (
        <div data-testid="escalation-letter-preview">
          <Typography.Text strong>{t('escalate.letter')}</Typography.Text>
          <Descriptions size="small" column={1} bordered style={{ marginTop: 8 }}>
            <Descriptions.Item label={t('escalate.letterTo')}>
              <span style={{ whiteSpace: 'pre-wrap' }}>{letter.recipientAddress}</span>
            </Descriptions.Item>
            <Descriptions.Item label={letter.dateText}>{letter.subject}</Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph
            style={{ whiteSpace: 'pre-wrap', marginTop: 8, maxHeight: 320, overflow: 'auto' }}
            data-testid="escalation-letter-body"
          >
            {letter.body}
          </Typography.Paragraph>
        </div>
      ) : (
        <Typography.Text type="secondary">{t('escalate.noLetter')}</Typography.Text>
      )}
    </Space>
  );
}

export function EscalationPanel({
  borrowerId,
  caseId,
  stage,
  onEscalated,
}: {
  borrowerId: string;
  caseId: string;
  stage?: string;
  onEscalated?: (result: Escalation) => void;
}) {
  const { t } = useI18n();
  const target = { borrowerId, caseId };
  const [toStage, setToStage] = useState(() => suggestedStage(stage));
  const [preview, setPreview] = useState<Escalation | null>(null);
  const [done, setDone] = useState<Escalation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey('escalation'));

  const run = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.escalateCase(target, { toStage: toStage.trim(), dryRun }, idempotencyKey);
      if (dryRun) {
        setPreview(answer);
      } else {
        setDone(answer);
        setPreview(null);
        setToStage(suggestedStage(answer.toStage));
        setIdempotencyKey(newIdempotencyKey('escalation'));
        onEscalated?.(answer);
      }
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const downloadLetter = async (seq: number) => {
    setError(null);
    try {
      const { blob, fileName } = await api.escalationLetter(target, seq);
      saveBlob(blob, fileName);
    } catch (reason) {
      setError(errorText(reason));
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="escalation-form">
      <Typography.Text type="secondary">
        {t('escalate.current', { caseId, stage: done?.toStage ?? stage ?? '—' })}
      </Typography.Text>
      {done && (
        <Alert
          type="success"
          showIcon
          data-testid="escalation-done"
          title={t('escalate.done', { caseId, from: done.fromStage, to: done.toStage })}
          description={
            done.letter && done.seq !== null ? (
              <Space orientation="vertical">
                <span>{t('escalate.letterSent', { address: done.letter.address, code: done.letter.code })}</span>
                <Button
                  type="link"
                  style={{ padding: 0 }}
                  onClick={() => void downloadLetter(done.seq as number)}
                  data-testid="escalation-letter-download"
                >
                  {t('escalate.downloadLetter')}
                </Button>
              </Space>
            ) : undefined
          }
        />
      )}
      <Form layout="vertical" onFinish={() => void run(true)}>
        <Form.Item label={t('escalate.toStage')} required>
          <AutoComplete
            value={toStage}
            onChange={(value: string) => {
              setToStage(value);
              setPreview(null);
            }}
            options={DEFAULT_STAGES.map((value) => ({ value }))}
            data-testid="escalation-stage"
          />
        </Form.Item>
        <Space>
          <Button
            htmlType="submit"
            loading={busy && !preview}
            disabled={!toStage.trim()}
            data-testid="escalation-preview-button"
          >
            {t('escalate.preview')}
          </Button>
          <Button
            type="primary"
            danger
            disabled={!preview || preview.toStage !== toStage.trim()}
            loading={busy && preview !== null}
            onClick={() => void run(false)}
            data-testid="escalation-confirm"
          >
            {t('escalate.confirm')}
          </Button>
        </Space>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="escalation-error" />}
      {preview && <EscalationPreview preview={preview} />}
    </Space>
  );
}

interface NoticeValues {
  kind: DelayKind;
  amount: string;
  eta: Dayjs;
  reference: string;
  channel: NoticeChannel;
}

/** The message a queued notice leaves on the page. */
export function noticeSavedText(t: Translate, answer: StatusNotice): string {
  return answer.queued ? t('notice.queued', answer.variables) : t('notice.already');
}

export function StatusNoticeForm({ loanId, onDone }: { loanId: string; onDone: (answer: StatusNotice) => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [idempotencyKey, setIdempotencyKey] = useState(() => newIdempotencyKey('notice'));

  const submit = async (values: NoticeValues) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.sendStatusNotice(
        loanId,
        {
          kind: values.kind,
          amount: values.amount.trim(),
          // An instant with the browser's offset: the server prints it in the borrower's own zone.
          eta: values.eta.format('YYYY-MM-DDTHH:mm:ssZ'),
          reference: values.reference.trim(),
          channel: values.channel,
        },
        idempotencyKey,
      );
      setIdempotencyKey(newIdempotencyKey('notice'));
      onDone(answer);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<NoticeValues>
      layout="vertical"
      initialValues={{
        kind: 'refund',
        channel: 'sms',
        eta: dayjs().add(2, 'day').hour(18).minute(0).second(0).millisecond(0),
      }}
      onFinish={(values) => void submit(values)}
    >
      <div data-testid="notice-form">
        <Form.Item name="kind" label={t('notice.kind')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="notice-kind"
            options={DELAY_KINDS.map((value) => ({ value, label: t(DELAY_KIND_LABELS[value]) }))}
          />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('notice.amount')}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: AMOUNT_PATTERN, message: t('form.amount') },
          ]}
        >
          <Input inputMode="decimal" placeholder="50.00" data-testid="notice-amount" />
        </Form.Item>
        <Form.Item
          name="eta"
          label={t('notice.eta')}
          extra={t('notice.etaFuture')}
          rules={[{ required: true, message: t('form.required') }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            needConfirm={false}
            style={{ width: '100%' }}
            data-testid="notice-eta"
          />
        </Form.Item>
        <Form.Item
          name="reference"
          label={t('notice.reference')}
          rules={[{ required: true, whitespace: true, message: t('form.required') }]}
        >
          <Input maxLength={64} data-testid="notice-reference" />
        </Form.Item>
        <Form.Item name="channel" label={t('notice.channel')} rules={[{ required: true, message: t('form.required') }]}>
          <Select
            data-testid="notice-channel"
            options={CHANNELS.map((value) => ({ value, label: t(CHANNEL_LABELS[value]) }))}
          />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="notice-error" />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="notice-submit">
          {t('notice.send')}
        </Button>
      </div>
    </Form>
  );
}
