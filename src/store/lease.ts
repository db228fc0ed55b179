// One scheduled run at a time. KV has no compare-and-swap, so this is a best-effort lease,
// not a lock: write our claim, read it back, and go ahead only if it is still ours. Two runs
// that claim within the same instant, or in different locations before KV has propagated
// (up to a minute), can both believe they hold it; `stillHeld` is checked again just before
// the first state write to narrow that window. The claim carries its own expiry, and the key
// an expirationTtl, so a run that dies never blocks the next one for long.
//
// The claim also names the work the run took (sources and pushed articles). A run that ends,
// even by an exception, deletes it; a run killed by the platform (memory, CPU) cannot, so the
// next run finds an expired claim and knows which work killed it (src/sources/progress.ts). The
// key's own TTL is therefore much longer than the claim's expiry: it is that record.
import { KV_KEYS } from './keys';

export interface Lease {
  owner: string;
  /** What started the run ("cron", "admin"). */
  trigger: string;
  acquired: string;
  expires: string;
  /** Work units taken ("source:<id>", "article:<id>"). */
  work?: string[];
  /** Units still suspected from earlier deaths, not in `work`. */
  suspects?: string[];
  /** The run works after an earlier death (it repeats the work once, or takes suspects): if it dies too, the next run halves its work. */
  afterDeath?: boolean;
}

/** Longer than any run takes (40 polls, six at a time, 10 s each at most); KV refuses TTLs under 60 s. */
export const LEASE_SECONDS = 300;
/** How long a dead run's claim stays readable as the record of what killed it. */
export const LEASE_RECORD_TTL_SECONDS = 7 * 24 * 60 * 60;

export type LeaseClaim = { held: true; lease: Lease } | { held: false; holder: Lease };

export async function acquireLease(
  kv: KVNamespace, owner: string, trigger: string, now: Date, seconds = LEASE_SECONDS, work: { work?: string[]; suspects?: string[]; afterDeath?: boolean } = {},
): Promise<LeaseClaim> {
  const current = await readLease(kv);
  if (current && current.owner !== owner && Date.parse(current.expires) > now.getTime()) return { held: false, holder: current };
  const lease: Lease = { owner, trigger, acquired: now.toISOString(), expires: new Date(now.getTime() + seconds * 1000).toISOString(), ...work };
  await kv.put(KV_KEYS.lease, JSON.stringify(lease), { expirationTtl: Math.max(60, seconds, LEASE_RECORD_TTL_SECONDS) });
  const confirmed = await readLease(kv);
  if (confirmed?.owner !== owner) return { held: false, holder: confirmed ?? lease };
  return { held: true, lease };
}

export async function stillHeld(kv: KVNamespace, owner: string): Promise<boolean> {
  return (await readLease(kv))?.owner === owner;
}

/** Lets the next run start at once instead of waiting for the expiry; leaves another run's claim alone. */
export async function releaseLease(kv: KVNamespace, owner: string): Promise<void> {
  if (await stillHeld(kv, owner)) await kv.delete(KV_KEYS.lease);
}

export async function readLease(kv: KVNamespace): Promise<Lease | null> {
  const stored = await kv.get<Lease>(KV_KEYS.lease, 'json');
  return stored && typeof stored.owner === 'string' && typeof stored.expires === 'string' ? stored : null;
}
