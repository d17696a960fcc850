"""Building blocks for the erasure tools in this directory (zenpy from PyPI): find the data
subject and where their data sits, redact it, delete tickets and users, poll jobs. Each tool
(erase_correct.py and the deliberately wrong ones) puts them together in its own order.

Environment (set by `zendesk-conformance client`):
  ZENDESK_URL     the server's origin, e.g. http://127.0.0.1:8080
  ZENDESK_EMAIL   an admin's email
  ZENDESK_TOKEN   the account's API token
  SUBJECT_EMAIL   the subject's primary email
  SUBJECT_ID      the subject's user id

Where this account keeps personal data: the user's name, email and phone identities, the
`phone` field, and a postal address in `details`. The name alone never identifies the subject
(namesakes share it): tickets are found by identifiers only the subject has, and the name is
redacted only in a comment that also holds one of those.
"""

import json
import os
import re
import sys
import time
import traceback
from urllib.parse import urlsplit

_url = urlsplit(os.environ["ZENDESK_URL"])
os.environ["ZENPY_FORCE_SCHEME"] = _url.scheme or "http"
os.environ["ZENPY_FORCE_NETLOC"] = _url.netloc or os.environ["ZENDESK_URL"]

from zenpy import Zenpy  # noqa: E402  (zenpy reads the variables above when it builds URLs)
from zenpy.lib.api_objects import Ticket  # noqa: E402

BATCH = 100  # Zendesk's limit on ids per bulk call


def report(step, detail=None):
    print(json.dumps({"step": step, "ok": True, "detail": detail}), flush=True)


def connect():
    return Zenpy(
        subdomain="mock",  # must be non-empty; ZENPY_FORCE_NETLOC decides where requests go
        email=os.environ["ZENDESK_EMAIL"],
        token=os.environ["ZENDESK_TOKEN"],
        timeout=20,
        ratelimit_budget=120,  # give up rather than wait out more than 2 minutes of 429s
    )


def api(zenpy, method, path, payload=None):
    """A call zenpy has no wrapper for, through zenpy's own request path (it waits out 429s)."""
    url = os.environ["ZENDESK_URL"].rstrip("/") + "/api/v2/" + path
    send = getattr(zenpy.tickets.session, method)
    response = zenpy.tickets._call_api(send, url, json=payload, timeout=20)
    return response.json() if response.content else None


class Subject:
    """The subject: their user, name, and the identifiers only they have."""

    def __init__(self, zenpy):
        self.user = zenpy.users(id=int(os.environ["SUBJECT_ID"]))
        identities = list(zenpy.users.identities(id=self.user.id))
        self.emails = [i.value for i in identities if i.type == "email"]
        if os.environ["SUBJECT_EMAIL"].lower() not in (e.lower() for e in self.emails):
            raise RuntimeError("SUBJECT_ID does not have SUBJECT_EMAIL")
        phones = {i.value for i in identities if i.type == "phone_number"}
        phones.update([self.user.phone] if self.user.phone else [])
        self.unique = self.emails + sorted(phones) + ([self.user.details] if self.user.details else [])
        self.name = self.user.name

    def holds(self, text):
        """Whether a text holds an identifier only the subject has."""
        low = (text or "").lower()
        return any(n.lower() in low for n in self.unique)

    def needles(self, text):
        """What to redact in a text: their identifiers, and their name next to one."""
        return self.unique + [self.name] if self.holds(text) else []


def requested(zenpy, subject):
    """The subject's live requested tickets, every status."""
    return list(zenpy.users.requested(subject.user))


def deleted_requested_ids(zenpy, subject):
    """The subject's soft-deleted tickets: the incremental export lists them as `deleted`."""
    return [t.id for t in zenpy.tickets.incremental(start_time=0)
            if t.status == "deleted" and t.requester_id == subject.user.id]


def mentioning(zenpy, subject, skip_ids):
    """Live tickets whose conversation holds one of the subject's identifiers (search)."""
    found = {}
    for needle in subject.unique:
        for ticket in zenpy.search('"%s"' % needle.replace('"', ""), type="ticket"):
            if ticket.id not in skip_ids:
                found[ticket.id] = ticket
    return list(found.values())


def comments(zenpy, ticket_id):
    return list(zenpy.tickets.comments(ticket_id))


def attachment_holds(zenpy, subject, comment):
    """Attachments are not searchable: read each one."""
    for attachment in comment.attachments or []:
        content = zenpy.tickets.session.get(attachment.content_url, timeout=20).text
        if subject.holds(content):
            return True
    return False


def _mark(html, needles):
    """The comment's html with <redact> around each needle in the text, and a `redact`
    attribute on tags whose attributes hold one (a mailto: link)."""
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)),
                         re.IGNORECASE)
    out = []
    for part in re.split(r"(<[^>]*>)", html):
        if part.startswith("<"):
            if not part.startswith("</") and pattern.search(part):
                part = part[:-1].rstrip("/").rstrip() + " redact>"
            out.append(part)
        else:
            out.append(pattern.sub(lambda m: "<redact>%s</redact>" % m.group(0), part))
    return "".join(out)


def redact(zenpy, subject, ticket_id, comment):
    """Redacts the subject's identifiers in one comment (comment_redactions)."""
    needles = subject.needles(comment.html_body) or subject.needles(comment.body)
    if not needles:
        return False
    marked = _mark(comment.html_body, needles)
    api(zenpy, "put", "comment_redactions/%d" % comment.id,
        {"ticket_id": ticket_id, "html_body": marked})
    return True


def wait(zenpy, job):
    """Polls a job until it has finished; a failed job is an error."""
    while job.status in ("queued", "working"):
        time.sleep(0.05)
        job = zenpy.job_status(id=job.id)
    if job.status != "completed":
        raise RuntimeError("job %s ended %s: %s" % (job.id, job.status, job.message))
    return job


def delete_tickets(zenpy, ids):
    """Soft-deletes live tickets in batches, waiting for each job."""
    for start in range(0, len(ids), BATCH):
        wait(zenpy, zenpy.tickets.delete([Ticket(id=i) for i in ids[start:start + BATCH]]))


def purge_tickets(zenpy, ids):
    """Permanently deletes soft-deleted tickets in batches, waiting for each job."""
    for start in range(0, len(ids), BATCH):
        batch = [Ticket(id=i) for i in ids[start:start + BATCH]]
        wait(zenpy, zenpy.tickets.permanently_delete(batch))


def delete_held_emails(zenpy, subject):
    """Deletes suspended tickets the subject sent, or that hold their identifiers."""
    emails = {e.lower() for e in subject.emails}
    held = []
    for ticket in zenpy.suspended_tickets():
        author = ticket.author if isinstance(ticket.author, dict) else vars(ticket.author or {})
        if str(author.get("email", "")).lower() in emails or subject.holds(ticket.content):
            held.append(ticket.id)
    for ticket_id in held:
        api(zenpy, "delete", "suspended_tickets/%d" % ticket_id)
    return held


def delete_user(zenpy, subject):
    """Soft delete, then permanent delete."""
    zenpy.users.delete(subject.user)
    zenpy.users.permanently_delete(subject.user)


def main(erase):
    """Runs an erasure, printing its steps; exits 1 on the first error."""
    try:
        erase(connect())
    except Exception as error:  # every failure is reported the same way
        traceback.print_exc()
        print(json.dumps({"step": "error", "ok": False,
                          "detail": "%s: %s" % (type(error).__name__, error)}), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit("a library for the erase_*.py tools")
