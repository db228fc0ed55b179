import { app } from './app';
import { runScheduled } from './scheduled';

export default {
  fetch: app.fetch,
  // Awaited rather than left to waitUntil, so the run's errors and its end show in `wrangler tail`.
  async scheduled(controller, env) {
    const report = await runScheduled(env);
    console.log(JSON.stringify({ event: 'run', cron: controller.cron, ...report }));
  },
} satisfies ExportedHandler<Env>;
