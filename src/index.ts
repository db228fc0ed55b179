import { app } from './app';
import { consume, fanOut, queuesOf } from './queued';
import { logRun } from './runReport';
import { defaultDeps, runScheduled } from './scheduled';

export default {
  fetch: app.fetch,
  // Awaited rather than left to waitUntil, so the run's errors and its end show in `wrangler tail`.
  // With the queues declared (wrangler.toml) the cron only sends the due sources to be polled;
  // without them it does the whole run in this invocation (docs/architecture.md).
  async scheduled(controller, env) {
    const started = Date.now();
    try {
      const queues = queuesOf(env);
      // The cron's own instant (not when this invocation began): polls are scheduled from it, one
      // interval apart, so a cron that fires a little late still finds them due at the next one.
      const now = () => new Date(controller.scheduledTime);
      if (queues) console.log(JSON.stringify({ event: 'fanout', cron: controller.cron, ...(await fanOut(env, queues, { now: now() })) }));
      else logRun(await runScheduled(env, { ...defaultDeps(), now }), { trigger: 'cron', cron: controller.cron });
    } catch (err) {
      console.error(JSON.stringify({ event: 'run-failed', cron: controller.cron, wallMs: Date.now() - started, error: String((err as Error)?.stack ?? err) }));
      throw err;
    }
  },
  async queue(batch, env) {
    const started = Date.now();
    const summary = await consume(batch.queue, batch.messages, env);
    console.log(JSON.stringify({ event: 'queue-batch', ...summary, wallMs: Date.now() - started }));
  },
} satisfies ExportedHandler<Env>;
