// Language for the whole app: zh-CN or en, chosen by the switch (remembered in localStorage), else the
// browser's language. Gives `t(key, vars)` over the message table, sets antd's locale (and dayjs's, which
// its date pickers use) and the document's lang attribute. Invariant: every key has both languages
// (messages.ts is typed so a missing translation does not compile).
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { messages, type MessageKey } from './messages.ts';

import type { Lang } from './lang.ts';

export type { Lang };
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'kuan.lang';
/**
 * Latin from the macOS/Windows system fonts; Chinese (and everything on Linux) from the bundled Noto Sans
 * SC, whose subsets load only for the characters a page uses. It comes before Arial and sans-serif because
 * Chromium on Linux answers those through fontconfig with a font that draws Chinese as empty boxes.
 */
export const FONT_FAMILY =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', Arial, sans-serif";

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** A key built at run time (a status, a channel): its text, else `fallback` (default: the key's last part). */
  tx: (key: string, fallback?: string) => string;
}

const I18nContext = createContext<I18nValue | null>(null);

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // No storage: fall through to the browser's language.
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function hasMessage(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(messages, key);
}

export function translate(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const entry = messages[key];
  let text: string = lang === 'en' ? entry[0] : entry[1];
  if (vars) {
    for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  }
  return text;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered; the switch still works for this page.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  }, [lang]);
  const value = useMemo<I18nValue>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      tx: (key, fallback) => (hasMessage(key) ? translate(lang, key) : (fallback ?? key.split('.').pop() ?? key)),
    }),
    [lang, setLang],
  );
  return (
    <I18nContext.Provider value={value}>
      <ConfigProvider
        locale={lang === 'en' ? enUS : zhCN}
        theme={{ token: { colorPrimary: '#1f6f5c', borderRadius: 6, fontFamily: FONT_FAMILY } }}
        button={{ autoInsertSpace: false }}
      >
        {children}
      </ConfigProvider>
    </I18nContext.Provider>
  );
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
