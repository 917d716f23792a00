import { Connection, type Role } from './connection.svelte';
import { hashOf, parseHash, type Route } from './routes';
import { tokens } from './tokens';

/** The role a page needs to be connected as, or null for pages without a session. */
export function roleFor(route: Route): Role | null {
  switch (route.page) {
    case 'host':
    case 'projector':
      return 'host';
    case 'student':
      return 'student';
    default:
      return null;
  }
}

/**
 * Follows the location hash and keeps one connection that fits the page: a host console
 * or projector resumes with the host token, a student view with the student's token.
 * Going between pages of the same session and role keeps the same socket.
 */
export class Navigation {
  route: Route = $state.raw({ page: 'home' });
  connection: Connection | null = $state.raw(null);

  constructor() {
    this.#read();
    window.addEventListener('hashchange', () => this.#read());
  }

  go(route: Route): void {
    const hash = hashOf(route);
    if (location.hash === hash) this.#read();
    else location.hash = hash;
  }

  /** Takes over a connection made by a page (a created or joined session), then shows it. */
  adopt(connection: Connection, route: Route): void {
    if (this.connection !== connection) this.connection?.close();
    this.connection = connection;
    this.go(route);
  }

  #read(): void {
    const { route, hostToken } = parseHash(location.hash);
    if (hostToken && route.page === 'host') {
      // A handover link: keep the token, and take it out of the address bar and history.
      tokens.set('host', route.code, hostToken);
      history.replaceState(
        history.state,
        '',
        `${location.pathname}${location.search}${hashOf(route)}`,
      );
    }
    if (route.page === 'student' && !tokens.get('student', route.code) && !this.#fits(route)) {
      // No identity for this session on this device: ask for a name first.
      const join: Route = { page: 'join', code: route.code };
      history.replaceState(
        history.state,
        '',
        `${location.pathname}${location.search}${hashOf(join)}`,
      );
      return this.#show(join);
    }
    if (route.page === 'join' && tokens.get('student', route.code)) {
      // Scanned the code again, or came back after closing the tab: same person as before.
      const student: Route = { page: 'student', code: route.code };
      history.replaceState(
        history.state,
        '',
        `${location.pathname}${location.search}${hashOf(student)}`,
      );
      return this.#show(student);
    }
    this.#show(route);
  }

  #show(route: Route): void {
    this.route = route;
    const role = roleFor(route);
    if (!role || !('code' in route)) {
      this.connection?.close();
      this.connection = null;
      return;
    }
    if (this.#fits(route)) return;
    this.connection?.close();
    this.connection = tokens.get(role, route.code)
      ? new Connection({ kind: 'resume', code: route.code, role })
      : null;
  }

  /** Whether the current connection already serves this page. */
  #fits(route: Route): boolean {
    const role = roleFor(route);
    const connection = this.connection;
    return (
      role !== null &&
      'code' in route &&
      connection !== null &&
      connection.code === route.code &&
      connection.role === role
    );
  }
}
