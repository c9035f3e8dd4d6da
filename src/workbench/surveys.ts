// Satisfaction surveys: a case resolved or a complaint closed offers the borrower one survey, a score 1–5
// and an optional comment. Pure: the shell stores the offer and the answer. Invariants: one survey per
// resolved case or closed complaint (its id is the subject's), answered once (the store's).
import { InputError, quote } from '../errors/index.ts';

export const surveySubjects = ['case', 'complaint'] as const;
export type SurveySubject = (typeof surveySubjects)[number];

export const surveyLimits = { scoreMin: 1, scoreMax: 5, commentLengthMax: 1_000 } as const;

export interface SurveyOffer {
  borrowerId: string;
  /** `${subjectKind}:${subjectId}`: one survey per case or complaint. */
  surveyId: string;
  subjectKind: SurveySubject;
  subjectId: string;
  offeredAtMs: number;
}

export function surveyOffer(subject: {
  borrowerId: string;
  subjectKind: SurveySubject;
  subjectId: string;
  atMs: number;
}): SurveyOffer {
  return {
    borrowerId: subject.borrowerId,
    surveyId: `${subject.subjectKind}:${subject.subjectId}`,
    subjectKind: subject.subjectKind,
    subjectId: subject.subjectId,
    offeredAtMs: subject.atMs,
  };
}

export interface SurveyAnswer {
  score: number;
  /** Trimmed; null when none was given. */
  comment: string | null;
}

/** A survey answer: a whole score 1–5 and a comment of at most 1000 characters. */
export function parseSurveyAnswer(input: { score: unknown; comment?: unknown }): SurveyAnswer {
  const { score, comment } = input;
  if (
    typeof score !== 'number' ||
    !Number.isInteger(score) ||
    score < surveyLimits.scoreMin ||
    score > surveyLimits.scoreMax
  ) {
    throw new InputError(
      'score',
      `must be a whole number ${surveyLimits.scoreMin}–${surveyLimits.scoreMax}, got ${quote(score)}`,
    );
  }
  if (comment === undefined || comment === null) return { score, comment: null };
  if (typeof comment !== 'string') throw new InputError('comment', `must be text, got ${quote(comment)}`);
  const trimmed = comment.trim();
  if ([...trimmed].length > surveyLimits.commentLengthMax) {
    throw new InputError(
      'comment',
      `must be at most ${surveyLimits.commentLengthMax} characters, got ${[...trimmed].length}`,
    );
  }
  return { score, comment: trimmed.length === 0 ? null : trimmed };
}
