import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hub {
  url: string;
  pings: Record<string, string>[];
  server: Server;
}

/**
 * A real HTTP hub on a free loopback port; `answer` decides each response's status (or hangs with 0),
 * `seen` hears of each ping as it arrives.
 */
export async function startHub(
  answer: (n: number) => number,
  seen: (ping: Record<string, string>) => void = () => {},
): Promise<Hub> {
  const pings: Record<string, string>[] = [];
  const server = createServer(async (request: IncomingMessage, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const ping = {
      ...Object.fromEntries(new URLSearchParams(body)),
      contentType: request.headers['content-type'] ?? '',
    };
    pings.push(ping);
    seen(ping);
    const status = answer(pings.length);
    if (status === 0) return;
    response.writeHead(status).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hub`, pings, server };
}
