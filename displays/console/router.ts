/**
 * @module console/router
 * Hash routes of the console (`#/live`, `#/rules`, `#/rules/new`, `#/rules/{ruleId}`, `#/experiments`,
 * `#/experiments/{experimentId}`): links work with the keyboard, the back button and a reload, and the
 * engine serves one page for all of them.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Route =
  | { page: 'live' }
  | { page: 'rules' }
  | { page: 'rule'; ruleId?: string | undefined }
  | { page: 'experiments'; experimentId?: string | undefined };

export type PageName = Route['page'];

/** `#/rules/r-1` → `{ page: 'rule', ruleId: 'r-1' }`; anything unknown is the live page. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => {
    try { return decodeURIComponent(p); } catch { return p; }
  });
  const [page, id] = parts;
  if (page === 'rules') return id === undefined ? { page: 'rules' } : id === 'new' ? { page: 'rule' } : { page: 'rule', ruleId: id };
  if (page === 'experiments') return { page: 'experiments', experimentId: id };
  return { page: 'live' };
}

export function routeHref(r: Route): string {
  switch (r.page) {
    case 'live': return '#/live';
    case 'rules': return '#/rules';
    case 'rule': return r.ruleId ? `#/rules/${encodeURIComponent(r.ruleId)}` : '#/rules/new';
    case 'experiments': return r.experimentId ? `#/experiments/${encodeURIComponent(r.experimentId)}` : '#/experiments';
  }
}

export function navigate(r: Route): void {
  location.hash = routeHref(r);
}

/** Keeps `route` in step with `location.hash` and re-renders the host on every change. */
export class HashRouter implements ReactiveController {
  route: Route = parseRoute(location.hash);
  private readonly _onChange = () => {
    this.route = parseRoute(location.hash);
    this.host.requestUpdate();
  };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this._onChange();
    addEventListener('hashchange', this._onChange);
  }

  hostDisconnected(): void {
    removeEventListener('hashchange', this._onChange);
  }
}
