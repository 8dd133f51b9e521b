/** Hash routes, so the static files need no server-side routing: `#/` and `#/miners/:id`. */
import { useEffect, useState } from 'preact/hooks';

export type Route = { readonly page: 'dashboard' } | { readonly page: 'miner'; readonly id: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/miners\/([^/?#]+)\/?$/.exec(hash);
  if (match?.[1] !== undefined) {
    try {
      return { page: 'miner', id: decodeURIComponent(match[1]) };
    } catch {
      return { page: 'dashboard' };
    }
  }
  return { page: 'dashboard' };
}

export function minerHref(id: string): string {
  return `#/miners/${encodeURIComponent(id)}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
