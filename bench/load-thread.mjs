// The load generator's thread: TypeScript through tsx, which a worker thread does not inherit.
import { register } from 'tsx/esm/api';

register();
await import('./load-sender.ts');
