"""DELIBERATELY WRONG: deletes the user before erasing their ticket data (the guide says
ticket data first). It does find everything first — so nothing is left behind — then
deletes the user, then the tickets. When the guard refuses (the user still requests a ticket
that is not closed), it carries on and deletes the user at the end. Otherwise as
erase_correct.py. `zendesk-conformance client` must fail it on `ordering`.
"""

import sys

import erasure_kit as kit
from zenpy.lib.exception import APIException


def erase(zenpy):
    subject = kit.Subject(zenpy)
    own = [t.id for t in kit.requested(zenpy, subject)]
    own_deleted = kit.deleted_requested_ids(zenpy, subject)
    found = [(t, kit.comments(zenpy, t.id)) for t in kit.mentioning(zenpy, subject, set(own))]
    try:
        kit.delete_user(zenpy, subject)  # too early
        deleted = True
    except APIException:  # 422: requester of a ticket that is not closed
        deleted = False
    kit.report("user deleted first", deleted)
    doomed = []
    for ticket, notes in found:
        if ticket.status == "closed" or any(kit.attachment_holds(zenpy, subject, c) for c in notes):
            doomed.append(ticket.id)
        else:
            for comment in notes:
                kit.redact(zenpy, subject, ticket.id, comment)
    kit.delete_tickets(zenpy, own + doomed)
    kit.purge_tickets(zenpy, own + doomed + own_deleted)
    kit.delete_held_emails(zenpy, subject)
    if not deleted:
        kit.delete_user(zenpy, subject)


if __name__ == "__main__":
    sys.exit(kit.main(erase))
