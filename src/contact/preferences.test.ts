// Contact preferences as pure transitions: opting out and back in, the preferred channel (never an
// opted-out one), the language of messages; each bad value names its field.
import { describe, expect, it } from 'vitest';
import { newBorrowerContactState, optOut } from './borrower.ts';
import { applyPreferences, optIn, preferredChannelOf } from './preferences.ts';

const base = newBorrowerContactState({
  borrowerId: 'B1',
  timezone: 'Asia/Shanghai',
  locale: 'zh-CN',
  addresses: { sms: '+8613800000001' },
});

describe('applyPreferences', () => {
  it('opts back into channels left out of the list and out of the new ones', () => {
    const stopped = optOut(optOut(base, 'sms'), 'push');
    const outcome = applyPreferences(stopped, { optOuts: ['email', 'push'] });
    expect(outcome.state.optOuts).toEqual(['email', 'push']);
    expect(outcome.optedIn).toEqual(['sms']);
    expect(outcome.optedOut).toEqual(['email']);
    expect(outcome.locale).toBeNull();
  });

  it('keeps the preferred channel and the language, and drops a preference for a channel just stopped', () => {
    const chosen = applyPreferences(base, { optOuts: [], preferredChannel: 'sms', locale: 'en' });
    expect(preferredChannelOf(chosen.state)).toBe('sms');
    expect(chosen.state.locale).toBe('en');
    expect(chosen.locale).toBe('en');
    const stopped = applyPreferences(chosen.state, { optOuts: ['sms'] });
    expect(preferredChannelOf(stopped.state)).toBeNull();
    expect(applyPreferences(chosen.state, { locale: 'en' }).locale).toBeNull();
  });

  it('names the bad field', () => {
    expect(() => applyPreferences(base, { optOuts: ['sms', 'fax' as never] })).toThrow(/optOuts\[1\]/);
    expect(() => applyPreferences(base, { optOuts: ['sms'], preferredChannel: 'sms' })).toThrow(
      /preferredChannel: sms is opted out/,
    );
    expect(() => applyPreferences(base, { locale: 'fr' })).toThrow(/locale: must be one of/);
  });

  it('opting into a channel never stopped changes nothing', () => {
    expect(optIn(base, 'sms')).toBe(base);
  });
});
