// Revocation words per pack: which replies opt a borrower out, matched tolerantly (case, full-width,
// punctuation, a short phrase around the word) without catching long messages about something else.
import { describe, expect, it } from 'vitest';
import { builtInPolicies, parsePolicy, revocationOf, type PolicyPack } from './pack.ts';

const cn = builtInPolicies['cn-2026'] as PolicyPack;
const us = builtInPolicies['us-regf'] as PolicyPack;
const fallback = builtInPolicies.default as PolicyPack;

describe('revocationOf', () => {
  it('us-regf: every word of 47 CFR 64.1200(a)(12), in any case, with punctuation or a short phrase', () => {
    for (const reply of ['stop', 'Quit', 'END', 'revoke', 'opt out', 'Opt-Out', 'cancel', 'Unsubscribe', 'STOP.']) {
      expect(revocationOf(us, reply), reply).toEqual({ all: false });
    }
    for (const reply of [
      'please stop texting me',
      'Stop sending me these',
      'I want to opt out',
      'ＳＴＯＰ！',
      'stop, thanks',
    ]) {
      expect(revocationOf(us, reply), reply).toEqual({ all: false });
    }
    expect(revocationOf(us, 'STOP ALL')).toEqual({ all: true });
  });

  it('cn-2026: 退订, TD, 取消, 不要再发, 拒收 and the like, with politeness around them', () => {
    for (const reply of [
      '退订',
      ' 退订 ',
      'TD',
      'td',
      'T',
      '退订谢谢',
      '请不要再发短信给我',
      '拒收',
      '取消',
      '退订。',
      '别再发了',
    ]) {
      expect(revocationOf(cn, reply), reply).toEqual({ all: false });
    }
    expect(revocationOf(cn, '全部退订')).toEqual({ all: true });
  });

  it('does not take a long or unrelated message for a revocation', () => {
    for (const [pack, reply] of [
      [us, "I can't stop by the bank"],
      [us, 'I will pay at the end of the month, can we talk?'],
      [us, 'Thank you'],
      [us, 'T-Mobile'],
      [cn, '我想取消还款计划'],
      [cn, '我明天去银行还款，不要担心'],
      [cn, 'TDS'],
      [cn, ''],
    ] as const) {
      expect(revocationOf(pack, reply), reply).toBeNull();
    }
  });

  it('the words are the pack’s: default knows both, and a lender may set its own', () => {
    expect(revocationOf(cn, 'quit')).toBeNull();
    expect(revocationOf(fallback, 'quit')).toEqual({ all: false });
    expect(revocationOf(fallback, '退订谢谢')).toEqual({ all: false });
    const own = parsePolicy({ extends: 'us-regf', optOutKeywords: ['BASTA'] });
    expect(revocationOf(own, 'basta!')).toEqual({ all: false });
    expect(revocationOf(own, 'stop')).toBeNull();
  });
});
