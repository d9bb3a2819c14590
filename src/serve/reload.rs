//! Live reload by server-sent events. Every change bumps a generation
//! number; each event stream gets the current one when it connects and
//! every new one after. A page knows the generation it was served at and
//! reloads when it hears another: a change between serving a page and its
//! stream connecting, or a restarted server, is not missed.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The open event streams and the current generation.
#[derive(Clone)]
pub struct Hub {
    clients: Arc<Mutex<Vec<Sender<u64>>>>,
    generation: Arc<AtomicU64>,
}

impl Default for Hub {
    fn default() -> Self {
        // Start from the clock, so a restarted server's pages differ.
        let start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        Hub {
            clients: Arc::default(),
            generation: Arc::new(AtomicU64::new(start)),
        }
    }
}

impl Hub {
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// A change was applied: tell every open page. Closed streams go.
    pub fn reload(&self) {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let mut clients = super::lock(&self.clients);
        clients.retain(|c| c.send(generation).is_ok());
    }

    fn subscribe(&self) -> Receiver<u64> {
        let (tx, rx) = channel();
        super::lock(&self.clients).push(tx);
        rx
    }

    /// Serves one event stream until the browser goes away. Runs on its
    /// own thread; a comment every 10 s finds closed connections.
    pub fn stream(&self, mut out: Box<dyn Write + Send>) {
        let rx = self.subscribe();
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: connected\n\ndata: {}\n\n",
            self.generation()
        );
        if out
            .write_all(head.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
        loop {
            let message = match rx.recv_timeout(Duration::from_secs(10)) {
                Ok(generation) => format!("data: {generation}\n\n"),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            };
            if out
                .write_all(message.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                return;
            }
        }
    }
}
