"""Erases one data subject with zenpy, in the order of Zendesk's privacy guide: find the user,
delete their requested tickets (soft, then permanently through the Deleted Tickets endpoint),
then delete the user (soft, then permanently).

Run by tests/tests/zenpy_rate_limits.rs against the mock. Environment:
  ZENDESK_URL     host:port of a plain-HTTP server (given to zenpy as ZENPY_FORCE_NETLOC)
  ZENDESK_EMAIL   an admin's email
  ZENDESK_TOKEN   the account's API token
  SUBJECT_EMAIL   whose data to erase

Prints one JSON line per step, {"step", "ok", "detail"}, and exits 1 at the first failure.
zenpy logs a warning each time it waits out a 429's Retry-After; those go to stderr.
"""

import json
import logging
import os
import sys
import time

os.environ.setdefault("ZENPY_FORCE_SCHEME", "http")
os.environ["ZENPY_FORCE_NETLOC"] = os.environ["ZENDESK_URL"]

from zenpy import Zenpy  # noqa: E402  (zenpy reads the variables above when it builds URLs)


def report(step, ok, detail):
    print(json.dumps({"step": step, "ok": ok, "detail": detail}), flush=True)


def wait_for_job(zenpy, job, timeout=30.0):
    """Polls a job status until it has finished; returns its final status."""
    deadline = time.monotonic() + timeout
    while job.status in ("queued", "working"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"job {job.id} still {job.status}")
        time.sleep(0.05)
        job = zenpy.job_status(id=job.id)
    return job


def erase(zenpy, email):
    step = "find user"
    try:
        users = [u for u in zenpy.users.search(query=email) if u.email == email]
        if len(users) != 1:
            raise RuntimeError(f"{len(users)} users have the email {email}")
        user = users[0]
        report(step, True, {"user_id": user.id})

        step = "list requested tickets"
        tickets = list(zenpy.users.requested(user))
        report(step, True, {"ticket_ids": [t.id for t in tickets]})

        for ticket in tickets:
            step = "delete ticket"
            zenpy.tickets.delete(ticket)
            report(step, True, {"ticket_id": ticket.id})

            step = "permanently delete ticket"
            job = wait_for_job(zenpy, zenpy.tickets.permanently_delete(ticket))
            if job.status != "completed":
                raise RuntimeError(f"job {job.id} ended {job.status}: {job.message}")
            report(step, True, {"ticket_id": ticket.id, "job_id": job.id})

        step = "delete user"
        deleted = zenpy.users.delete(user)
        report(step, True, {"user_id": user.id, "active": deleted.active})

        step = "permanently delete user"
        gone = zenpy.users.permanently_delete(user)
        report(step, True, {"user_id": user.id, "name": gone.name})
    except Exception as error:  # every failure is reported the same way
        report(step, False, f"{type(error).__name__}: {error}")
        return 1
    return 0


def main():
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    zenpy = Zenpy(
        subdomain="mock",  # must be non-empty; ZENPY_FORCE_NETLOC decides where requests go
        email=os.environ["ZENDESK_EMAIL"],
        token=os.environ["ZENDESK_TOKEN"],
        timeout=10,
        # Give up (RatelimitBudgetExceeded) rather than wait more than 2 minutes in all.
        ratelimit_budget=120,
    )
    return erase(zenpy, os.environ["SUBJECT_EMAIL"])


if __name__ == "__main__":
    sys.exit(main())
