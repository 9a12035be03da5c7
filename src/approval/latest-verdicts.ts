import type { Review } from '../domain/review.js';
import { isBotLogin, loginKey } from '../domain/logins.js';

/** A review that still stands as the person's verdict, with its position in the review list. */
export interface Verdict {
  state: 'APPROVED' | 'CHANGES_REQUESTED';
  commitId: string;
  index: number;
}

/** Everything one person's reviews add up to. */
export interface PersonReviews {
  key: string;
  /** The login as spelled on their latest review. */
  display: string;
  isBot: boolean;
  /** Their standing verdict, or null (only comments, or the verdict was dismissed). */
  verdict: Verdict | null;
  /** Positions of APPROVED reviews replaced by a later verdict or a dismissal. */
  superseded: number[];
}

/**
 * Folds the reviews (in submission order) into one standing verdict per person, by GitHub's
 * rule: APPROVED and CHANGES_REQUESTED replace the previous verdict, COMMENTED changes nothing,
 * DISMISSED removes it, PENDING (not submitted yet) is not a review at all.
 */
export function latestVerdicts(reviews: readonly Review[]): Map<string, PersonReviews> {
  const people = new Map<string, PersonReviews>();
  reviews.forEach((review, index) => {
    if (review.state === 'PENDING') return;
    const key = loginKey(review.user);
    const person = people.get(key) ?? {
      key,
      display: review.user,
      isBot: false,
      verdict: null,
      superseded: [],
    };
    people.set(key, person);
    person.display = review.user;
    person.isBot ||= review.userIsBot || isBotLogin(review.user);
    if (review.state === 'COMMENTED') return;
    if (person.verdict?.state === 'APPROVED') person.superseded.push(person.verdict.index);
    person.verdict =
      review.state === 'DISMISSED'
        ? null
        : { state: review.state, commitId: review.commitId, index };
  });
  return people;
}
