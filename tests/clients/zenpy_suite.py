"""zenpy 2.0.57 against the mock over real HTTP: the calls a privacy tool makes, one step each.

Run by tests/tests/zenpy_compat.rs. Steps:
  users                      create, get, update (an email update adds a secondary identity and
                             leaves the primary), search by primary and by secondary email,
                             create_or_update of an existing and of a new user
  identities                 list, create, make_primary, delete (and the deleted one is gone)
  pagination: users          zenpy.users() over the seeded account: every user exactly once
  pagination: tickets        zenpy.tickets() over the seeded account: every ticket exactly once
  tickets                    create with a comment (requester given as {name, email}), update
                             with a private comment, list comments, update of a closed ticket
                             refused (422 "Status: closed prevents ticket update")
  bulk: users create_many    a job_status, polled with zenpy.job_status until completed
  bulk: tickets update_many  tickets made with create_many, changed with update_many
  bulk: users destroy_many   every user soft-deleted by the job
  redaction: string          tickets.comment_redact on an open ticket (every form of the comment
                             redacted, one block per character); refused on a closed ticket
  redaction: attachment      attachments.upload, attach to a comment, attachments.redact (the
                             file becomes an empty redacted.txt), and deleting an unused upload
  deletes: ticket            delete, deleted_tickets, permanently_delete (a job), then restore 404
  deletes: user              delete (active false), deleted users, permanently_delete (the
                             "Permanently Deleted User" placeholder), the email free again
  guard: open ticket         deleting the requester of an open ticket is a 422; after the
                             ticket is closed the delete succeeds

Not covered here:
  * search (zenpy.search, GET /api/v2/search): the mock has no search endpoint yet (a later
    issue); users.search (GET /api/v2/users/search) is covered under "users";
  * comment_redactions (PUT /api/v2/comment_redactions/{id}): zenpy 2.0.57 has no call for it;
    its only comment redaction is tickets.comment_redact, the legacy string redaction;
  * rate limits: tests/tests/zenpy_rate_limits.rs runs zenpy_erasure.py on a rate-limited
    account.

Environment:
  ZENDESK_URL                  host:port of the plain-HTTP server (given to zenpy as
                               ZENPY_FORCE_NETLOC; ZENPY_FORCE_SCHEME defaults to http)
  ZENDESK_EMAIL, ZENDESK_TOKEN an admin of the account the steps write to
  PAGES_EMAIL, PAGES_TOKEN     an admin of the account seeded for the pagination steps
  EXPECT_USERS, EXPECT_TICKETS how many users and tickets that account lists

Prints one JSON line per step, {"step", "ok", "detail"}, and goes on after a failure; a failed
step's detail says at which stage it failed, the error, and the last HTTP exchange zenpy made.
Exits 1 if any step failed.
"""

import io
import json
import math
import os
import sys
import time
from urllib.parse import parse_qs, urlsplit

os.environ.setdefault("ZENPY_FORCE_SCHEME", "http")
os.environ["ZENPY_FORCE_NETLOC"] = os.environ["ZENDESK_URL"]

from zenpy import Zenpy  # noqa: E402  (zenpy reads the variables above when it builds URLs)
from zenpy.lib.api_objects import (  # noqa: E402
    Comment,
    Identity,
    JobStatus,
    Ticket,
    User,
)
from zenpy.lib.exception import APIException  # noqa: E402

BLOCK = "\u2587"  # ▇, what each redacted character becomes
PLACEHOLDER = "Permanently Deleted User"
BODY_LIMIT = 800  # characters of a body kept in a failure's detail


class Failed(Exception):
    """A step's expectation was not met."""


def check(condition, message):
    if not condition:
        raise Failed(message)


def truncated(text):
    if text is None:
        return None
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return text if len(text) <= BODY_LIMIT else text[:BODY_LIMIT] + "…"


class Traffic:
    """Every exchange zenpy made, recorded by a requests response hook on its session."""

    def __init__(self):
        self.exchanges = []

    def watch(self, zenpy):
        zenpy.users.session.hooks["response"].append(self._record)

    def _record(self, response, *args, **kwargs):
        request = response.request
        self.exchanges.append(
            {
                "request": f"{request.method} {request.url}",
                "request_body": truncated(request.body)
                if isinstance(request.body, (str, bytes))
                else None,
                "status": response.status_code,
                "response_body": truncated(response.content),
            }
        )

    def since(self, mark):
        return self.exchanges[mark:]


class Context:
    def __init__(self, zenpy, pages, traffic):
        self.zenpy = zenpy
        self.pages = pages
        self.traffic = traffic
        self.stage = None
        self._serial = 0

    def at(self, stage):
        """Names the stage a failure will be reported at."""
        self.stage = stage

    def email(self, name):
        self._serial += 1
        return f"{name}.{self._serial}@compat.example.org"

    def refused(self, call, status):
        """Runs a call that Zendesk refuses with `status`; returns the error body."""
        try:
            call()
        except APIException as error:
            got = error.response.status_code if error.response is not None else None
            check(
                got == status,
                f"expected a {status} refusal, got {got} ({type(error).__name__}: {error})",
            )
            return error.response.json()
        raise Failed(f"expected a {status} refusal, but the call succeeded")

    def refused_4xx(self, call):
        """Runs a call that Zendesk refuses with a status it does not document; returns it."""
        try:
            call()
        except APIException as error:
            got = error.response.status_code if error.response is not None else None
            check(
                got is not None and 400 <= got < 500,
                f"expected a 4xx refusal, got {got} ({type(error).__name__}: {error})",
            )
            return got
        raise Failed("expected a refusal, but the call succeeded")

    def wait_for_job(self, job, timeout=10.0):
        """Polls a job with zenpy's job API until it leaves queued/working."""
        check(isinstance(job, JobStatus), f"expected a JobStatus, got {job!r}")
        polls = 0
        deadline = time.monotonic() + timeout
        while job.status in ("queued", "working"):
            check(time.monotonic() < deadline, f"job {job.id} still {job.status}")
            time.sleep(0.02)
            job = self.zenpy.job_status(id=job.id)
            polls += 1
        return job, polls


STEPS = []


def step(name):
    def register(function):
        STEPS.append((name, function))
        return function

    return register


def results_of(job):
    """A finished job's per-item results, as dicts."""
    items = job.results
    if not isinstance(items, list):  # null, or a permanent deletion's {"success": true}
        items = []
    return [item.to_dict() if hasattr(item, "to_dict") else dict(item) for item in items]


def identity_map(zenpy, user_id):
    return {i.value: i.primary for i in zenpy.users.identities(id=user_id)}


# ---------------------------------------------------------------------------------------------


@step("users")
def users(ctx):
    z = ctx.zenpy
    primary, secondary = ctx.email("ada"), ctx.email("ada.second")

    ctx.at("create")
    user = z.users.create(User(name="Ada Compat", email=primary, verified=True))
    check(isinstance(user, User) and isinstance(user.id, int), f"create returned {user!r}")
    check(
        (user.email, user.role, user.active) == (primary, "end-user", True),
        f"created user: email {user.email}, role {user.role}, active {user.active}",
    )

    ctx.at("get")
    got = z.users(id=user.id)
    check((got.id, got.name, got.email) == (user.id, "Ada Compat", primary), f"got {got.to_dict()}")

    ctx.at("update (name and email)")
    got.name = "Ada Renamed"
    got.email = secondary
    updated = z.users.update(got)
    check(updated.name == "Ada Renamed", f"name after update: {updated.name}")
    check(
        updated.email == primary,
        f"an email update adds an identity and keeps the primary; email is {updated.email}",
    )
    identities = identity_map(z, user.id)
    check(
        identities == {primary: True, secondary: False},
        f"identities after the email update: {identities}",
    )

    ctx.at("search by primary email")
    found = [u.id for u in z.users.search(query=primary)]
    check(found == [user.id], f"users/search?query={primary} found {found}")

    ctx.at("search by secondary email")
    found = [(u.id, u.email) for u in z.users.search(query=secondary)]
    check(found == [(user.id, primary)], f"users/search?query={secondary} found {found}")

    ctx.at("create_or_update (existing user)")
    upserted = z.users.create_or_update(User(name="Ada Upserted", email=primary))
    check(
        (upserted.id, upserted.name) == (user.id, "Ada Upserted"),
        f"create_or_update matched {upserted.id} named {upserted.name}",
    )
    status = ctx.traffic.exchanges[-1]["status"]
    check(status == 200, f"create_or_update of an existing user answered {status}, not 200")

    ctx.at("create_or_update (new user)")
    fresh = ctx.email("bea")
    created = z.users.create_or_update(User(name="Bea New", email=fresh))
    check(
        created.id != user.id and created.email == fresh,
        f"create_or_update made {created.id} with {created.email}",
    )
    status = ctx.traffic.exchanges[-1]["status"]
    check(status == 201, f"create_or_update of a new user answered {status}, not 201")
    return {"user_id": user.id, "created_by_create_or_update": created.id}


@step("identities")
def identities(ctx):
    z = ctx.zenpy
    first, second = ctx.email("ida"), ctx.email("ida.new")
    ctx.at("create user")
    user = z.users.create(User(name="Ida Identity", email=first, verified=True))

    ctx.at("list")
    listed = list(z.users.identities(id=user.id))
    check(
        [(i.type, i.value, i.primary) for i in listed] == [("email", first, True)],
        f"identities of a new user: {[i.to_dict() for i in listed]}",
    )
    original = listed[0]

    ctx.at("create")
    added = z.users.identities.create(user, Identity(type="email", value=second))
    check(
        isinstance(added, Identity)
        and (added.user_id, added.value, added.primary) == (user.id, second, False),
        f"created identity: {added!r}",
    )

    ctx.at("make_primary")
    after = list(z.users.identities.make_primary(user, added))
    primaries = [i.value for i in after if i.primary]
    check(primaries == [second], f"primaries after make_primary: {primaries}")
    email = z.users(id=user.id).email
    check(email == second, f"the user's email after make_primary: {email}")

    ctx.at("delete")
    response = z.users.identities.delete(user, original)
    status = getattr(response, "status_code", None)
    check(status == 204, f"deleting an identity answered {status} ({response!r}), not 204")
    left = identity_map(z, user.id)
    check(left == {second: True}, f"identities after deleting the old one: {left}")

    ctx.at("show the deleted identity")
    ctx.refused(lambda: z.users.identities.show(user, original), 404)
    return {"user_id": user.id, "identity_ids": [original.id, added.id]}


def paginate(ctx, listing, expected, path):
    """Iterates a zenpy listing to its end, refusing to go past twice the expected count."""
    mark = len(ctx.traffic.exchanges)
    ids = []
    for item in listing():
        ids.append(item.id)
        check(len(ids) <= 2 * expected, f"still iterating after {len(ids)} items: looping")
    pages = [
        e["request"]
        for e in ctx.traffic.since(mark)
        if urlsplit(e["request"].split(" ", 1)[1]).path == path
    ]
    check(len(set(ids)) == len(ids), f"{len(ids) - len(set(ids))} items came twice")
    check(len(ids) == expected, f"{len(ids)} items, expected {expected}")
    check(len(set(pages)) == len(pages), f"a page was fetched twice: {pages}")
    check(
        len(pages) == math.ceil(expected / 100),
        f"{len(pages)} pages for {expected} items at 100 a page: {pages}",
    )
    first_query = parse_qs(urlsplit(pages[0].split(" ", 1)[1]).query)
    check(first_query.get("page[size]") == ["100"], f"first page asked {first_query}")
    return {"items": len(ids), "pages": len(pages)}


@step("pagination: users")
def pagination_users(ctx):
    ctx.at("iterate zenpy.users()")
    return paginate(ctx, ctx.pages.users, int(os.environ["EXPECT_USERS"]), "/api/v2/users.json")


@step("pagination: tickets")
def pagination_tickets(ctx):
    ctx.at("iterate zenpy.tickets()")
    return paginate(
        ctx, ctx.pages.tickets, int(os.environ["EXPECT_TICKETS"]), "/api/v2/tickets.json"
    )


@step("tickets")
def tickets(ctx):
    z = ctx.zenpy
    requester_email = ctx.email("tess")
    body = "The printer is on fire."

    ctx.at("create with a comment")
    audit = z.tickets.create(
        Ticket(
            subject="Compat: printer",
            requester=User(name="Tess Ticket", email=requester_email),
            comment=Comment(body=body),
        )
    )
    ticket = audit.ticket
    check(isinstance(ticket.id, int), f"create returned {audit!r}")
    check(
        (ticket.subject, ticket.description) == ("Compat: printer", body),
        f"created ticket: subject {ticket.subject!r}, description {ticket.description!r}",
    )
    requester = z.users(id=ticket.requester_id)
    check(
        (requester.name, requester.email) == ("Tess Ticket", requester_email),
        f"requester {requester.name} <{requester.email}>",
    )

    ctx.at("update with a private comment")
    ticket.comment = Comment(body="Internal: replace the fuser.", public=False)
    ticket.status = "pending"
    audit = z.tickets.update(ticket)
    check(audit.ticket.status == "pending", f"status after update: {audit.ticket.status}")

    ctx.at("list comments")
    comments = [(c.body, c.public) for c in z.tickets.comments(ticket.id)]
    check(
        comments == [(body, True), ("Internal: replace the fuser.", False)],
        f"comments: {comments}",
    )

    ctx.at("create a closed ticket")
    closed = z.tickets.create(
        Ticket(
            subject="Compat: closed",
            requester_id=requester.id,
            status="closed",
            comment=Comment(body="Resolved long ago."),
        )
    ).ticket
    check(closed.status == "closed", f"status of the closed ticket: {closed.status}")

    ctx.at("update the closed ticket")
    closed.comment = Comment(body="One more thing.")
    error = ctx.refused(lambda: z.tickets.update(closed), 422)
    statuses = [d.get("description") for d in error.get("details", {}).get("status", [])]
    check(
        error.get("error") == "RecordInvalid"
        and statuses == ["Status: closed prevents ticket update"],
        f"refusal body {error}",
    )
    return {"ticket_id": ticket.id, "closed_ticket_id": closed.id}


@step("bulk: users create_many")
def bulk_create_users(ctx):
    z = ctx.zenpy
    emails = [ctx.email(f"bulk{n}") for n in range(3)]
    ctx.at("create_many")
    job = z.users.create([User(name=f"Bulk {n}", email=e) for n, e in enumerate(emails)])
    ctx.at("poll the job")
    job, polls = ctx.wait_for_job(job)
    results = results_of(job)
    check(job.status == "completed", f"job ended {job.status}: {job.message}")
    check(
        len(results) == 3 and all(r.get("status") == "Created" for r in results),
        f"results {results}",
    )
    ctx.at("show_many")
    ids = [r["id"] for r in results]
    shown = sorted(u.email for u in z.users(ids=ids))
    check(shown == sorted(emails), f"show_many of the created ids: {shown}")
    return {"job_id": job.id, "polls": polls, "user_ids": ids}


@step("bulk: tickets update_many")
def bulk_update_tickets(ctx):
    z = ctx.zenpy
    ctx.at("create requester")
    requester = z.users.create(User(name="Uma Update", email=ctx.email("uma"), verified=True))
    ctx.at("create_many")
    job = z.tickets.create(
        [
            Ticket(subject=f"Compat: bulk {n}", requester_id=requester.id,
                   comment=Comment(body=f"Bulk ticket {n}."))
            for n in range(2)
        ]
    )
    job, _ = ctx.wait_for_job(job)
    check(job.status == "completed", f"create_many job ended {job.status}: {job.message}")
    ids = [r["id"] for r in results_of(job)]
    check(len(ids) == 2, f"create_many results {results_of(job)}")

    ctx.at("update_many")
    batch = list(z.tickets(ids=ids))
    for ticket in batch:
        ticket.priority = "high"
    job = z.tickets.update(batch)
    ctx.at("poll the job")
    job, polls = ctx.wait_for_job(job)
    results = results_of(job)
    check(job.status == "completed", f"update_many job ended {job.status}: {job.message}")
    check(
        sorted(r.get("id") for r in results) == sorted(ids)
        and all(r.get("success") is True for r in results),
        f"results {results}",
    )
    ctx.at("show_many after")
    priorities = sorted(t.priority for t in z.tickets(ids=ids))
    check(priorities == ["high", "high"], f"priorities after update_many: {priorities}")
    return {"job_id": job.id, "polls": polls, "ticket_ids": ids}


@step("bulk: users destroy_many")
def bulk_destroy_users(ctx):
    z = ctx.zenpy
    ctx.at("create users")
    doomed = [
        z.users.create(User(name=f"Doomed {n}", email=ctx.email(f"doomed{n}"))) for n in range(2)
    ]
    ids = sorted(u.id for u in doomed)
    ctx.at("destroy_many")
    job = z.users.delete(doomed)
    ctx.at("poll the job")
    job, polls = ctx.wait_for_job(job)
    results = results_of(job)
    check(job.status == "completed", f"destroy_many job ended {job.status}: {job.message}")
    check(
        sorted(r.get("id") for r in results) == ids
        and all(r.get("success") is True and r.get("status") == "Deleted" for r in results),
        f"results {results}",
    )
    ctx.at("show_many after")
    active = [(u.id, u.active) for u in z.users(ids=ids)]
    check(sorted(active) == [(i, False) for i in ids], f"after destroy_many: {active}")
    return {"job_id": job.id, "polls": polls, "user_ids": ids}


@step("redaction: string")
def redaction_string(ctx):
    z = ctx.zenpy
    secret = "987-65-4320"
    ctx.at("create ticket")
    requester = z.users.create(User(name="Sol Secret", email=ctx.email("sol"), verified=True))
    ticket = z.tickets.create(
        Ticket(subject="Compat: SSN", requester_id=requester.id,
               comment=Comment(body=f"My SSN is {secret}, please update my file."))
    ).ticket
    comment = list(z.tickets.comments(ticket.id))[0]

    ctx.at("comment_redact")
    redacted = z.tickets.comment_redact(ticket, comment, secret)
    check(
        getattr(redacted, "id", None) == comment.id
        and BLOCK * len(secret) in redacted.body
        and secret not in redacted.body,
        f"comment_redact returned {redacted!r}: {getattr(redacted, 'body', None)!r}",
    )

    ctx.at("read the comment back")
    after = list(z.tickets.comments(ticket.id))[0]
    for field in ("body", "html_body", "plain_body"):
        text = getattr(after, field, None) or ""
        check(
            secret not in text and BLOCK * len(secret) in text,
            f"{field} after redaction: {text!r}",
        )

    ctx.at("comment_redact on a closed ticket")
    closed = z.tickets.create(
        Ticket(subject="Compat: SSN, closed", requester_id=requester.id, status="closed",
               comment=Comment(body=f"Old SSN {secret}."))
    ).ticket
    old = list(z.tickets.comments(closed.id))[0]
    status = ctx.refused_4xx(lambda: z.tickets.comment_redact(closed, old, secret))
    kept = list(z.tickets.comments(closed.id))[0].body
    check(secret in kept, f"a refused redaction changed the comment: {kept!r}")
    return {"ticket_id": ticket.id, "comment_id": comment.id, "closed_refused_with": status}


@step("redaction: attachment")
def redaction_attachment(ctx):
    z = ctx.zenpy
    content = b"Passport P1234567, Sam Subject, born 1990-01-01."
    ctx.at("upload")
    upload = z.attachments.upload(
        io.BytesIO(content), target_name="passport.txt", content_type="text/plain"
    )
    check(getattr(upload, "token", None), f"upload returned {upload!r}")
    status = ctx.traffic.exchanges[-1]["status"]
    check(status == 201, f"the upload answered {status}, not 201")

    ctx.at("attach to a comment")
    requester = z.users.create(User(name="Pat Passport", email=ctx.email("pat"), verified=True))
    ticket = z.tickets.create(
        Ticket(subject="Compat: passport", requester_id=requester.id,
               comment=Comment(body="My passport scan.", uploads=[upload.token]))
    ).ticket
    comment = list(z.tickets.comments(ticket.id))[0]
    attachments = list(comment.attachments or [])
    check(
        [a.file_name for a in attachments] == ["passport.txt"],
        f"the comment's attachments: {[a.to_dict() for a in attachments]}",
    )
    attachment = attachments[0]

    ctx.at("download")
    data = z.attachments.download(attachment.id).getvalue()
    check(data == content, f"downloaded {data!r}")

    ctx.at("redact the attachment")
    returned = z.attachments.redact(ticket, comment, attachment.id)
    check(getattr(returned, "id", None) == attachment.id, f"redact returned {returned!r}")

    ctx.at("read it back")
    shown = z.attachments(id=attachment.id)
    check(
        (shown.file_name, shown.size) == ("redacted.txt", 0),
        f"after redaction: {shown.file_name} of {shown.size} bytes",
    )
    data = z.attachments.download(attachment.id).getvalue()
    check(data == b"", f"downloaded after redaction: {data!r}")

    ctx.at("delete an unused upload")
    spare = z.attachments.upload(io.BytesIO(b"spare"), target_name="spare.txt")
    response = z.attachments.delete(spare.token)
    check(response.status_code == 204, f"deleting the upload: {response.status_code}")
    return {"ticket_id": ticket.id, "attachment_id": attachment.id}


@step("deletes: ticket")
def deletes_ticket(ctx):
    z = ctx.zenpy
    ctx.at("create")
    requester = z.users.create(User(name="Tom Ticket", email=ctx.email("tom"), verified=True))
    ticket = z.tickets.create(
        Ticket(subject="Compat: to delete", requester_id=requester.id,
               comment=Comment(body="Please forget this."))
    ).ticket

    ctx.at("delete")
    response = z.tickets.delete(ticket)
    check(response.status_code == 204, f"delete answered {response.status_code}")

    ctx.at("show after delete")
    ctx.refused(lambda: z.tickets(id=ticket.id), 404)

    ctx.at("deleted_tickets")
    listed = [t.id for t in z.tickets.deleted()]
    check(ticket.id in listed, f"{ticket.id} not in deleted_tickets {listed}")

    ctx.at("permanently_delete")
    job = z.tickets.permanently_delete(ticket)
    ctx.at("poll the job")
    job, polls = ctx.wait_for_job(job)
    check(job.status == "completed", f"permanent delete job ended {job.status}: {job.message}")

    ctx.at("deleted_tickets after")
    listed = [t.id for t in z.tickets.deleted()]
    check(ticket.id not in listed, f"{ticket.id} still in deleted_tickets")

    ctx.at("restore after the permanent delete")
    ctx.refused(lambda: z.tickets.restore(ticket.id), 404)
    return {"ticket_id": ticket.id, "job_id": job.id, "polls": polls}


@step("deletes: user")
def deletes_user(ctx):
    z = ctx.zenpy
    email = ctx.email("dora")
    ctx.at("create")
    user = z.users.create(User(name="Dora Delete", email=email, verified=True))

    ctx.at("delete")
    deleted = z.users.delete(user)
    check(
        (deleted.id, deleted.active) == (user.id, False),
        f"delete returned id {deleted.id}, active {deleted.active}",
    )

    ctx.at("show after delete")
    shown = z.users(id=user.id)
    check(shown.active is False, f"a soft-deleted user reads active={shown.active}")

    ctx.at("deleted users")
    listed = [u.id for u in z.users.deleted()]
    check(user.id in listed, f"{user.id} not in deleted_users {listed}")

    ctx.at("permanently_delete")
    gone = z.users.permanently_delete(user)
    check(gone.id == user.id, f"permanently_delete returned {gone!r}")

    ctx.at("deleted users after")
    after = {u.id: (u.name, u.email) for u in z.users.deleted()}
    check(
        after.get(user.id) == (PLACEHOLDER, None),
        f"the permanently deleted user lists as {after.get(user.id)}",
    )

    ctx.at("the email is free again")
    again = z.users.create(User(name="Dora Again", email=email))
    check(again.id != user.id and again.email == email, f"re-created as {again!r}")
    return {"user_id": user.id, "placeholder": PLACEHOLDER}


@step("guard: open ticket")
def guard(ctx):
    z = ctx.zenpy
    ctx.at("create requester and open ticket")
    user = z.users.create(User(name="Gus Guard", email=ctx.email("gus"), verified=True))
    ticket = z.tickets.create(
        Ticket(subject="Compat: still open", requester_id=user.id,
               comment=Comment(body="Still waiting."))
    ).ticket

    ctx.at("delete the requester")
    error = ctx.refused(lambda: z.users.delete(user), 422)
    bases = [d.get("description", "") for d in error.get("details", {}).get("base", [])]
    check(
        error.get("error") == "RecordInvalid"
        and len(bases) == 1
        and "requester on 1 ticket" in bases[0],
        f"refusal body {error}",
    )
    check(z.users(id=user.id).active is True, "the refused user was deleted anyway")

    ctx.at("close the ticket")
    ticket.assignee_id = z.users.me().id
    ticket.status = "closed"
    z.tickets.update(ticket)

    ctx.at("delete after closing")
    deleted = z.users.delete(user)
    check(deleted.active is False, f"delete after closing: active {deleted.active}")
    return {"user_id": user.id, "ticket_id": ticket.id, "refusal": bases[0]}


@step("search: paginated")
def search_paginated(ctx):
    z = ctx.pages
    expected = int(os.environ["EXPECT_TICKETS"])
    ctx.at("iterate zenpy.search('Page ticket', type='ticket')")
    mark = len(ctx.traffic.exchanges)
    found = list(z.search("Page ticket", type="ticket"))
    kinds = {type(item).__name__ for item in found}
    ids = [item.id for item in found]
    check(kinds == {"Ticket"}, f"result types {kinds}")
    check(len(ids) == expected and len(set(ids)) == expected, f"{len(ids)} results, {len(set(ids))} distinct")
    pages = [e["request"] for e in ctx.traffic.since(mark)]
    check(len(pages) == math.ceil(expected / 100), f"{len(pages)} pages: {pages}")

    ctx.at("search.count")
    count = z.search.count("Page ticket", type="ticket")
    check(count == expected, f"count {count!r}")

    ctx.at("search users by email")
    users = list(z.search(type="user", email="page7@pages.example.org"))
    check([u.name for u in users] == ["Page User 7"], f"users {[u.name for u in users]}")

    ctx.at("search with a comparison and sort")
    recent = list(z.search("Page ticket", type="ticket", status_less_than="solved",
                           sort_by="created_at", sort_order="asc"))
    check(len(recent) == expected, f"{len(recent)} unsolved")

    ctx.at("iterate zenpy.search_export('Page ticket', type='ticket')")
    mark = len(ctx.traffic.exchanges)
    exported = [t.id for t in z.search_export("Page ticket", type="ticket")]
    check(sorted(exported) == sorted(ids), f"{len(exported)} exported, {len(set(exported))} distinct")
    export_pages = [e["request"] for e in ctx.traffic.since(mark)]
    return {"results": len(ids), "pages": len(pages), "export_pages": len(export_pages)}


@step("search: redaction")
def search_redaction(ctx):
    z = ctx.zenpy
    secret = "Zanzibarwalker"
    ctx.at("create a ticket that mentions the secret")
    requester = z.users.create(User(name="Vera Vanish", email=ctx.email("vera"), verified=True))
    ticket = z.tickets.create(
        Ticket(subject="Compat: search", requester_id=requester.id,
               comment=Comment(body=f"My codename is {secret}."))
    ).ticket
    ctx.at("search finds it")
    hits = [t.id for t in z.search(secret, type="ticket")]
    check(hits == [ticket.id], f"hits before redaction {hits}")
    ctx.at("redact, then search again")
    comment = list(z.tickets.comments(ticket.id))[0]
    z.tickets.comment_redact(ticket, comment, secret)
    hits = [t.id for t in z.search(secret, type="ticket")]
    check(hits == [], f"hits after redaction {hits}")
    return {"ticket_id": ticket.id}


# ---------------------------------------------------------------------------------------------


def report(name, ok, detail):
    print(json.dumps({"step": name, "ok": ok, "detail": detail}), flush=True)


def run(ctx, name, function):
    ctx.at(None)
    mark = len(ctx.traffic.exchanges)
    started = time.monotonic()
    try:
        detail = function(ctx)
    except Exception as error:  # every failure is reported, then the next step runs
        exchanges = ctx.traffic.since(mark)
        report(
            name,
            False,
            {
                "at": ctx.stage,
                "error": f"{type(error).__name__}: {error}",
                "last_exchange": exchanges[-1] if exchanges else None,
            },
        )
        return False
    detail["ms"] = round((time.monotonic() - started) * 1000)
    report(name, True, detail)
    return True


def client(email_var, token_var, traffic):
    zenpy = Zenpy(
        subdomain="mock",  # must be non-empty; ZENPY_FORCE_NETLOC decides where requests go
        email=os.environ[email_var],
        token=os.environ[token_var],
        timeout=10,
        ratelimit_budget=30,
        # Every read goes to the server: the suite checks what the server says, not zenpy's cache.
        disable_cache=True,
    )
    traffic.watch(zenpy)
    return zenpy


def main():
    traffic = Traffic()
    ctx = Context(
        client("ZENDESK_EMAIL", "ZENDESK_TOKEN", traffic),
        client("PAGES_EMAIL", "PAGES_TOKEN", traffic),
        traffic,
    )
    outcomes = [run(ctx, name, function) for name, function in STEPS]
    return 0 if all(outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
