import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSurveyAnswer, surveyOffer } from './surveys.ts';

const t0 = Date.UTC(2026, 3, 20, 2, 0);

describe('surveys', () => {
  it('one per resolved case or closed complaint', () => {
    expect(surveyOffer({ borrowerId: 'B1', subjectKind: 'complaint', subjectId: 'K1', atMs: t0 })).toEqual({
      borrowerId: 'B1',
      surveyId: 'complaint:K1',
      subjectKind: 'complaint',
      subjectId: 'K1',
      offeredAtMs: t0,
    });
  });

  it('takes a whole score 1–5 and a comment of at most 1000 characters', () => {
    expect(parseSurveyAnswer({ score: 5, comment: '  很耐心 ' })).toEqual({ score: 5, comment: '很耐心' });
    expect(parseSurveyAnswer({ score: 1 })).toEqual({ score: 1, comment: null });
    expect(parseSurveyAnswer({ score: 3, comment: '   ' })).toEqual({ score: 3, comment: null });
    expect(parseSurveyAnswer({ score: 2, comment: '好'.repeat(1000) }).comment).toHaveLength(1000);
    expect(() => parseSurveyAnswer({ score: 2, comment: '好'.repeat(1001) })).toThrow(
      'comment: must be at most 1000 characters, got 1001',
    );
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.string()), (score) => {
        const valid = typeof score === 'number' && Number.isInteger(score) && score >= 1 && score <= 5;
        if (valid) expect(parseSurveyAnswer({ score }).score).toBe(score);
        else expect(() => parseSurveyAnswer({ score })).toThrow('score: must be a whole number 1–5');
      }),
    );
  });
});
