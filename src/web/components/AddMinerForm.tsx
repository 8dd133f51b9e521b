/**
 * Add a miner by address. The server checks it (reaching the device, with retries) and the
 * answer is shown as it came: the code says what kind of problem, the message says which.
 */
import { useState } from 'preact/hooks';
import { type AddMinerForm as AddMinerInput, api, isApiFailure } from '../api.js';
import { minerHref } from '../route.js';
import { store } from '../store.js';

const KINDS = ['auto', 'axeos', 'nerdqaxe', 'cgminer'] as const;
type Kind = (typeof KINDS)[number];

const KIND_LABEL: Readonly<Record<Kind, string>> = {
  auto: 'Detect',
  axeos: 'AxeOS (Bitaxe)',
  nerdqaxe: 'NerdQAxe',
  cgminer: 'cgminer (Avalon, Antminer)',
};

/** What each server code means for the person filling the form. */
const HINT: Readonly<Record<string, string>> = {
  INVALID_INPUT: 'That address is not valid.',
  MINER_EXISTS: 'That miner is already watched.',
  MINER_UNREACHABLE: 'Nothing answered at that address.',
  NOT_A_MINER: 'Something answered, but not a supported miner.',
  UNAUTHORIZED: 'The server needs the API token.',
  FORBIDDEN: 'The server refused the API token.',
  TIMEOUT: 'The check took too long.',
  NETWORK: 'The dashboard lost the server.',
};

interface FormError {
  readonly code: string;
  readonly message: string;
}

export function AddMinerForm() {
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [kind, setKind] = useState<Kind>('auto');
  const [name, setName] = useState('');
  const [verify, setVerify] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const [added, setAdded] = useState<{ id: string; name: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setAdded(null);
    const trimmed = host.trim();
    if (trimmed === '') {
      setError({ code: 'INVALID_INPUT', message: 'host: enter the miner’s IP address or hostname' });
      return;
    }
    let portNumber: number | undefined;
    if (port.trim() !== '') {
      portNumber = Number(port);
      if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
        setError({ code: 'INVALID_INPUT', message: 'port: a whole number from 1 to 65535' });
        return;
      }
    }
    const input: AddMinerInput = {
      host: trimmed,
      verify,
      ...(portNumber === undefined ? {} : { port: portNumber }),
      ...(kind === 'auto' ? {} : { kind }),
      ...(name.trim() === '' ? {} : { name: name.trim() }),
    };
    setBusy(true);
    try {
      const miner = await api.addMiner(input);
      store.upsertMiner(miner);
      store.schedule('miners');
      store.schedule('fleet');
      setAdded({ id: miner.id, name: miner.name });
      setHost('');
      setPort('');
      setName('');
    } catch (e) {
      setError(
        isApiFailure(e) ? { code: e.code, message: e.message } : { code: 'ERROR', message: String(e) },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" id="add-miner" aria-labelledby="add-title">
      <h2 id="add-title">Add a miner</h2>
      <form class="add-form" onSubmit={submit} noValidate>
        <label>
          Address
          <input
            name="host"
            value={host}
            onInput={(e) => setHost(e.currentTarget.value)}
            placeholder="192.168.1.50"
            autocomplete="off"
            spellcheck={false}
            aria-invalid={error !== null}
            aria-describedby={error === null ? undefined : 'add-error'}
          />
        </label>
        <label class="narrow">
          Port
          <input
            name="port"
            value={port}
            onInput={(e) => setPort(e.currentTarget.value)}
            placeholder="auto"
            inputMode="numeric"
          />
        </label>
        <label>
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Name
          <input
            name="name"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            placeholder="optional"
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            name="verify"
            checked={verify}
            onChange={(e) => setVerify(e.currentTarget.checked)}
          />
          Check it answers first
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Add miner'}
        </button>
      </form>
      {error === null ? null : (
        <div class="form-error" id="add-error" role="alert" data-code={error.code}>
          <strong>{HINT[error.code] ?? 'The server refused it.'}</strong>{' '}
          <span class="error-message">{error.message}</span>
        </div>
      )}
      {added === null ? null : (
        <div class="form-ok" role="status">
          Added <a href={minerHref(added.id)}>{added.name}</a>.
        </div>
      )}
    </section>
  );
}
