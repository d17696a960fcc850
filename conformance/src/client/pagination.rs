//! Following pages (facts §9): cursor pages (`meta.has_more`, `links.next`) and offset pages
//! (`next_page` until null), whichever the reply carries.

use super::{Client, ClientError, ClientResult, Reply};
use serde_json::Value;

/// Every page of a list, in order.
#[derive(Debug, Clone, Default)]
pub struct Pages {
    /// The items under the list's key, all pages concatenated.
    pub items: Vec<Value>,
    /// Each page's reply, first to last.
    pub replies: Vec<Reply>,
}

/// The URL of the page after `reply`: `links.next` while `meta.has_more` is true (cursor
/// pages carry `links.next` even on the last page), else `next_page` when it is a string.
pub fn next_page_url(reply: &Reply) -> Option<String> {
    if let Some(has_more) = reply.at("/meta/has_more").as_bool() {
        return has_more
            .then(|| reply.at("/links/next").as_str().map(str::to_owned))
            .flatten();
    }
    reply.at("/next_page").as_str().map(str::to_owned)
}

impl Client {
    /// Reads `path?query` and every page after it, collecting the items under `key`. Stops
    /// with [`ClientError::Unexpected`] on a page that is not a 200 with an array at `key`,
    /// and after `max_pages` pages (a server whose links never end).
    pub async fn collect_pages(
        &self,
        path: &str,
        query: &[(&str, String)],
        key: &str,
        max_pages: usize,
    ) -> ClientResult<Pages> {
        let mut pages = Pages::default();
        let mut reply = self.get(path, query).await?;
        loop {
            let Some(items) = reply.body.get(key).and_then(Value::as_array) else {
                return Err(ClientError::unexpected(
                    format!("expected 200 with an array `{key}`"),
                    &reply,
                ));
            };
            if reply.status != 200 {
                return Err(ClientError::unexpected("expected 200", &reply));
            }
            pages.items.extend(items.iter().cloned());
            let next = next_page_url(&reply);
            pages.replies.push(reply);
            let Some(next) = next else {
                return Ok(pages);
            };
            if pages.replies.len() >= max_pages {
                return Err(ClientError::unexpected(
                    format!("still a next page after {max_pages} pages"),
                    pages.replies.last().expect("a page was read"),
                ));
            }
            reply = self.get(&next, &[]).await?;
        }
    }
}
