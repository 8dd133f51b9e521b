/** Entry point: find the token, start the live stream, render. */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { loadSession } from './api.js';
import { App } from './components/App.js';
import { LiveConnection } from './live.js';
import { store } from './store.js';

async function start(): Promise<void> {
  await loadSession();
  const live = new LiveConnection(store);
  const root = document.getElementById('app');
  if (root === null) throw new Error('index.html has no #app element');
  render(<App live={live} />, root);
  void store.refreshAll();
  live.start();
}

void start();
