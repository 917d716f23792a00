/**
 * A phone's Wi-Fi in a test: a loopback TCP relay to the app that the test can take down
 * (every open connection cut, new ones held unanswered, as a dead access point does) and
 * bring back (the held ones go through). Below the browser, so it cuts a socket wherever
 * the page runs it (a student's lives in a worker, which Playwright's routeWebSocket does
 * not reach).
 */
import { createConnection, createServer, type Socket } from 'node:net';

export interface Wifi {
  /** The app's address through this Wi-Fi. */
  readonly url: string;
  down(): void;
  up(): void;
  close(): Promise<void>;
}

export async function wifiTo(target: URL): Promise<Wifi> {
  const open = new Set<Socket>();
  const held: Socket[] = [];
  let isDown = false;
  const relay = (client: Socket) => {
    const server = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const [a, b] of [
      [client, server],
      [server, client],
    ] as const) {
      a.pipe(b);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        b.destroy();
        open.delete(a);
      });
      open.add(a);
    }
  };
  const relayServer = createServer((client) => {
    client.on('error', () => client.destroy());
    if (isDown) held.push(client);
    else relay(client);
  });
  await new Promise<void>((resolve) => relayServer.listen(0, '127.0.0.1', resolve));
  const { port } = relayServer.address() as { port: number };
  const down = () => {
    isDown = true;
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    down,
    up() {
      isDown = false;
      for (const client of held.splice(0)) if (!client.destroyed) relay(client);
    },
    close() {
      down();
      for (const client of held.splice(0)) client.destroy();
      return new Promise((resolve) => relayServer.close(() => resolve()));
    },
  };
}
