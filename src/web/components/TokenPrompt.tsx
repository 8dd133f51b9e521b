/**
 * Shown when the server listens beyond loopback and wants its API token for every request. The
 * token is kept in this browser's localStorage only.
 */
import { useState } from 'preact/hooks';
import { setUserToken } from '../api.js';

export function TokenPrompt({ onSaved }: { onSaved: () => void }) {
  const [value, setValue] = useState('');
  return (
    <section class="panel token-prompt" aria-labelledby="token-title">
      <h2 id="token-title">API token needed</h2>
      <p>
        This server is reachable from the network, so it asks for its API token. Find it in the data directory
        (<code>api-token</code>) or in <code>SOLOWATCH_TOKEN</code>.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim() === '') return;
          setUserToken(value.trim());
          onSaved();
        }}
      >
        <input
          type="password"
          name="token"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          autocomplete="off"
          aria-label="API token"
        />
        <button type="submit">Use token</button>
      </form>
    </section>
  );
}
