//! Reading the target's answers: each JSON body reduced to the model's views, every id
//! replaced by its position (an id this test did not make is an error), the owner's real name
//! and email replaced by the model's placeholders, emails lowercased; and the full listings.

use super::{MAX_PAGES, Sut, SutError, SutResult, UNKNOWN_IDS, unreadable};
use crate::client::Reply;
use crate::model::pools::{OWNER_EMAIL, OWNER_NAME};
use crate::model::state::Pos;
use crate::model::views::{
    CommentView, DeletedTicketView, DeletedUserView, IdentityView, Lenient, Listing, Ref, Response,
    TicketView, UserView,
};
use serde_json::Value;

impl Sut {
    /// An error when the reply is not 2xx; else `success(body)` with the real status put in.
    pub(super) fn read(
        &self,
        reply: &Reply,
        success: impl FnOnce(&Self, &Value) -> SutResult<Response>,
    ) -> SutResult<Response> {
        if !reply.is_success() {
            return Ok(error(reply));
        }
        let response = success(self, &reply.body)
            .map_err(|e| SutError::Unreadable(format!("{e}; in {reply}")))?;
        Ok(with_status(response, reply.status))
    }

    /// The tickets listed under `key`, as views in position order.
    pub(super) fn tickets_at(&self, body: &Value, key: &str) -> SutResult<Response> {
        let mut tickets = super::array(body, key)?
            .iter()
            .map(|t| self.ticket_view(t))
            .collect::<SutResult<Vec<_>>>()?;
        tickets.sort_by_key(|t| t.ticket);
        Ok(Response::Tickets {
            status: 200,
            tickets,
        })
    }

    /// A job result's id as a position: a user, a ticket, or one of the made-up ids.
    pub(super) fn reference(&self, id: i64) -> SutResult<Ref> {
        if let Some(p) = self.users.iter().position(|&u| u == id) {
            return Ok(Ref::User(p));
        }
        if let Some(p) = self.tickets.iter().position(|t| t.id == id) {
            return Ok(Ref::Ticket(p));
        }
        usize::try_from(id - UNKNOWN_IDS)
            .ok()
            .filter(|k| *k <= 100)
            .map(Ref::Unknown)
            .ok_or_else(|| SutError::Unreadable(format!("id {id} names nothing this test made")))
    }

    fn user_position(&self, id: &Value) -> SutResult<Pos> {
        id.as_i64()
            .and_then(|id| self.users.iter().position(|&u| u == id))
            .ok_or_else(|| SutError::Unreadable(format!("user id {id} is not one this test made")))
    }

    fn ticket_position(&self, id: &Value) -> SutResult<Pos> {
        id.as_i64()
            .and_then(|id| self.tickets.iter().position(|t| t.id == id))
            .ok_or_else(|| {
                SutError::Unreadable(format!("ticket id {id} is not one this test made"))
            })
    }

    /// The owner's real name and email, as the model names them.
    /// Emails (and identity values) are lowercased: they compare without regard to case.
    fn as_model_text(&self, user: Pos, field: &str, value: Option<&str>) -> Option<String> {
        match value {
            Some(v) if v.eq_ignore_ascii_case(&self.owner_email) => Some(OWNER_EMAIL.to_owned()),
            Some(v) if user == 0 && field == "name" && v == self.owner_name => {
                Some(OWNER_NAME.to_owned())
            }
            Some(v) if field == "email" || field == "value" => Some(v.to_lowercase()),
            other => other.map(str::to_owned),
        }
    }

    pub(super) fn user(&self, body: &Value) -> SutResult<Response> {
        Ok(Response::User {
            status: 200,
            user: self.user_view(&body["user"])?,
        })
    }

    pub(super) fn ticket(&self, body: &Value) -> SutResult<Response> {
        Ok(Response::Ticket {
            status: 200,
            ticket: self.ticket_view(&body["ticket"])?,
        })
    }

    pub(super) fn user_view(&self, u: &Value) -> SutResult<UserView> {
        let user = self.user_position(&u["id"])?;
        Ok(UserView {
            user,
            name: self
                .as_model_text(user, "name", u["name"].as_str())
                .ok_or_else(|| SutError::Unreadable(format!("a user without a name: {u}")))?,
            email: Lenient::Is(self.as_model_text(user, "email", u["email"].as_str())),
            phone: Lenient::Is(u["phone"].as_str().map(str::to_owned)),
            active: flag(u, "active")?,
            suspended: flag(u, "suspended")?,
        })
    }

    pub(super) fn deleted_user(&self, u: &Value) -> SutResult<DeletedUserView> {
        let user = self.user_position(&u["id"])?;
        Ok(DeletedUserView {
            user,
            name: self
                .as_model_text(user, "name", u["name"].as_str())
                .unwrap_or_default(),
            email: Lenient::Is(self.as_model_text(user, "email", u["email"].as_str())),
            phone: Lenient::Is(u["phone"].as_str().map(str::to_owned)),
            active: flag(u, "active")?,
        })
    }

    pub(super) fn identity(&self, i: &Value) -> SutResult<Response> {
        Ok(Response::Identity {
            status: 0,
            identity: self.identity_view(i)?,
        })
    }

    fn identity_view(&self, i: &Value) -> SutResult<IdentityView> {
        let user = self.user_position(&i["user_id"])?;
        Ok(IdentityView {
            kind: i["type"].as_str().unwrap_or("").to_owned(),
            value: self
                .as_model_text(user, "value", i["value"].as_str())
                .unwrap_or_default(),
            primary: flag(i, "primary")?,
        })
    }

    pub(super) fn ticket_view(&self, t: &Value) -> SutResult<TicketView> {
        Ok(TicketView {
            ticket: self.ticket_position(&t["id"])?,
            subject: t["subject"].as_str().unwrap_or("").to_owned(),
            status: t["status"].as_str().unwrap_or("").to_owned(),
            requester: Ref::User(self.user_position(&t["requester_id"])?),
            description: t["description"].as_str().unwrap_or("").to_owned(),
        })
    }

    fn deleted_ticket_view(&self, t: &Value) -> SutResult<DeletedTicketView> {
        Ok(DeletedTicketView {
            ticket: self.ticket_position(&t["id"])?,
            subject: t["subject"].as_str().unwrap_or("").to_owned(),
            previous_state: t["previous_state"].as_str().unwrap_or("").to_owned(),
        })
    }

    /// Every listing, every page: users, deleted users, tickets, deleted tickets, then the
    /// identities of each listed user and the comments of each listed ticket.
    pub async fn listing(&self) -> SutResult<Listing> {
        let c = &self.client;
        let page = [("page[size]", "100".to_owned())];
        let users = c.collect_pages("users", &page, "users", MAX_PAGES).await?;
        let deleted_users = c
            .collect_pages("deleted_users", &page, "deleted_users", MAX_PAGES)
            .await?;
        let tickets = c
            .collect_pages("tickets", &page, "tickets", MAX_PAGES)
            .await?;
        let deleted_tickets = c
            .collect_pages("deleted_tickets", &page, "deleted_tickets", MAX_PAGES)
            .await?;
        let mut listing = Listing {
            users: users
                .items
                .iter()
                .map(|u| self.user_view(u))
                .collect::<SutResult<_>>()?,
            deleted_users: deleted_users
                .items
                .iter()
                .map(|u| self.deleted_user(u))
                .collect::<SutResult<_>>()?,
            tickets: tickets
                .items
                .iter()
                .map(|t| self.ticket_view(t))
                .collect::<SutResult<_>>()?,
            deleted_tickets: deleted_tickets
                .items
                .iter()
                .map(|t| self.deleted_ticket_view(t))
                .collect::<SutResult<_>>()?,
            identities: Vec::new(),
            comments: Vec::new(),
        };
        for user in listing.users.iter().map(|u| u.user) {
            let path = format!("users/{}/identities", self.users[user]);
            let identities = c
                .collect_pages(&path, &page, "identities", MAX_PAGES)
                .await?;
            let views = identities
                .items
                .iter()
                .map(|i| self.identity_view(i))
                .collect::<SutResult<_>>()?;
            listing.identities.push((user, views));
        }
        for ticket in listing.tickets.iter().map(|t| t.ticket) {
            let path = format!("tickets/{}/comments", self.ticket_id(ticket));
            let comments = c.collect_pages(&path, &page, "comments", MAX_PAGES).await?;
            let views = comments
                .items
                .iter()
                .map(comment_view)
                .collect::<SutResult<_>>()?;
            listing.comments.push((ticket, views));
        }
        Ok(listing.sorted())
    }
}

pub(super) fn array<'a>(body: &'a Value, key: &str) -> SutResult<&'a Vec<Value>> {
    body[key]
        .as_array()
        .ok_or_else(|| SutError::Unreadable(format!("no `{key}` array")))
}

pub(super) fn flag(object: &Value, key: &str) -> SutResult<bool> {
    object[key]
        .as_bool()
        .ok_or_else(|| SutError::Unreadable(format!("`{key}` is not a boolean in {object}")))
}

pub(super) fn comment_view(c: &Value) -> SutResult<CommentView> {
    Ok(CommentView {
        body: c["body"].as_str().unwrap_or("").to_owned(),
        plain_body: c["plain_body"].as_str().unwrap_or("").to_owned(),
        public: flag(c, "public")?,
    })
}

pub(super) fn comment_response(c: &Value) -> SutResult<Response> {
    Ok(Response::Comment {
        status: 0,
        comment: comment_view(c)?,
    })
}

/// The id of the comment a ticket create or update added: its audit's `Comment` event
/// (on Zendesk, comments are audit events and share their ids).
pub(super) fn comment_id(reply: &Reply) -> SutResult<i64> {
    reply
        .at("/audit/events")
        .as_array()
        .and_then(|events| {
            events
                .iter()
                .find(|e| e["type"] == "Comment")
                .and_then(|e| e["id"].as_i64())
        })
        .ok_or_else(|| unreadable("no Comment event in the audit", reply))
}

/// Zendesk's error shape, reduced: `error`, the first key of `details` and its first
/// description, else the top-level description.
pub(super) fn error(reply: &Reply) -> Response {
    let body = &reply.body;
    let error = body["error"]
        .as_str()
        .map_or_else(|| reply.body_snippet(80), str::to_owned);
    let detail = body["details"]
        .as_object()
        .and_then(|details| details.iter().next());
    let field = detail.map(|(key, _)| key.clone());
    let description = detail
        .and_then(|(_, items)| items[0]["description"].as_str())
        .or_else(|| body["description"].as_str())
        .map(str::to_owned);
    Response::Error {
        status: reply.status,
        error,
        field,
        description,
    }
}

/// A success response with the HTTP status the target really gave.
pub(super) fn with_status(response: Response, real: u16) -> Response {
    match response {
        Response::User { user, .. } => Response::User { status: real, user },
        Response::DeletedUser { user, .. } => Response::DeletedUser { status: real, user },
        Response::Identity { identity, .. } => Response::Identity {
            status: real,
            identity,
        },
        Response::Ticket { ticket, .. } => Response::Ticket {
            status: real,
            ticket,
        },
        Response::Comment { comment, .. } => Response::Comment {
            status: real,
            comment,
        },
        Response::Users { users, .. } => Response::Users {
            status: real,
            users,
        },
        Response::Comments { comments, .. } => Response::Comments {
            status: real,
            comments,
        },
        Response::Tickets { tickets, .. } => Response::Tickets {
            status: real,
            tickets,
        },
        Response::Empty { .. } => Response::Empty { status: real },
        other => other,
    }
}
