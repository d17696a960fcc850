"""Erases a data subject the way Zendesk's privacy guide says (the order matters: the user's
data is what finds the tickets). See erasure_kit.py for the environment.

1. Their tickets — live ones of every status, and soft-deleted ones (the incremental export
   lists those) — are permanently deleted: the whole conversation is theirs.
2. Tickets of other people that mention one of their identifiers (search):
   - closed, or with their data in an attachment: permanently deleted (closed conversations
     cannot be redacted; attachments are not searchable);
   - otherwise only the comments holding their data are redacted (comment_redactions), name
     included, nothing else.
3. Emails they sent while suspended are deleted from the suspended-tickets queue.
4. Then the user: soft delete, then permanent delete.
Bulk calls stay within 100 ids and every job is polled until it has completed.
"""

import sys

import erasure_kit as kit


def erase(zenpy):
    subject = kit.Subject(zenpy)
    own = [t.id for t in kit.requested(zenpy, subject)]
    own_deleted = kit.deleted_requested_ids(zenpy, subject)
    doomed, redacted = [], []
    for ticket in kit.mentioning(zenpy, subject, set(own)):
        notes = kit.comments(zenpy, ticket.id)
        in_files = any(kit.attachment_holds(zenpy, subject, c) for c in notes)
        if ticket.status == "closed" or in_files:
            doomed.append(ticket.id)
        else:
            redacted += [c.id for c in notes if kit.redact(zenpy, subject, ticket.id, c)]
    kit.report("tickets", {"own": own, "own_deleted": own_deleted, "others_deleted": doomed,
                           "comments_redacted": redacted})
    kit.delete_tickets(zenpy, own + doomed)
    kit.purge_tickets(zenpy, own + doomed + own_deleted)
    kit.report("held emails deleted", kit.delete_held_emails(zenpy, subject))
    kit.delete_user(zenpy, subject)
    kit.report("user deleted", subject.user.id)


if __name__ == "__main__":
    sys.exit(kit.main(erase))
