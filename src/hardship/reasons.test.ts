// Overdue reasons from JSON: every category, text up to 2000 characters (counted as a person counts
// them), evidence limited by type (media type and extension agreeing), size (10 MB) and a SHA-256
// checksum, captured by the borrower or an agent; each bad field is named.
import { describe, expect, it } from 'vitest';
import { overdueReasonCategories, parseOverdueReason } from './reasons.ts';

const file = { fileName: 'letter.PDF', mediaType: 'application/pdf', sizeBytes: 1200, sha256: 'ab'.repeat(32) };

describe('overdue reasons', () => {
  it('accepts every category, an agent or the borrower, and evidence of each allowed type', () => {
    for (const category of overdueReasonCategories) {
      expect(parseOverdueReason({ category, text: '说明', capturedBy: 'borrower' }).category).toBe(category);
    }
    const reason = parseOverdueReason({
      category: 'illness_or_accident',
      text: '字'.repeat(2000),
      capturedBy: 'agent-7',
      evidence: [
        file,
        { ...file, fileName: 'x.jpeg', mediaType: 'image/jpeg' },
        { ...file, fileName: 'x.jpg', mediaType: 'image/jpeg' },
        { ...file, fileName: 'x.png', mediaType: 'image/png' },
        { ...file, fileName: 'IMG_0001.HEIC', mediaType: 'image/heic', sizeBytes: 10 * 1024 * 1024 },
      ],
    });
    expect(reason.capturedBy).toEqual({ agentId: 'agent-7' });
    expect(reason.evidence).toHaveLength(5);
    expect(parseOverdueReason({ category: 'income_loss', capturedBy: 'borrower' })).toEqual({
      category: 'income_loss',
      text: '',
      capturedBy: 'borrower',
      evidence: [],
    });
  });

  it('names the field of each bad value', () => {
    const base = { category: 'income_loss', capturedBy: 'borrower' };
    const bad: [unknown, string][] = [
      [{ ...base, category: 'bad_luck' }, 'reason.category: must be one of income_loss'],
      [{ ...base, text: '字'.repeat(2001) }, 'reason.text: must be at most 2000 characters, got 2001'],
      [{ ...base, category: 'other' }, 'reason.text: must say what happened when the category is other'],
      [{ ...base, capturedBy: 'agent 7' }, 'reason.capturedBy: must be "borrower" or an agent id'],
      [
        { ...base, evidence: [{ ...file, mediaType: 'image/gif', fileName: 'a.gif' }] },
        'reason.evidence[0].mediaType: must be one of',
      ],
      [
        { ...base, evidence: [{ ...file, fileName: 'a.png' }] },
        'reason.evidence[0].fileName: must end in .pdf for application/pdf',
      ],
      [
        { ...base, evidence: [{ ...file, fileName: '../etc/a.pdf' }] },
        'reason.evidence[0].fileName: must not contain a path',
      ],
      [
        { ...base, evidence: [{ ...file, sizeBytes: 10 * 1024 * 1024 + 1 }] },
        'reason.evidence[0].sizeBytes: must be at most 10485760 bytes (10 MB)',
      ],
      [
        { ...base, evidence: [{ ...file, sizeBytes: 0 }] },
        'reason.evidence[0].sizeBytes: must be a positive whole number',
      ],
      [
        { ...base, evidence: [{ ...file, sha256: 'AB'.repeat(32) }] },
        'reason.evidence[0].sha256: must be a SHA-256 checksum',
      ],
      [
        { ...base, evidence: Array.from({ length: 11 }, () => file) },
        'reason.evidence: allows at most 10 files, got 11',
      ],
      [{ ...base, mood: 'sad' }, 'reason.mood: is not a reason field'],
    ];
    for (const [json, message] of bad) expect(() => parseOverdueReason(json)).toThrow(message);
  });
});
