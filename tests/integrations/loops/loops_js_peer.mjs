// Run by the Loops interoperability tests on the machine's Node: Loops' official JavaScript SDK (npm `loops`,
// installed by the Makefile into .peers-node) making a real app's calls against the Loops sandbox.
// Reads {module, url, api_key, template, list} as JSON on stdin; prints what the SDK saw as JSON.

import { readFileSync } from "node:fs";

const job = JSON.parse(readFileSync(0, "utf8"));
const { LoopsClient, APIError } = await import(job.module);

const loops = new LoopsClient(job.api_key);
loops.apiRoot = job.url.replace(/\/v1\/?$/, "/");

async function attempt(call) {
  try {
    return { ok: await call() };
  } catch (error) {
    if (error instanceof APIError) return { status: error.statusCode, json: error.json };
    return { thrown: String(error) };
  }
}

const out = {};
out.apiKey = await loops.testApiKey();
out.created = await loops.createContact({
  email: "ada@example.com",
  properties: { firstName: "Ada", lastName: "Lovelace", plan: "pro" },
  mailingLists: { [job.list]: true },
});
out.reset = await loops.updateContact({
  email: "ada@example.com",
  properties: { lastName: null, plan: null, userGroup: null },
  mailingLists: null,
});
out.found = await loops.findContact({ email: "ada@example.com" });
out.event = await loops.sendEvent({
  email: "ada@example.com",
  eventName: "signup",
  eventProperties: { source: "js" },
  mailingLists: null,
});
out.listed = await loops.listTransactionalEmails({ perPage: 10 });
out.one = await loops.getTransactionalEmail(job.template);
out.missing = await attempt(() => loops.getTransactionalEmail("no-such-email"));
out.sent = await loops.sendTransactionalEmail({
  transactionalId: job.template,
  email: "ada@example.com",
  dataVariables: { name: "Ada" },
});
out.unknownTemplate = await attempt(() =>
  loops.sendTransactionalEmail({ transactionalId: "nope", email: "ada@example.com" }),
);
out.lists = await loops.listMailingLists();
out.deleted = await loops.deleteContact({ email: "ada@example.com" });
process.stdout.write(JSON.stringify(out));
