/**
 * A miner's tags on its page: chips to take one off, a field to add some (comma- or
 * space-separated). The server checks each tag; its refusal is shown here, as it said it.
 */
import { useState } from 'preact/hooks';
import { api, isApiFailure } from '../api.js';
import { store } from '../store.js';
import type { ListedMiner } from '../types.js';

/** The words typed, each once, in the order typed. */
export function typedTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((t) => t !== ''))];
}

/** Tags as chips; the table and this panel show them alike. */
export function TagChips({ tags, onRemove }: { tags: readonly string[]; onRemove?: (tag: string) => void }) {
  return (
    <span class="tags">
      {tags.map((tag) => (
        <span class="tag" data-tag={tag} key={tag}>
          {tag}
          {onRemove === undefined ? null : (
            <button
              type="button"
              class="tag-remove"
              aria-label={`Remove tag ${tag}`}
              onClick={() => onRemove(tag)}
            >
              ×
            </button>
          )}
        </span>
      ))}
    </span>
  );
}

export function MinerTags({ miner }: { miner: ListedMiner }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (tags: string[]): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      store.upsertMiner(await api.updateMiner(miner.id, { tags }));
      return true;
    } catch (e) {
      setError(isApiFailure(e) ? e.message : String(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel miner-tags" data-tags={miner.tags.join(',')}>
      <h2>Tags</h2>
      {miner.tags.length === 0 ? <p class="muted">No tags yet.</p> : null}
      <TagChips tags={miner.tags} onRemove={(tag) => void save(miner.tags.filter((t) => t !== tag))} />
      <form
        class="add-tags"
        onSubmit={async (e) => {
          e.preventDefault();
          const added = typedTags(text);
          if (added.length === 0) return;
          if (await save([...new Set([...miner.tags, ...added])])) setText('');
        }}
      >
        <input
          name="tags"
          value={text}
          placeholder="garage, rack:1"
          aria-label="Tags to add"
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <button type="submit" disabled={busy || typedTags(text).length === 0}>
          Add
        </button>
      </form>
      {error === null ? null : (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
