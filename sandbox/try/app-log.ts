/** The app's log as the try page shows it: its stdout's pino JSON lines, parsed, the newest few hundred. */

export interface LogLine {
  seq: number;
  time: string;
  level: string;
  msg: string;
  /** The line's other fields (event, ids, durations); the app keeps comment text and emails out of them. */
  fields: Record<string, unknown>;
}

const KEPT = 500;
const OWN = new Set(['time', 'level', 'msg', 'pid', 'hostname']);

export class AppLog {
  private readonly lines: LogLine[] = [];
  private seq = 0;
  private partial = '';

  /** A chunk of the app's output; lines that are not JSON (stderr, a crash) are kept as they are. */
  write(chunk: string): void {
    const text = this.partial + chunk;
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) this.add(part);
  }

  since(seq: number): LogLine[] {
    return this.lines.filter((line) => line.seq > seq);
  }

  all(): LogLine[] {
    return [...this.lines];
  }

  /** Everything, as text: for the message when the app will not start. */
  text(): string {
    return [...this.lines.map((line) => `${line.level} ${line.msg}`), this.partial].join('\n');
  }

  private add(raw: string): void {
    this.seq += 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      const record = parsed as Record<string, unknown>;
      const fields = Object.fromEntries(Object.entries(record).filter(([key]) => !OWN.has(key)));
      this.lines.push({
        seq: this.seq,
        time: typeof record.time === 'string' ? record.time : new Date().toISOString(),
        level: typeof record.level === 'string' ? record.level : 'info',
        msg: typeof record.msg === 'string' ? record.msg : '',
        fields,
      });
    } else {
      this.lines.push({ seq: this.seq, time: new Date().toISOString(), level: 'output', msg: raw, fields: {} });
    }
    if (this.lines.length > KEPT) this.lines.splice(0, this.lines.length - KEPT);
  }
}
