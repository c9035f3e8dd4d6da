// The two languages of the console and portal (a plain module so non-React code can name the type).
export type Lang = 'zh-CN' | 'en';
