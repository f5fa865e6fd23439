//! [`Pages`]: every item of a list operation, page after page, as a `Stream`.

use core::fmt;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::Client;
use crate::{ApiError, Paginated};

type PageFuture<E> =
    Pin<Box<dyn Future<Output = (E, Result<<E as crate::Endpoint>::Response, ApiError>)> + Send>>;

/// The items of every page of a list operation, from [`Client::paginate`]: a
/// [`Stream`](futures_core::Stream) of `Result<Item, ApiError>`, also read with
/// [`next`](Self::next).
///
/// A page is fetched when the items before it have been taken, so a consumer that stops
/// early fetches no more; dropping the stream cancels the fetch under way. It ends after the
/// last page (by the total, or a short page), or after yielding the first error.
#[must_use = "a stream does nothing until polled"]
pub struct Pages<E: Paginated> {
    client: Client,
    next: Option<E>,
    items: VecDeque<E::Item>,
    pending: Option<PageFuture<E>>,
}

impl<E: Paginated> Pages<E> {
    pub(super) fn new(client: Client, first: E) -> Self {
        Self {
            client,
            next: Some(first),
            items: VecDeque::new(),
            pending: None,
        }
    }
}

impl<E> Pages<E>
where
    E: Paginated + Send + Sync + Unpin + 'static,
    E::Response: Send,
    E::Item: Unpin,
{
    /// The next item, or `None` after the last.
    pub async fn next(&mut self) -> Option<Result<E::Item, ApiError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<E::Item, ApiError>>> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(pending) = self.pending.as_mut() {
                let (request, result) = match pending.as_mut().poll(cx) {
                    Poll::Ready(done) => done,
                    Poll::Pending => return Poll::Pending,
                };
                self.pending = None;
                match result {
                    Ok(page) => {
                        self.next = request.next_page(&page);
                        self.items.extend(E::into_items(page));
                        continue;
                    }
                    Err(error) => {
                        self.next = None;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
            let Some(request) = self.next.take() else {
                return Poll::Ready(None);
            };
            let client = self.client.clone();
            self.pending = Some(Box::pin(async move {
                let result = client.send(&request).await;
                (request, result)
            }));
        }
    }
}

impl<E> futures_core::Stream for Pages<E>
where
    E: Paginated + Send + Sync + Unpin + 'static,
    E::Response: Send,
    E::Item: Unpin,
{
    type Item = Result<E::Item, ApiError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}

impl<E: Paginated + fmt::Debug> fmt::Debug for Pages<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("next", &self.next)
            .field("buffered", &self.items.len())
            .field("fetching", &self.pending.is_some())
            .finish_non_exhaustive()
    }
}
