"""DELIBERATELY WRONG: takes "the subject's tickets" to be those of every user with the
subject's name, so a namesake's tickets are deleted too (the guide: "Make sure to positively
identify the user ... The conversation may be referring to another person with the same
name"). Otherwise as erase_correct.py. `zendesk-conformance client` must fail it on
`precision`.
"""

import sys

import erasure_kit as kit


def erase(zenpy):
    subject = kit.Subject(zenpy)
    same_name = [u for u in zenpy.users.search(query='"%s"' % subject.name) if u.name == subject.name]
    own = [t.id for user in same_name for t in zenpy.users.requested(user)]
    own_deleted = kit.deleted_requested_ids(zenpy, subject)
    doomed = []
    for ticket in kit.mentioning(zenpy, subject, set(own)):
        notes = kit.comments(zenpy, ticket.id)
        if ticket.status == "closed" or any(kit.attachment_holds(zenpy, subject, c) for c in notes):
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
