//! The HTTP side of `serve`: hyper 1 on a current-thread tokio runtime.
//! Every request is untrusted (any web page the user visits can send
//! requests to 127.0.0.1), so what one can cost is bounded: no request body
//! is ever read, the size and number of header fields are capped, a
//! request's head must arrive in time, and connections beyond a cap are
//! closed as soon as they are accepted. Pages are rendered on the blocking
//! pool, so a slow page never holds up the event streams.

use std::convert::Infallible;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};

use super::http::{self, Refusal};
use super::reload::Hub;
use super::workspace::{self, Workspace};

/// What clients may cost the server.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Connections open at once (event streams included); more are closed
    /// as soon as they are accepted. Above a browser's whole socket pool
    /// (256 in Chromium), so one browser never meets it.
    pub connections: usize,
    /// Bytes of a request's head: the request line and all header fields.
    pub head_bytes: usize,
    /// Header fields in one request.
    pub headers: usize,
    /// Time to send a request's head, counted from the connection or the
    /// end of the previous response: clients that dribble it byte by byte,
    /// or open connections and send nothing, are dropped.
    pub head_timeout: Duration,
    /// How often an idle event stream gets a comment, so a client that
    /// went away is noticed when the write fails.
    pub ping: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 512,
            head_bytes: 32 * 1024,
            headers: 64,
            head_timeout: Duration::from_secs(10),
            ping: Duration::from_secs(10),
        }
    }
}

/// What every request handler shares.
pub(crate) struct Shared {
    pub workspace: Arc<Mutex<Workspace>>,
    pub hub: Hub,
    /// Bound to a loopback address: requests must name this machine.
    pub loopback: bool,
    pub limits: Limits,
}

/// Accepts the next connection and sets it up for small, quick responses.
/// Without `TCP_NODELAY` a response written in two parts on a kept-alive
/// connection waits for the client's delayed ACK (about 40 ms each).
/// Errors are the listener's own (out of file descriptors…).
pub(crate) async fn accept(listener: &TcpListener) -> io::Result<TcpStream> {
    loop {
        let (stream, _) = listener.accept().await?;
        // A connection already reset cannot take the option: skip it.
        if stream.set_nodelay(true).is_ok() {
            return Ok(stream);
        }
    }
}

/// Serves connections until the future is dropped.
pub(crate) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let permits = Arc::new(Semaphore::new(shared.limits.connections));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(shared.limits.head_timeout)
        .max_buf_size(shared.limits.head_bytes.max(8192))
        .max_header_size(shared.limits.head_bytes)
        .max_headers(shared.limits.headers)
        .keep_alive(true);
    loop {
        let stream = match accept(&listener).await {
            Ok(stream) => stream,
            Err(_) => {
                // Out of file descriptors, most likely: wait for some to
                // close instead of spinning on the same error.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        // Over the cap: dropping the stream closes it.
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            continue;
        };
        let shared = Arc::clone(&shared);
        let connection = builder.serve_connection(
            TokioIo::new(stream),
            hyper::service::service_fn(move |request| {
                let shared = Arc::clone(&shared);
                async move { Ok::<_, Infallible>(respond(&shared, request).await) }
            }),
        );
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
}

/// A response body: bytes in memory, an attachment read as it is sent, or
/// an event stream.
pub(crate) enum Out {
    Bytes(Option<Bytes>),
    File {
        file: tokio::fs::File,
        left: u64,
        buf: Vec<u8>,
    },
    Stream(mpsc::Receiver<Bytes>),
}

/// How much of an attachment is read at a time.
const CHUNK: usize = 64 * 1024;

impl Body for Out {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match self.get_mut() {
            Out::Bytes(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Out::File { file, left, buf } => {
                if *left == 0 {
                    return Poll::Ready(None);
                }
                let want = (*left).min(CHUNK as u64) as usize;
                let mut read = ReadBuf::new(&mut buf[..want]);
                match Pin::new(file).poll_read(cx, &mut read) {
                    Poll::Pending => Poll::Pending,
                    Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok(())) if read.filled().is_empty() => Poll::Ready(Some(Err(
                        io::Error::new(io::ErrorKind::UnexpectedEof, "the file got shorter"),
                    ))),
                    Poll::Ready(Ok(())) => {
                        let chunk = Bytes::copy_from_slice(read.filled());
                        *left -= chunk.len() as u64;
                        Poll::Ready(Some(Ok(Frame::data(chunk))))
                    }
                }
            }
            Out::Stream(rx) => rx.poll_recv(cx).map(|b| b.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Out::Bytes(bytes) => bytes.is_none(),
            Out::File { left, .. } => *left == 0,
            Out::Stream(_) => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Out::Bytes(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Out::File { left, .. } => SizeHint::with_exact(*left),
            Out::Stream(_) => SizeHint::default(),
        }
    }
}

/// A response with the headers every answer of `serve` carries.
fn reply(status: StatusCode, content_type: &'static str, body: Out) -> Response<Out> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn bytes(status: StatusCode, content_type: &'static str, body: impl Into<Bytes>) -> Response<Out> {
    reply(status, content_type, Out::Bytes(Some(body.into())))
}

fn empty(status: StatusCode) -> Response<Out> {
    bytes(status, "text/plain; charset=utf-8", Bytes::new())
}

/// A refusal; the connection is closed after it, unread body and all.
fn refused(refusal: Refusal) -> Response<Out> {
    let status = match refusal {
        Refusal::Method => StatusCode::METHOD_NOT_ALLOWED,
        Refusal::Body => StatusCode::PAYLOAD_TOO_LARGE,
        Refusal::Host => StatusCode::FORBIDDEN,
    };
    let mut response = empty(status);
    let headers = response.headers_mut();
    if refusal == Refusal::Method {
        headers.insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    }
    headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn redirect(location: &str) -> Response<Out> {
    let mut response = empty(StatusCode::MOVED_PERMANENTLY);
    // The path came in as a valid request target, so it is a valid header.
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Answers one request.
async fn respond(shared: &Arc<Shared>, request: Request<Incoming>) -> Response<Out> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    let authority = request.uri().authority().map(|a| a.as_str());
    let has_body = !request.body().is_end_stream();
    if let Some(refusal) =
        http::screen(request.method(), has_body, host, authority, shared.loopback)
    {
        return refused(refusal);
    }
    let path = request.uri().path().to_string();
    let head = request.method() == Method::HEAD;
    drop(request);
    if path == http::EVENTS {
        let mut response = empty(StatusCode::OK);
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/event-stream"),
        );
        if !head {
            *response.body_mut() = Out::Stream(shared.hub.stream(shared.limits.ping));
        }
        return response;
    }
    if path == http::WORKER {
        return bytes(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            http::WORKER_SCRIPT,
        );
    }
    let site = Arc::clone(shared);
    match tokio::task::spawn_blocking(move || site_file(&site, &path)).await {
        Ok(Answer::Ready(response)) => *response,
        Ok(Answer::File(path, content_type)) => attachment(path, content_type).await,
        // A bug while rendering: this request fails, the server goes on.
        Err(_) => empty(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// What a site path gives, worked out off the runtime.
enum Answer {
    Ready(Box<Response<Out>>),
    /// An attachment to send from its file.
    File(PathBuf, &'static str),
}

/// Looks up (and renders if need be) the site file a request path names.
/// Runs on the blocking pool: it waits for the workspace lock, which a
/// reload holds, and rendering a page can take milliseconds.
fn site_file(shared: &Shared, raw: &str) -> Answer {
    let html = "text/html; charset=utf-8";
    let mut ws = super::lock(&shared.workspace);
    // Read before the page: a change while it renders still reloads it.
    let generation = shared.hub.generation();
    let path = http::site_path(raw);
    if let Some(p) = &path {
        if http::has_repeated_slashes(raw) {
            return Answer::Ready(Box::new(redirect(&http::location(raw))));
        }
        if let Some(file) = ws.get(p) {
            return match file.body {
                workspace::Body::Page(page) => {
                    let page = if file.content_type.starts_with("text/html") {
                        http::inject(page, generation, &ws.problems(), ws.i18n())
                    } else {
                        page
                    };
                    Answer::Ready(Box::new(bytes(StatusCode::OK, file.content_type, page)))
                }
                workspace::Body::Static(data) => {
                    Answer::Ready(Box::new(bytes(StatusCode::OK, file.content_type, data)))
                }
                workspace::Body::File(path) => Answer::File(path, file.content_type),
            };
        }
        if !p.ends_with(".html")
            && !raw.ends_with('/')
            && ws.get(&format!("{p}/index.html")).is_some()
        {
            // `/projects` → `/projects/`, so relative links resolve.
            return Answer::Ready(Box::new(redirect(&format!("{}/", http::location(raw)))));
        }
    }
    let shown = path.as_deref().unwrap_or(raw);
    let page = http::not_found(ws.i18n(), shown).into_bytes();
    let page = http::inject(page, generation, &ws.problems(), ws.i18n());
    Answer::Ready(Box::new(bytes(StatusCode::NOT_FOUND, html, page)))
}

/// Sends an attachment as it is read, never whole in memory.
async fn attachment(path: PathBuf, content_type: &'static str) -> Response<Out> {
    let opened = match tokio::fs::File::open(&path).await {
        Ok(file) => file.metadata().await.map(|m| (file, m.len())),
        Err(e) => Err(e),
    };
    match opened {
        Ok((file, len)) => reply(
            StatusCode::OK,
            content_type,
            Out::File {
                file,
                left: len,
                buf: vec![0; CHUNK],
            },
        ),
        Err(_) => empty(StatusCode::NOT_FOUND),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_connections_do_not_wait_for_delayed_acks() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let client = std::thread::spawn(move || std::net::TcpStream::connect(addr));
            let stream = accept(&listener).await.unwrap();
            assert!(stream.nodelay().unwrap(), "TCP_NODELAY is set");
            client.join().unwrap().unwrap();
        });
    }

    #[test]
    fn refusals_close_the_connection() {
        for refusal in [Refusal::Method, Refusal::Body, Refusal::Host] {
            let response = refused(refusal);
            assert_eq!(response.headers()[header::CONNECTION], "close");
        }
        let response = refused(Refusal::Method);
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(response.headers()[header::ALLOW], "GET, HEAD");
        assert_eq!(
            refused(Refusal::Body).status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
        assert_eq!(refused(Refusal::Host).status(), StatusCode::FORBIDDEN);
    }
}
