// GET /health: is the Worker polling? One KV read (the source records, which carry the last
// run's summary). No URLs, no errors' text, no settings: those are in the admin API.
import { Hono } from 'hono';
import { readSettings } from '../config';
import { readSourceState } from '../store/sourceState';

export const healthRoutes = new Hono<{ Bindings: Env }>();

healthRoutes.get('/health', async (c) => {
  const settings = readSettings(c.env);
  const { statuses, lastRun } = await readSourceState(c.env.STATE);
  const now = Date.now();
  const records = Object.values(statuses);
  // A paused source is not polled: its last failure says nothing about the Worker now.
  const paused = records.filter((s) => s.paused).length;
  const failing = records.filter((s) => !s.paused && s.failures > 0).length;
  // Runs come every POLL_INTERVAL_MINUTES (the cron); three missed in a row means the cron is not firing.
  const staleAfterMinutes = 3 * settings.pollIntervalMinutes;
  const ageMinutes = lastRun ? Math.round((now - Date.parse(lastRun.at)) / 60_000) : null;
  const status = lastRun === null ? 'waiting for the first run'
    : ageMinutes! > staleAfterMinutes ? 'stale'
    : failing > 0 || lastRun.outcome === 'errors' ? 'degraded'
    : 'ok';
  c.header('Cache-Control', 'no-store');
  return c.json({
    status,
    lastRun: lastRun && { ...lastRun, ageMinutes },
    sources: { tracked: records.length, ok: records.length - failing - paused, failing, paused },
  }, status === 'stale' ? 503 : 200);
});
