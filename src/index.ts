export default { fetch: () => new Response("storywire is starting") } satisfies ExportedHandler<Env>;
