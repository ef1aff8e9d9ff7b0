// A tiny hash router: `#/projects/weather/members` → ['projects', 'weather', 'members'].
import { useEffect, useState } from 'react';

function current(): string[] {
  const hash = window.location.hash.replace(/^#\/?/, '');
  return hash
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

/** The segments of the current route; re-renders when the hash changes. */
export function useRoute(): string[] {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const onChange = () => setRoute(current());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** An href for segments, e.g. `href('projects', name, 'members')` → `#/projects/weather/members`. */
export function href(...segments: string[]): string {
  return '#/' + segments.map(encodeURIComponent).join('/');
}

export function navigate(...segments: string[]): void {
  window.location.hash = href(...segments).slice(1);
}
