/** Reads what the run's SMTP catcher (MailDev, started by global-setup.mjs) received. */
export interface CaughtEmail {
  readonly id: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly to: { address: string }[];
}

function maildevUrl(): string {
  const url = process.env.TEST_MAILDEV_URL;
  if (!url) throw new Error('TEST_MAILDEV_URL is unset: run the tests through jest (global-setup.mjs)');
  return url;
}

export async function emailsTo(address: string): Promise<CaughtEmail[]> {
  const all = (await (await fetch(`${maildevUrl()}/api/email`)).json()) as CaughtEmail[];
  return all.filter((email) => email.to.some((to) => to.address.toLowerCase() === address.toLowerCase()));
}

/** Waits until `address` has received `count` e-mails whose subject matches, and returns the newest. */
export async function waitForEmail(
  address: string,
  subject: RegExp,
  count = 1,
  timeoutMs = 10_000,
): Promise<CaughtEmail> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    const matching = (await emailsTo(address)).filter((email) => subject.test(email.subject));
    if (matching.length >= count) return matching[matching.length - 1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no e-mail matching ${String(subject)} reached ${address} within ${timeoutMs} ms`);
}

/** The link an e-mail asks the reader to follow, and the token in its fragment (`#token=`). */
export function linkIn(email: CaughtEmail): { url: URL; token: string } {
  const match = /https?:\/\/\S+#token=[\w-]+/.exec(email.text);
  if (!match) throw new Error(`no link in the e-mail "${email.subject}"`);
  const url = new URL(match[0]);
  return { url, token: new URLSearchParams(url.hash.slice(1)).get('token')! };
}
