//! The public listener: serves the router over HTTP/1.1 with the limits a listener that
//! faces the internet needs (`[server]`): a connection that sends no whole request header
//! within `idle_timeout` is closed (a slow header and an idle keep-alive connection
//! alike), a request not answered within `request_timeout` gets 503, and at most
//! `max_connections` are open — beyond it the longest-idle connection is closed to make
//! room, and a new one is refused only when every open one is busy. So idle sockets can
//! never use up the file descriptors that Slack's and Discord's requests need.
//!
//! At shutdown it stops accepting, lets requests in flight finish (idle connections close
//! at once) and gives up on the rest after [`DRAIN`].

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;
use tracing::{debug, warn};

/// How long shutdown waits for requests in flight.
pub const DRAIN: Duration = Duration::from_secs(1);

/// The listener's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub idle_timeout: Duration,
    pub request_timeout: Duration,
    pub max_connections: usize,
}

/// One open connection: how many requests it is serving, and how to close it.
struct Open {
    busy: AtomicUsize,
    close: CancellationToken,
}

/// The open connections by their number, oldest first.
#[derive(Default)]
struct Registry {
    open: Mutex<BTreeMap<u64, Arc<Open>>>,
}

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Open>>> {
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes room for one more: closes the oldest idle connection when at `max`. False
    /// when every connection is busy.
    fn make_room(&self, max: usize) -> bool {
        let mut open = self.lock();
        if open.len() < max {
            return true;
        }
        let idle = open
            .iter()
            .find(|(_, c)| c.busy.load(Ordering::SeqCst) == 0)
            .map(|(id, _)| *id);
        match idle.and_then(|id| open.remove(&id)) {
            Some(evicted) => {
                evicted.close.cancel();
                true
            }
            None => false,
        }
    }
}

/// Marks a connection busy while a request is served.
struct Busy(Arc<Open>);

impl Busy {
    fn enter(open: &Arc<Open>) -> Busy {
        open.busy.fetch_add(1, Ordering::SeqCst);
        Busy(open.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves `router` on `listener` until `shutdown` is cancelled.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let registry = Arc::new(Registry::default());
    let mut connections = JoinSet::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.idle_timeout)
        .keep_alive(true);
    let mut next_id = 0u64;
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most likely: wait for connections to close.
                warn!(error = %e, "cannot accept a connection");
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(Duration::from_millis(50)) => continue,
                }
            }
        };
        if !registry.make_room(limits.max_connections) {
            debug!("every connection is busy: refusing a new one");
            drop(stream);
            continue;
        }
        next_id += 1;
        let id = next_id;
        let open = Arc::new(Open {
            busy: AtomicUsize::new(0),
            close: CancellationToken::new(),
        });
        registry.lock().insert(id, open.clone());
        let service = {
            let (router, open) = (router.clone(), open.clone());
            hyper::service::service_fn(move |request: Request<Incoming>| {
                let busy = Busy::enter(&open);
                let router = router.clone();
                async move {
                    let answer = tokio::time::timeout(
                        limits.request_timeout,
                        router.oneshot(request.map(axum::body::Body::new)),
                    )
                    .await;
                    drop(busy);
                    Ok::<Response, Infallible>(match answer {
                        Ok(Ok(response)) => response,
                        Ok(Err(never)) => match never {},
                        Err(_) => (
                            StatusCode::SERVICE_UNAVAILABLE,
                            format!(
                                "the request took longer than {} s and was abandoned\n",
                                limits.request_timeout.as_secs()
                            ),
                        )
                            .into_response(),
                    })
                }
            })
        };
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        let (registry, shutdown) = (registry.clone(), shutdown.clone());
        connections.spawn(async move {
            tokio::pin!(connection);
            tokio::select! {
                served = connection.as_mut() => {
                    if let Err(e) = served {
                        debug!(error = %e, "connection ended with an error");
                    }
                }
                _ = open.close.cancelled() => debug!("closed an idle connection to make room"),
                _ = shutdown.cancelled() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            registry.lock().remove(&id);
        });
    }
    drop(listener);
    let drained = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        warn!(
            left = connections.len(),
            "requests still running at shutdown were abandoned"
        );
        connections.shutdown().await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn start(limits: Limits) -> (std::net::SocketAddr, CancellationToken) {
        let router = Router::new()
            .route("/fast", get(|| async { "fast" }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    "slow"
                }),
            );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        tokio::spawn(serve(listener, router, limits, shutdown.clone()));
        (address, shutdown)
    }

    async fn get_path(address: std::net::SocketAddr, path: &str) -> String {
        let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
        socket
            .write_all(
                format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
            )
            .await
            .unwrap();
        let mut answer = String::new();
        socket.read_to_string(&mut answer).await.unwrap();
        answer
    }

    #[tokio::test]
    async fn a_request_slower_than_the_request_timeout_gets_503() {
        let (address, shutdown) = start(Limits {
            idle_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_millis(200),
            max_connections: 8,
        })
        .await;
        assert!(get_path(address, "/fast").await.starts_with("HTTP/1.1 200"));
        let answer = get_path(address, "/slow").await;
        assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
        shutdown.cancel();
    }

    #[tokio::test]
    async fn at_the_cap_the_oldest_idle_connection_makes_room_and_busy_ones_stay() {
        let (address, shutdown) = start(Limits {
            idle_timeout: Duration::from_secs(60),
            request_timeout: Duration::from_secs(60),
            max_connections: 2,
        })
        .await;
        // One busy connection (a slow request in flight) and one idle one fill the cap.
        let mut busy = tokio::net::TcpStream::connect(address).await.unwrap();
        busy.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        // The first request on a connection proves the server has registered it.
        let mut idle = tokio::net::TcpStream::connect(address).await.unwrap();
        idle.write_all(b"GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 1024];
        let n = idle.read(&mut buf).await.unwrap();
        assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
        // A third connection closes the idle one, not the busy one, and is served.
        assert!(get_path(address, "/fast").await.starts_with("HTTP/1.1 200"));
        assert_eq!(
            idle.read(&mut buf).await.unwrap_or(0),
            0,
            "the idle one was closed"
        );
        let still_open =
            tokio::time::timeout(Duration::from_millis(100), busy.read(&mut buf)).await;
        assert!(
            still_open.is_err(),
            "the busy connection is still waiting for its answer"
        );
        shutdown.cancel();
    }
}
