/**
 * `solowatch tag <id> [tag...]`: adds tags to a miner (or takes them off with --remove) through a
 * running solowatch. The API replaces a miner's whole set, so the command reads the set, changes
 * it and writes it back; the server checks each tag and says which one is wrong.
 */
import type { Command } from 'commander';
import type { MinerView } from '../../monitor/types.js';
import { CliError, EXIT_USAGE } from '../CliError.js';
import { collect } from '../flags.js';
import type { CliIo } from '../io.js';
import { addClientOptions, type ClientFlags, clientFor, printJson } from './client.js';

interface TagFlags extends ClientFlags {
  readonly remove?: boolean;
  readonly clear?: boolean;
}

/** The set after the change, in the order the miner had them, new ones last. */
export function changedTags(current: readonly string[], given: readonly string[], remove: boolean): string[] {
  if (remove) return current.filter((tag) => !given.includes(tag));
  return [...new Set([...current, ...given])];
}

function shown(tags: readonly string[]): string {
  return tags.length === 0 ? 'no tags' : `tags ${tags.join(', ')}`;
}

export function registerTagCommand(program: Command, io: CliIo): void {
  addClientOptions(
    program
      .command('tag')
      .description("add tags to a miner, or take them off; without tags, print the miner's tags")
      .argument('<id>', 'the miner id, as `solowatch list` shows it')
      .argument('[tags...]', 'tags (letters, digits, - _ . :), space- or comma-separated')
      .option('-r, --remove', 'take these tags off instead of adding them')
      .option('--clear', 'take every tag off')
      .addHelpText(
        'after',
        '\nTags name groups of miners: `solowatch apply --tag garage`, fleet actions and the\n' +
          "config's desired state (`fleet: - match: { tags: [garage] }`) act on them.\n" +
          'Examples:\n  solowatch tag 3f2a garage rack:1\n  solowatch tag 3f2a --remove rack:1\n',
      ),
  ).action(async (id: string, words: string[], flags: TagFlags) => {
    const given = words.reduce<string[]>((all, word) => collect(word, all), []);
    if (flags.clear === true && (given.length > 0 || flags.remove === true)) {
      throw new CliError('--clear takes every tag off: give it no tags and no --remove', EXIT_USAGE);
    }
    if (flags.remove === true && given.length === 0)
      throw new CliError('--remove needs the tags to take off', EXIT_USAGE);
    const client = await clientFor(io, flags);
    const path = `/api/miners/${encodeURIComponent(id)}`;
    const miner = await client.json<MinerView>('GET', path);
    let result = miner;
    if (given.length > 0 || flags.clear === true) {
      const tags = flags.clear === true ? [] : changedTags(miner.tags, given, flags.remove === true);
      result = await client.json<MinerView>('PATCH', path, { tags });
    }
    if (flags.json === true) return printJson(io, result);
    io.stdout(`${result.name} (${result.id}) has ${shown(result.tags)}.\n`);
  });
}
