import { app } from './app';
import { logRun } from './runReport';
import { runScheduled } from './scheduled';

export default {
  fetch: app.fetch,
  // Awaited rather than left to waitUntil, so the run's errors and its end show in `wrangler tail`.
  async scheduled(controller, env) {
    const started = Date.now();
    try {
      logRun(await runScheduled(env), { trigger: 'cron', cron: controller.cron });
    } catch (err) {
      console.error(JSON.stringify({ event: 'run-failed', cron: controller.cron, wallMs: Date.now() - started, error: String((err as Error)?.stack ?? err) }));
      throw err;
    }
  },
} satisfies ExportedHandler<Env>;
