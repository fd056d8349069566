/** What reached the fakes, one entry per request, numbered so a client can ask for what came since. */

export type Service = 'slack' | 'flex' | 'taskrouter';

export interface JournalEntry {
  seq: number;
  /** ISO time the answer was sent. */
  at: string;
  service: Service;
  /** e.g. `views.open`, `response_url`, `POST /v1/Insights/…/Comments`. */
  request: string;
  /** The parameters that say what it was about, short. */
  detail: string;
  /** `ok`, Slack's error, or the HTTP status. */
  outcome: string;
}

export class Journal {
  private readonly entries: JournalEntry[] = [];

  constructor(private readonly print?: (line: string) => void) {}

  add(entry: Omit<JournalEntry, 'seq' | 'at'>): void {
    const full = { seq: this.entries.length + 1, at: new Date().toISOString(), ...entry };
    this.entries.push(full);
    this.print?.(formatEntry(full));
  }

  /** Entries after `seq` (0: all), of one service or all of them. */
  since(seq: number, service?: Service): JournalEntry[] {
    return this.entries.filter((entry) => entry.seq > seq && (!service || entry.service === service));
  }
}

/** `09:12:03.120 slack      views.open  trigger_id=… view=qm_comment → ok V0ABC` */
export function formatEntry(entry: JournalEntry): string {
  const time = entry.at.slice(11, 23);
  const detail = entry.detail ? ` ${entry.detail}` : '';
  return `${time} ${entry.service.padEnd(10)} ${entry.request}${detail} → ${entry.outcome}`;
}

/** One line of someone's text, cut to `max` characters. */
export function short(text: string, max = 70): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > max ? `${line.slice(0, max - 1)}…` : line);
}
