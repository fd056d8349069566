/** Whom a request acts as: comments it creates are attributed to this name and email. */
export interface FlexIdentity {
  name: string | null;
  email: string | null;
}

/**
 * Checks an Authorization header as Flex does: HTTP basic with the account's SID and auth token or an
 * API key's SID and secret, or (instead of basic) a value registered as a Flex user's own.
 */
export class FlexCredentials {
  private readonly users = new Map<string, FlexIdentity>();

  constructor(
    private readonly account: { accountSid: string; authToken: string; apiKeySid: string; apiKeySecret: string },
    private readonly accountIdentity: FlexIdentity,
  ) {}

  addUser(authorizationValue: string, user: FlexIdentity): void {
    this.users.set(authorizationValue, user);
  }

  /** The identity the header authenticates, or undefined for a 401. */
  identify(header: string | undefined): FlexIdentity | undefined {
    if (!header) return undefined;
    const user = this.users.get(header);
    if (user) return user;
    const basic = /^basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
    if (!basic?.[1]) return undefined;
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const username = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const { accountSid, authToken, apiKeySid, apiKeySecret } = this.account;
    const valid =
      (username === accountSid && password === authToken) || (username === apiKeySid && password === apiKeySecret);
    return valid ? this.accountIdentity : undefined;
  }
}
