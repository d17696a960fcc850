'use strict';
/*
 * node-zendesk compatibility suite: drives the mock through node-zendesk (pinned by .ci/run,
 * installed under .ci/deps/node) over real HTTP, one step per area.
 *
 * Run by tests/tests/node_compat.rs against an in-process server. Environment:
 *   ZENDESK_E2E_NODE_MODULES  the node_modules holding node-zendesk (and its cross-fetch)
 *   ZENDESK_URL               http://HOST:PORT of the server (the client gets `<url>/api/v2`)
 *   ZENDESK_EMAIL, ZENDESK_TOKEN   the default account's admin: every step but the two below
 *   ZENDESK_SEED              JSON: the `refs` the Rust test's seed of that account returned
 *   PAGES_EMAIL, PAGES_TOKEN, PAGES_USERS, PAGES_TICKETS
 *                             an account holding only long lists, and their exact lengths
 *   LIMITED_EMAIL, LIMITED_TOKEN, LIMITED_LIMIT, LIMITED_USERS
 *                             an account with rate limits on, a frozen clock, LIMITED_LIMIT
 *                             requests a minute and LIMITED_USERS users
 *
 * Prints one JSON line per step, {"step", "ok", "detail"}, runs every step whatever failed
 * before, and exits 1 if any step failed. A failed step's detail carries the traffic it sent
 * (method, path with query exactly as sent, status, Retry-After).
 *
 * Left out: search (`GET /api/v2/search`) — the server does not have it yet (a later issue).
 * `/users/search` is covered in the users step.
 *
 * Where node-zendesk 6.0.1 has no call for an endpoint (deleted tickets, deleted users, string
 * redaction) the step says so in its detail ("not in the client") and reaches the endpoint
 * through the client's generic `request`/`requestAll`, so the URL, headers and body handling
 * are still node-zendesk's.
 */

const path = require('node:path');

const modules = process.env.ZENDESK_E2E_NODE_MODULES;
if (!modules) {
  console.error('ZENDESK_E2E_NODE_MODULES is not set: run .ci/run');
  process.exit(2);
}
const zendesk = require(path.join(modules, 'node-zendesk'));
// node-zendesk's own transport (it fetches through cross-fetch); wrapped below only to record
// the traffic and to bound how many requests a step may send.
const { fetch } = require(path.join(modules, 'cross-fetch'));

const URL_ROOT = process.env.ZENDESK_URL.replace(/\/$/, '');
const SEED = JSON.parse(process.env.ZENDESK_SEED || '{}');
const STEP_TIMEOUT_MS = 15000;
/** Requests one step may send before the guard stops it (a paginating client that loops). */
const STEP_REQUEST_BUDGET = 60;

// ------------------------------------------------------------------------------------------
// Traffic log and request guard
// ------------------------------------------------------------------------------------------

let traffic = [];
let budget = STEP_REQUEST_BUDGET;

function setBudget(n) {
  budget = n;
}

const transportConfig = {
  async transportFn(uri, options) {
    const entry = { method: options.method, path: uri.startsWith(URL_ROOT) ? uri.slice(URL_ROOT.length) : uri };
    traffic.push(entry);
    if (traffic.length > budget) {
      entry.status = 'not sent';
      throw new Error(`guard: more than ${budget} requests in this step (a pagination loop?)`);
    }
    const response = await fetch(uri, options);
    entry.status = response.status;
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter !== null) entry.retry_after = retryAfter;
    return response;
  },
  responseAdapter(response) {
    return {
      json: () => response.json(),
      status: response.status,
      headers: { get: (name) => response.headers.get(name) },
      statusText: response.statusText,
    };
  },
};

function client(email, token) {
  return zendesk.createClient({
    username: email,
    token,
    endpointUri: `${URL_ROOT}/api/v2`,
    // Keeps the status and body on errors (the default rethrows a bare message).
    throwOriginalException: true,
    transportConfig,
  });
}

// ------------------------------------------------------------------------------------------
// Steps
// ------------------------------------------------------------------------------------------

let failures = 0;

function report(step, ok, detail) {
  if (!ok) failures += 1;
  process.stdout.write(`${JSON.stringify({ step, ok, detail })}\n`);
}

function describeError(error) {
  if (!(error instanceof Error)) return { thrown: error };
  const described = { message: error.message };
  if (error.statusCode !== undefined) described.status = error.statusCode;
  if (error.result !== undefined && error.result !== null) described.body = error.result;
  return described;
}

async function step(name, body) {
  traffic = [];
  budget = STEP_REQUEST_BUDGET;
  const notes = [];
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step still running after ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  try {
    const detail = await Promise.race([body(notes), timeout]);
    report(name, true, { ...detail, ...(notes.length ? { notes } : {}), requests: traffic.length });
  } catch (error) {
    report(name, false, { error: describeError(error), ...(notes.length ? { notes } : {}), traffic });
  } finally {
    clearTimeout(timer);
  }
}

function check(condition, message, value) {
  if (!condition) {
    const error = new Error(value === undefined ? message : `${message}: ${JSON.stringify(value)}`);
    throw error;
  }
}

function same(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${message}: expected ${e}, got ${a}`);
}

/** The error a call threw; fails when it resolved instead. */
async function refusal(promise, what) {
  try {
    const { result } = await promise;
    throw Object.assign(new Error(`${what} was not refused`), { resolvedWith: result });
  } catch (error) {
    if (error.resolvedWith !== undefined) {
      throw new Error(`${error.message}: resolved with ${JSON.stringify(error.resolvedWith)}`);
    }
    return error;
  }
}

/** Asserts a refusal carries this status and (when given) exactly this Zendesk error body. */
function refusedWith(error, status, body) {
  check(error.statusCode === status, `expected ${status}`, describeError(error));
  if (body !== undefined) same(error.result, body, `the ${status} body`);
}

function recordInvalid(field, description) {
  return {
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: { [field]: [{ description }] },
  };
}

const NOT_FOUND = { error: 'RecordNotFound', description: 'Not found' };
const PLACEHOLDER = 'Permanently Deleted User';

async function finishedJob(admin, job) {
  check(job && typeof job.id === 'string', 'a job_status with an id', job);
  // node-zendesk's own poller: every 50 ms, up to 5 404s.
  const done = await admin.jobstatuses.watch(job.id, 50, 5);
  check(done.status === 'completed', 'job completed', done);
  return done;
}

function seeded(ref) {
  const id = SEED[ref];
  check(Number.isInteger(id), `the Rust test seeded \`${ref}\``, SEED);
  return id;
}

// ---- users -------------------------------------------------------------------------------

const ctx = {};

async function users(admin) {
  const email = 'nora.node@example.org';
  const second = 'nora.work@example.org';
  const { result: created } = await admin.users.create({ user: { name: 'Nora Node', email, verified: true } });
  check(Number.isInteger(created.id) && created.email === email && created.name === 'Nora Node', 'created user', created);
  ctx.nora = created.id;

  const { result: shown } = await admin.users.show(created.id);
  check(shown.id === created.id && shown.email === email, 'shown user', shown);

  // An email in an update adds a secondary identity; the primary email stays.
  const { result: updated } = await admin.users.update(created.id, { user: { name: 'Nora N. Node', email: second } });
  check(updated.id === created.id && updated.name === 'Nora N. Node' && updated.email === email, 'updated user', updated);

  const found = await admin.users.search({ query: email });
  same(found.map((u) => u.id), [created.id], `users/search for ${email}`);

  const { result: upserted } = await admin.users.createOrUpdate({ user: { email, name: 'Nora Upserted' } });
  check(upserted.id === created.id && upserted.name === 'Nora Upserted', 'createOrUpdate of an existing email updates it', upserted);
  const { result: fresh } = await admin.users.createOrUpdate({ user: { email: 'olga.new@example.org', name: 'Olga New' } });
  check(Number.isInteger(fresh.id) && fresh.id !== created.id && fresh.email === 'olga.new@example.org', 'createOrUpdate of a new email creates', fresh);

  return { user_id: created.id, created_by_upsert: fresh.id };
}

// ---- identities --------------------------------------------------------------------------

async function identities(admin) {
  const user = ctx.nora;
  check(Number.isInteger(user), 'the users step created Nora');
  const listed = await admin.useridentities.list(user);
  const emails = listed.filter((i) => i.type === 'email');
  same(
    emails.map((i) => [i.value, i.primary]).sort(),
    [['nora.node@example.org', true], ['nora.work@example.org', false]],
    'email identities (value, primary) after the update',
  );

  const phone = '+1 202 555 0142';
  const { result: created } = await admin.useridentities.create(user, { type: 'phone_number', value: phone });
  check(Number.isInteger(created.id) && created.type === 'phone_number' && created.value === phone && created.user_id === user, 'created identity', created);

  const work = emails.find((i) => i.value === 'nora.work@example.org');
  const { result: afterPrimary } = await admin.useridentities.makePrimary(user, work.id);
  check(Array.isArray(afterPrimary), 'make_primary answers with the identities', afterPrimary);
  // Primary is per type: the phone number stays the primary phone.
  const primaries = afterPrimary.filter((i) => i.type === 'email' && i.primary).map((i) => i.value);
  same(primaries, ['nora.work@example.org'], 'the one primary email identity after make_primary');
  const { result: shown } = await admin.users.show(user);
  check(shown.email === 'nora.work@example.org', "the user's email follows the primary identity", shown);

  await admin.useridentities.delete(user, created.id);
  const remaining = await admin.useridentities.list(user);
  same(remaining.map((i) => i.value).sort(), ['nora.node@example.org', 'nora.work@example.org'], 'identities after deleting the phone');
  const gone = await refusal(admin.useridentities.show(user, created.id), 'showing the deleted identity');
  refusedWith(gone, 404, NOT_FOUND);
  return { identities: remaining.length, deleted: created.id };
}

// ---- pagination --------------------------------------------------------------------------

/** Lists with node-zendesk's getAll under a page budget; asserts the exact count, no repeats. */
async function paginate(list, expected, kind) {
  const pages = Math.ceil(expected / 100);
  // Room for a little more than the pages needed; a client that loops hits it at once.
  setBudget(pages + 3);
  const items = await list();
  const ids = items.map((item) => item && item.id);
  const distinct = new Set(ids);
  check(ids.every(Number.isInteger), `every listed ${kind} has an id`, items.filter((i) => !i || !Number.isInteger(i.id)).slice(0, 3));
  check(
    items.length === expected && distinct.size === expected,
    `${kind}: expected exactly ${expected} distinct, got ${items.length} items (${distinct.size} distinct) in ${traffic.length} requests`,
  );
  check(traffic.length === pages, `${pages} page requests for ${expected} ${kind}`, traffic);
  const first = traffic[0].path;
  check(first.includes('page%5Bsize%5D=100'), 'node-zendesk asks for cursor pages of 100', first);
  return { items: items.length, distinct: distinct.size, pages: traffic.map((t) => t.path) };
}

// ---- tickets -----------------------------------------------------------------------------

async function tickets(admin) {
  const { result: ticket } = await admin.tickets.create({
    ticket: {
      subject: 'Node ticket',
      comment: { body: 'Opened from node-zendesk.' },
      requester: { name: 'Tess Ticket', email: 'tess.ticket@example.org' },
    },
  });
  check(Number.isInteger(ticket.id) && ticket.subject === 'Node ticket' && ticket.status === 'new', 'created ticket', ticket);
  ctx.tess = ticket.requester_id;

  const { result: updated } = await admin.tickets.update(ticket.id, {
    ticket: { status: 'open', comment: { body: 'An internal note.', public: false } },
  });
  check(updated.id === ticket.id && updated.status === 'open', 'updated ticket', updated);

  const comments = await admin.tickets.getComments(ticket.id);
  same(
    comments.map((c) => [c.body, c.public]),
    [['Opened from node-zendesk.', true], ['An internal note.', false]],
    'comments (body, public)',
  );

  const closed = seeded('closed_ticket');
  const refused = await refusal(
    admin.tickets.update(closed, { ticket: { comment: { body: 'Too late.' } } }),
    'updating a closed ticket',
  );
  refusedWith(refused, 422, recordInvalid('status', 'Status: closed prevents ticket update'));
  return { ticket_id: ticket.id, comments: comments.length, closed_ticket: closed };
}

// ---- bulk --------------------------------------------------------------------------------

async function bulk(admin, notes) {
  const people = ['Bea Bulk', 'Ben Bulk', 'Bo Bulk'].map((name) => ({
    name,
    email: `${name.split(' ')[0].toLowerCase()}.bulk@example.org`,
    verified: true,
  }));
  const { result: queued } = await admin.users.createMany({ users: people });
  const created = await finishedJob(admin, queued.job_status);
  const results = created.results || [];
  check(results.length === 3 && results.every((r) => Number.isInteger(r.id) && r.status === 'Created'), 'create_many results', results);
  const ids = results.map((r) => r.id);

  // node-zendesk documents `users.destroyMany([ids])`, but with one argument it throws before
  // sending anything, and with two it drops the ids. Three arguments put `?ids=` on the URL.
  try {
    await admin.users.destroyMany(ids);
    notes.push('users.destroyMany(ids) (the documented form) sent a request');
  } catch (error) {
    notes.push(`client: users.destroyMany(ids), its documented form, throws "${error.message}" without sending; called as destroyMany(ids, undefined, undefined)`);
  }
  const sentBefore = traffic.length;
  const { result: destroying } = await admin.users.destroyMany(ids, undefined, undefined);
  const sent = traffic[sentBefore];
  check(sent && sent.path === `/api/v2/users/destroy_many.json?ids=${ids.join('%2C')}`, 'destroy_many URL', sent);
  const destroyed = await finishedJob(admin, destroying.job_status);
  same(
    (destroyed.results || []).map((r) => [r.id, r.status, r.success]),
    ids.map((id) => [id, 'Deleted', true]),
    'destroy_many results',
  );
  for (const id of ids) {
    const { result: user } = await admin.users.show(id);
    check(user.active === false, `user ${id} soft-deleted`, user);
  }
  return { created: ids, create_job: created.id, destroy_job: destroyed.id };
}

// ---- deletes -----------------------------------------------------------------------------

async function deletes(admin, notes) {
  // Ticket: soft delete, then permanent delete through Deleted Tickets.
  const ticket = seeded('doomed_ticket');
  const { result: noContent } = await admin.tickets.delete(ticket);
  if (noContent instanceof Error) {
    notes.push(`client: tickets.delete resolves with an Error object as its result on Zendesk's 204 ("${noContent.message}", statusCode ${noContent.statusCode})`);
  }
  const gone = await refusal(admin.tickets.show(ticket), 'showing the deleted ticket');
  refusedWith(gone, 404, NOT_FOUND);

  notes.push('not in the client: node-zendesk 6.0.1 has no Deleted Tickets calls; used its generic request/requestAll');
  const listed = await admin.tickets.requestAll('GET', ['deleted_tickets']);
  const deletedIds = listed.flatMap((page) => (page.deleted_tickets || []).map((t) => t.id));
  check(deletedIds.includes(ticket), 'the soft-deleted ticket is in deleted_tickets', deletedIds);
  const { result: purging } = await admin.tickets.request('DELETE', ['deleted_tickets', ticket]);
  const purged = await finishedJob(admin, purging.job_status);
  const after = await admin.tickets.requestAll('GET', ['deleted_tickets']);
  const stillDeleted = after.flatMap((page) => (page.deleted_tickets || []).map((t) => t.id));
  check(!stillDeleted.includes(ticket), 'the permanently deleted ticket left deleted_tickets', stillDeleted);

  // User: soft delete, then permanent delete through Deleted Users.
  const user = seeded('della');
  const { result: soft } = await admin.users.delete(user);
  check(soft.id === user && soft.active === false, 'the soft-deleted user', soft);
  notes.push('not in the client: node-zendesk 6.0.1 has no Deleted Users calls; used its generic request');
  const { result: permanent } = await admin.users.request('DELETE', ['deleted_users', user]);
  check(permanent.deleted_user && permanent.deleted_user.id === user, 'the permanent delete answers with the deleted user', permanent);
  const { result: placeholder } = await admin.users.request('GET', ['deleted_users', user]);
  check(placeholder.deleted_user && placeholder.deleted_user.name === PLACEHOLDER && placeholder.deleted_user.email === null, 'the placeholder', placeholder);
  const again = await refusal(admin.users.request('DELETE', ['deleted_users', user]), 'a second permanent delete');
  refusedWith(again, 404, NOT_FOUND);
  return { ticket, purge_job: purged.id, user };
}

// ---- the guard ---------------------------------------------------------------------------

async function guard(admin) {
  const user = seeded('gus');
  const refused = await refusal(admin.users.delete(user), 'deleting the requester of an open ticket');
  refusedWith(refused, 422);
  check(refused.result && refused.result.error === 'RecordInvalid', 'a RecordInvalid body', refused.result);
  const { result: still } = await admin.users.show(user);
  check(still.active === true, 'the requester is still active', still);
  return { user, body: refused.result };
}

// ---- redaction ---------------------------------------------------------------------------

async function redaction(admin, notes) {
  const ticket = seeded('files_ticket');
  const secret = '4111 1111 1111 1111';
  const comments = await admin.tickets.getComments(ticket);
  const comment = comments.find((c) => (c.attachments || []).length > 0);
  check(comment, 'a comment with an attachment', comments);
  const attachment = comment.attachments[0];
  check(attachment.file_name === 'passport.txt', 'the seeded attachment', attachment);

  // node-zendesk's one redaction call sends DELETE; Zendesk's Redact Comment Attachment is
  // PUT, and any other method on the path is Zendesk's 404 InvalidEndpoint.
  const refused = await refusal(
    admin.attachments.redactAttachmentComment(ticket, comment.id, attachment.id),
    'attachments.redactAttachmentComment (DELETE)',
  );
  const sent = traffic[traffic.length - 1];
  check(sent.method === 'DELETE', 'redactAttachmentComment sends DELETE', sent);
  refusedWith(refused, 404, { error: 'InvalidEndpoint', description: 'Not found' });
  notes.push('client: attachments.redactAttachmentComment sends DELETE …/attachments/{id}/redact; Zendesk documents PUT, so the call fails (404 InvalidEndpoint) against Zendesk and the mock alike; redacted with PUT through the generic request');

  const unchanged = await admin.tickets.getComments(ticket);
  const kept = unchanged.find((c) => c.id === comment.id).attachments[0];
  check(kept.file_name === 'passport.txt', 'the refused call left the attachment alone', kept);

  await admin.attachments.request('PUT', ['tickets', ticket, 'comments', comment.id, 'attachments', attachment.id, 'redact'], {});
  notes.push('not in the client: string redaction (PUT …/comments/{id}/redact); used the generic request');
  const { result: redacted } = await admin.tickets.request('PUT', ['tickets', ticket, 'comments', comment.id, 'redact'], { text: secret });
  const redactedComment = redacted.comment || redacted;
  check(typeof redactedComment.body === 'string' && !redactedComment.body.includes(secret) && redactedComment.body.includes('▇'.repeat(secret.length)), 'the redacted comment', redactedComment);

  const after = (await admin.tickets.getComments(ticket)).find((c) => c.id === comment.id);
  check(!JSON.stringify(after).includes(secret), 'the comment no longer holds the card number', after);
  const file = after.attachments[0];
  check(file.file_name === 'redacted.txt' && file.size === 0, 'the attachment is an empty redacted.txt', file);
  return { ticket, comment: comment.id, attachment: attachment.id };
}

// ---- rate limits -------------------------------------------------------------------------

async function rateLimits(limited, notes) {
  const limit = Number(process.env.LIMITED_LIMIT);
  const users = Number(process.env.LIMITED_USERS);
  check(limit > 1 && users > 100 && users <= 200, 'LIMITED_LIMIT and LIMITED_USERS (two pages)', { limit, users });
  // limit - 1 lookups, then a two-page list: its first page is the last allowed request.
  for (let n = 1; n < limit; n += 1) {
    const { result: me } = await limited.users.me();
    check(Number.isInteger(me.id), `users/me #${n}`, me);
  }
  const listed = await limited.users.list();
  const refusedAt = traffic.findIndex((t) => t.status === 429);
  check(refusedAt === limit, `request ${limit + 1} (the second page) refused with 429`, traffic);
  check(Number(traffic[refusedAt].retry_after) > 0, 'the 429 carries Retry-After', traffic[refusedAt]);
  check(traffic.length === limit + 1, 'node-zendesk never retried', traffic);
  // node-zendesk does not throw on a 429 with Retry-After: getAll resolves with the pages it
  // had and the error object in place of the refused page.
  const errors = listed.filter((item) => item instanceof Error);
  const page = listed.filter((item) => !(item instanceof Error));
  check(page.length === 100 && errors.length === 1 && errors[0].statusCode === 429, 'users.list resolved with one page and the 429 error', { items: page.length, errors: errors.map(describeError) });
  notes.push('client: on a 429 users.list() resolves with the first 100 users plus an Error (statusCode 429) as the last element — truncated silently, no retry');
  const { result: afterwards } = await limited.users.me();
  check(afterwards instanceof Error && afterwards.statusCode === 429, 'a plain call after the limit resolves with the 429 error', afterwards);
  return { refused_request: refusedAt + 1, retry_after: traffic[refusedAt].retry_after, requests_sent: traffic.length };
}

// ---- search ------------------------------------------------------------------------------

/** The results of a single search call, however node-zendesk unwraps them. */
function resultsOf(reply) {
  const body = reply && reply.result !== undefined ? reply.result : reply;
  return Array.isArray(body) ? body : (body && body.results) || [];
}

async function search(pages) {
  const expected = Number(process.env.PAGES_TICKETS);
  const pageCount = Math.ceil(expected / 100);
  setBudget(pageCount + 3);
  const all = await pages.search.queryAll('type:ticket Ticket');
  const ids = new Set(all.map((r) => r.id));
  check(all.length === expected && ids.size === expected, `queryAll: ${expected} distinct tickets`, { got: all.length, distinct: ids.size });
  check(all.every((r) => r.result_type === 'ticket'), 'every result is a ticket', all.slice(0, 2));
  check(traffic.length === pageCount, `${pageCount} offset pages`, traffic.map((t) => t.path));

  setBudget(traffic.length + 3);
  const counted = await pages.search.showResultsCount('type:ticket Ticket');
  const count = counted && counted.result !== undefined ? counted.result : counted;
  check((count && count.count) === expected || count === expected, 'showResultsCount', count);

  const one = resultsOf(await pages.search.query('type:user email:user007@pages.example.org'));
  same(one.map((u) => u.name), ['User 007'], 'search by email');

  const before = traffic.length;
  setBudget(before + pageCount + 3);
  const exported = await pages.search.exportResults('Ticket', 'ticket', 100);
  const exportedIds = new Set(exported.map((r) => r.id));
  check(exported.length === expected && exportedIds.size === expected, `exportResults: ${expected} distinct`, { got: exported.length });
  check(traffic.length - before === pageCount, `${pageCount} export pages`, traffic.slice(before).map((t) => t.path));
  return { results: all.length, export: exported.length, count };
}

// ------------------------------------------------------------------------------------------

async function main() {
  const admin = client(process.env.ZENDESK_EMAIL, process.env.ZENDESK_TOKEN);
  const pages = client(process.env.PAGES_EMAIL, process.env.PAGES_TOKEN);
  const limited = client(process.env.LIMITED_EMAIL, process.env.LIMITED_TOKEN);

  await step('users', () => users(admin));
  await step('identities', () => identities(admin));
  await step('pagination: users', () => paginate(() => pages.users.list(), Number(process.env.PAGES_USERS), 'users'));
  await step('pagination: tickets', () => paginate(() => pages.tickets.list(), Number(process.env.PAGES_TICKETS), 'tickets'));
  await step('tickets', () => tickets(admin));
  await step('bulk', (notes) => bulk(admin, notes));
  await step('deletes', (notes) => deletes(admin, notes));
  await step('guard', () => guard(admin));
  await step('redaction', (notes) => redaction(admin, notes));
  await step('rate limits', (notes) => rateLimits(limited, notes));
  await step('search', () => search(pages));
}

main()
  .catch((error) => report('suite', false, { error: describeError(error) }))
  .finally(() => {
    // Exits even if a timed-out step left node-zendesk's job poller running.
    process.stdout.write('', () => process.exit(failures > 0 ? 1 : 0));
  });
