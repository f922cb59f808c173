//! The direct requests' connections (`super`): HTTP/1.1 connections polled by whoever waits
//! on them, kept in a per-store pool between requests, and the bodies that read them.

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::{Body as _, Incoming};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpStream;

/// Idle connections kept per store.
const MAX_IDLE: usize = 32;
/// An idle connection older than this is closed rather than reused (servers close idle
/// keep-alive connections after some seconds: beast 5 s+, nginx 75 s).
const MAX_IDLE_AGE: Duration = Duration::from_secs(4);

pub(super) type Connection = http1::Connection<TokioIo<TcpStream>, Full<Bytes>>;

/// One HTTP/1.1 connection, polled by whoever waits on it.
pub(super) struct Link {
    pub(super) send: http1::SendRequest<Full<Bytes>>,
    pub(super) conn: Pin<Box<Connection>>,
    /// The connection future returned: the connection is over (closed, or failed).
    pub(super) over: bool,
    pub(super) idle_since: Instant,
}

impl Link {
    /// Let the connection read and write; true when it is (now) over.
    pub(super) fn drive(&mut self, cx: &mut Context<'_>) -> bool {
        if !self.over && self.conn.as_mut().poll(cx).is_ready() {
            self.over = true;
        }
        self.over
    }
}

#[derive(Default)]
pub(super) struct Pool {
    idle: Mutex<Vec<Link>>,
    /// Connections opened, for tests and diagnostics.
    pub(super) opened: AtomicU64,
}

impl Pool {
    pub(super) fn put(&self, mut link: Link) {
        link.idle_since = Instant::now();
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(link);
        }
    }

    /// The most recently used idle connection still open and ready for a request.
    pub(super) async fn take(&self) -> Option<Link> {
        loop {
            let mut link = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop()?;
            if link.idle_since.elapsed() > MAX_IDLE_AGE {
                continue;
            }
            // One poll: a connection the server closed is over now, an idle one is ready.
            let ready = poll_fn(|cx| {
                Poll::Ready(
                    !link.drive(cx) && matches!(link.send.poll_ready(cx), Poll::Ready(Ok(()))),
                )
            })
            .await;
            if ready {
                return Some(link);
            }
        }
    }
}

/// The body of a direct request, read by whoever reads it: reading drives its connection,
/// which goes back to the pool once the body has ended (all its bytes read, even if the reader
/// stops there); dropped before that, the connection is closed (the abort).
pub(crate) struct DirectBody {
    pub(super) link: Option<Link>,
    pub(super) incoming: Incoming,
    pub(super) pool: Arc<Pool>,
}

impl Drop for DirectBody {
    fn drop(&mut self) {
        if self.incoming.is_end_stream() {
            if let Some(link) = self.link.take() {
                self.pool.put(link);
            }
        }
    }
}

impl DirectBody {
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Bytes, String>>> {
        if let Some(link) = self.link.as_mut() {
            link.drive(cx);
        }
        loop {
            match Pin::new(&mut self.incoming).poll_frame(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Err(e))) => {
                    self.link = None;
                    return Poll::Ready(Some(Err(e.to_string())));
                }
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) if !data.is_empty() => return Poll::Ready(Some(Ok(data))),
                    _ => continue,
                },
                Poll::Ready(None) => {
                    if let Some(mut link) = self.link.take() {
                        // Let the connection see the message end, then keep it if it is open.
                        if !link.drive(cx) {
                            self.pool.put(link);
                        }
                    }
                    return Poll::Ready(None);
                }
            }
        }
    }

    /// The next bytes; None at the end of the body.
    pub(crate) async fn next(&mut self) -> Option<Result<Bytes, String>> {
        poll_fn(|cx| self.poll_next(cx)).await
    }
}
