/**
 * Assigns each candidate to at most one stage so that earlier stages are filled first and no
 * stage is starved by a person it shares with another stage (a person counts once).
 *
 * Why a matching rather than "first stage that needs them": with alice in lead, bob in both lead
 * and ops, and both approving, greedy order could put bob in lead and leave ops short forever.
 * Augmenting paths (Kuhn's algorithm with stage capacities) move bob to ops and alice to lead;
 * filling stages in order keeps the earliest stages as full as possible, and the total is the
 * maximum, so every stage can be met exactly when some assignment meets them all.
 *
 * @param stages per stage, the keys of people who may count for it and how many it needs
 * @param candidates keys of people who approved, in preference order
 * @returns candidate key -> stage index, for the candidates that fill a slot
 */
export function assignToStages(
  stages: readonly { members: ReadonlySet<string>; required: number }[],
  candidates: readonly string[],
): Map<string, number> {
  type Stage = (typeof stages)[number];
  const holderOf = new Map<string, Stage>();

  // Finds one more person for `stage`, moving already-assigned people elsewhere if needed.
  // Someone still free is preferred, so people only move when they must.
  const augment = (stage: Stage, seen: Set<string>): boolean => {
    const free = candidates.find((p) => stage.members.has(p) && !holderOf.has(p));
    if (free !== undefined) {
      holderOf.set(free, stage);
      return true;
    }
    for (const person of candidates) {
      const holder = holderOf.get(person);
      // Skip people of other stages' slots already tried, and those already in this stage.
      if (seen.has(person) || !stage.members.has(person) || holder === stage) continue;
      seen.add(person);
      if (augment(holder!, seen)) {
        holderOf.set(person, stage);
        return true;
      }
    }
    return false;
  };

  for (const stage of stages) {
    let filled = 0;
    while (filled < stage.required && augment(stage, new Set())) filled += 1;
  }
  return new Map([...holderOf].map(([person, stage]) => [person, stages.indexOf(stage)]));
}
