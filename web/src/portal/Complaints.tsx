// Complaints and the satisfaction survey: file a complaint (category, loan, text), follow its status and
// deadline, and answer the short survey offered after a case or complaint ends (score 1-5).
import { Alert, Button, Card, Empty, Form, Input, List, Rate, Result, Select, Tag, Typography } from 'antd';
import { useState } from 'react';
import * as api from '../api/portal.ts';
import type { ComplaintCategory, Survey } from '../api/types.ts';
import { errorText, Loadable, useLoad } from '../components/common.tsx';
import { formatInstant } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { COMPLAINT_CATEGORIES, COMPLAINT_CATEGORY_LABELS } from '../vocabulary.ts';
import { useBorrowerId } from './session.tsx';

function SurveyCard({ borrowerId, survey, onDone }: { borrowerId: string; survey: Survey; onDone: () => void }) {
  const { t } = useI18n();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.answerSurvey(borrowerId, survey.surveyId, { score, comment: comment.trim() || undefined });
      onDone();
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={t('portal.survey')} data-testid="survey">
      <Typography.Paragraph>
        {survey.subject === 'complaint' ? t('portal.surveyComplaint') : t('portal.surveyQuestion')}
      </Typography.Paragraph>
      <Rate value={score} onChange={setScore} data-testid="survey-score" />
      <Input.TextArea
        rows={2}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        maxLength={1000}
        style={{ marginTop: 8 }}
        placeholder={t('portal.surveyComment')}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      <Button
        type="primary"
        block
        style={{ marginTop: 8 }}
        disabled={score === 0}
        loading={busy}
        onClick={() => void submit()}
        data-testid="survey-send"
      >
        {t('common.send')}
      </Button>
    </Card>
  );
}

interface ComplaintValues {
  category: ComplaintCategory;
  loanId?: string;
  text: string;
}

export function PortalComplaints() {
  const { t, tx, lang } = useI18n();
  const borrowerId = useBorrowerId();
  const [form] = Form.useForm<ComplaintValues>();
  const [generation, setGeneration] = useState(0);
  const [filed, setFiled] = useState(false);
  const [thanked, setThanked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const loans = useLoad((signal) => api.myLoans(signal), []);
  const complaints = useLoad((signal) => api.complaints(borrowerId, signal), [borrowerId, generation]);
  const surveys = useLoad((signal) => api.surveys(borrowerId, signal), [borrowerId, generation]);

  const submit = async (values: ComplaintValues) => {
    setBusy(true);
    setError(null);
    try {
      await api.fileComplaint(borrowerId, {
        category: values.category,
        loanId: values.loanId,
        text: values.text.trim(),
      });
      form.resetFields();
      setFiled(true);
      setGeneration((g) => g + 1);
    } catch (reason) {
      setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const pending = (surveys.data?.items ?? []).filter((survey) => survey.status === 'pending');

  return (
    <>
      {thanked && (
        <Alert
          type="success"
          showIcon
          title={t('portal.surveyThanks')}
          closable
          onClose={() => setThanked(false)}
          data-testid="survey-thanks"
        />
      )}
      {pending.map((survey) => (
        <SurveyCard
          key={survey.surveyId}
          borrowerId={borrowerId}
          survey={survey}
          onDone={() => {
            setThanked(true);
            setGeneration((g) => g + 1);
          }}
        />
      ))}
      <Card size="small" title={t('portal.complain')}>
        <div data-testid="complaint-form">
          {filed ? (
            <Result
              status="success"
              title={t('portal.complaintFiled')}
              extra={<Button onClick={() => setFiled(false)}>{t('portal.askAgain')}</Button>}
            />
          ) : (
            <Form<ComplaintValues> form={form} layout="vertical" onFinish={(values) => void submit(values)}>
              <Form.Item
                name="category"
                label={t('complaint.category')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <Select
                  options={COMPLAINT_CATEGORIES.map((value) => ({
                    value,
                    label: t(COMPLAINT_CATEGORY_LABELS[value]),
                  }))}
                  data-testid="complaint-category"
                />
              </Form.Item>
              <Form.Item name="loanId" label={t('portal.whichLoan')}>
                <Select
                  allowClear
                  options={(loans.data?.items ?? []).map((loan) => ({ value: loan.loanId, label: loan.loanId }))}
                />
              </Form.Item>
              <Form.Item
                name="text"
                label={t('complaint.text')}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <Input.TextArea rows={4} maxLength={4000} showCount data-testid="complaint-text" />
              </Form.Item>
              {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
              <Button type="primary" size="large" block htmlType="submit" loading={busy} data-testid="complaint-submit">
                {t('common.send')}
              </Button>
            </Form>
          )}
        </div>
      </Card>
      <Card size="small" title={t('portal.myComplaints')}>
        <Loadable state={complaints}>
          {(page) =>
            page.items.length ? (
              <List
                size="small"
                dataSource={page.items}
                renderItem={(complaint) => (
                  <List.Item key={complaint.complaintId} data-testid={`my-complaint-${complaint.complaintId}`}>
                    <div style={{ width: '100%' }}>
                      <Typography.Text strong>
                        {tx(`complaint.category.${complaint.category}`, complaint.category)}
                      </Typography.Text>{' '}
                      <Tag>{tx(`complaint.${complaint.status}`, complaint.status)}</Tag>
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {formatInstant(complaint.createdAt, lang)}
                          {complaint.status !== 'closed' && complaint.deadlineAt
                            ? ` · ${t('portal.answerBy', { date: formatInstant(complaint.deadlineAt, lang) })}`
                            : ''}
                        </Typography.Text>
                      </div>
                      {complaint.resolution && (
                        <Typography.Paragraph style={{ margin: 0 }}>{complaint.resolution}</Typography.Paragraph>
                      )}
                    </div>
                  </List.Item>
                )}
              />
            ) : (
              <Empty description={t('portal.noComplaints')} />
            )
          }
        </Loadable>
      </Card>
    </>
  );
}
