// One scheduled run at a time. KV has no compare-and-swap, so this is a best-effort lease,
// not a lock: write our claim, read it back, and go ahead only if it is still ours. Two runs
// that claim within the same instant, or in different locations before KV has propagated
// (up to a minute), can both believe they hold it; `stillHeld` is checked again just before
// the first state write to narrow that window. The claim carries its own expiry, and the key
// an expirationTtl, so a run that dies never blocks the next one for long.
import { KV_KEYS } from './keys';

export interface Lease {
  owner: string;
  /** What started the run ("cron", "admin"). */
  trigger: string;
  acquired: string;
  expires: string;
}

/** Longer than any run takes; KV refuses TTLs under 60 s. */
export const LEASE_SECONDS = 300;

export type LeaseClaim = { held: true; lease: Lease } | { held: false; holder: Lease };

export async function acquireLease(kv: KVNamespace, owner: string, trigger: string, now: Date, seconds = LEASE_SECONDS): Promise<LeaseClaim> {
  const current = await readLease(kv);
  if (current && current.owner !== owner && Date.parse(current.expires) > now.getTime()) return { held: false, holder: current };
  const lease: Lease = { owner, trigger, acquired: now.toISOString(), expires: new Date(now.getTime() + seconds * 1000).toISOString() };
  await kv.put(KV_KEYS.lease, JSON.stringify(lease), { expirationTtl: Math.max(60, seconds) });
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

async function readLease(kv: KVNamespace): Promise<Lease | null> {
  const stored = await kv.get<Lease>(KV_KEYS.lease, 'json');
  return stored && typeof stored.owner === 'string' && typeof stored.expires === 'string' ? stored : null;
}
