import type { Log } from '../lambdas/seedfeed/ports.js';

const LEVELS = { info: 0, warn: 1, error: 2 } as const;

/** One readable line per event for people at a terminal; the Lambda logs JSON instead. */
export function consoleLog(min: keyof typeof LEVELS): Log {
  const line = (level: keyof typeof LEVELS) => (message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < LEVELS[min]) return;
    const detail = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    (level === 'info' ? console.log : console.error)(`[${level}] ${message}${detail}`);
  };
  return { info: line('info'), warn: line('warn'), error: line('error') };
}
