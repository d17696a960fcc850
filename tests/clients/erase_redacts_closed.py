"""DELIBERATELY WRONG: redacts the subject's data in someone else's closed ticket instead of
permanently deleting the ticket (the guide: "If the ticket is closed, permanently delete the
ticket"). comment_redactions accepts closed tickets, so no identifier is left behind — only
the outcome is wrong. Otherwise as erase_correct.py. `zendesk-conformance client` must fail it
on `outcome`.
"""

import sys

import erasure_kit as kit


def erase(zenpy):
    subject = kit.Subject(zenpy)
    own = [t.id for t in kit.requested(zenpy, subject)]
    own_deleted = kit.deleted_requested_ids(zenpy, subject)
    doomed = []
    for ticket in kit.mentioning(zenpy, subject, set(own)):
        notes = kit.comments(zenpy, ticket.id)
        if any(kit.attachment_holds(zenpy, subject, c) for c in notes):  # closed or not
            doomed.append(ticket.id)
        else:
            for comment in notes:
                kit.redact(zenpy, subject, ticket.id, comment)
    kit.delete_tickets(zenpy, own + doomed)
    kit.purge_tickets(zenpy, own + doomed + own_deleted)
    kit.delete_held_emails(zenpy, subject)
    kit.delete_user(zenpy, subject)


if __name__ == "__main__":
    sys.exit(kit.main(erase))
