// Small pieces every page uses: loading data with its error and a reload, the language switch, and a
// uniform way to show a failed request (an endpoint this server does not offer shows as "not available"
// rather than as an error, so the console still works against an API that lacks a report).
import { Alert, Empty, Segmented, Spin } from 'antd';
import { useCallback, useEffect, useRef, useState, type DependencyList, type ReactNode } from 'react';
import { ApiError, isMissingRoute } from '../api/http.ts';
import { LANGS, useI18n, type Lang } from '../i18n.tsx';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change (and on reload); a stale answer never overwrites a newer one. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return;
        setError(reason);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (isMissingRoute(error)) {
    const where = error instanceof ApiError ? error.problem.instance : undefined;
    return (
      <Empty description={`${t('common.notAvailable')}${where ? ` (${where})` : ''}`} data-testid="not-available" />
    );
  }
  if (error instanceof ApiError && error.status === 403) {
    return <Alert type="warning" showIcon title={t('common.forbidden')} data-testid="forbidden" />;
  }
  return <Alert type="error" showIcon title={t('common.failed')} description={errorText(error)} data-testid="error" />;
}

/** Shows a spinner while loading, the error if any, else the children built from the data. */
export function Loadable<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  if (state.error) return <ErrorNotice error={state.error} />;
  if (state.data === undefined) {
    return (
      <div style={{ padding: 24, textAlign: 'center' }}>
        <Spin />
      </div>
    );
  }
  return <>{children(state.data)}</>;
}

export function LanguageSwitch() {
  const { lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      size="small"
      value={lang}
      onChange={(value) => setLang(value)}
      options={LANGS.map((value) => ({ value, label: value === 'en' ? 'EN' : '中文' }))}
      data-testid="language-switch"
    />
  );
}
