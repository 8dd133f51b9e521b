/**
 * Which miners an action's target names: the union of `ids`, the miners carrying any of `tags`,
 * and every miner for `all`, in the fleet's order. An id that is not a miner is an error naming
 * it (a typo must not shrink the rollout silently); so is a target that matches nobody.
 */
import type { ActionTarget } from './Action.js';
import { ActionError } from './ActionError.js';

export interface TargetableMiner {
  readonly id: string;
  readonly tags?: readonly string[];
}

export function resolveTarget(miners: readonly TargetableMiner[], target: ActionTarget): string[] {
  const ids = new Set(target.ids ?? []);
  const tags = new Set(target.tags ?? []);
  if (ids.size === 0 && tags.size === 0 && target.all !== true) {
    throw new ActionError('INVALID_INPUT', 'target must name `ids`, `tags` or `all: true`');
  }
  const known = new Set(miners.map((m) => m.id));
  const unknown = [...ids].filter((id) => !known.has(id));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 5).map((id) => `'${id}'`);
    const more = unknown.length > 5 ? ` and ${unknown.length - 5} more` : '';
    throw new ActionError('INVALID_INPUT', `target.ids names no miner: ${shown.join(', ')}${more}`);
  }
  const chosen = miners
    .filter((m) => target.all === true || ids.has(m.id) || (m.tags ?? []).some((tag) => tags.has(tag)))
    .map((m) => m.id);
  if (chosen.length === 0) {
    throw new ActionError('INVALID_INPUT', `target matches no miner (tags ${JSON.stringify([...tags])})`);
  }
  return chosen;
}
