//! Live reload by server-sent events. Every change bumps a generation
//! number; each event stream gets the current one when it connects and
//! every new one after. A page knows the generation it was served at and
//! reloads when it hears another: a change between serving a page and its
//! stream connecting, or a restarted server, is not missed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hyper::body::Bytes;
use tokio::sync::{mpsc, watch};

/// The current generation, watched by every open event stream.
#[derive(Clone)]
pub struct Hub {
    generation: watch::Sender<u64>,
}

impl Default for Hub {
    fn default() -> Self {
        // Start from the clock, so a restarted server's pages differ.
        let start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        Hub {
            generation: watch::Sender::new(start),
        }
    }
}

impl Hub {
    pub fn generation(&self) -> u64 {
        *self.generation.borrow()
    }

    /// A change was applied: tell every open page. Called from the rebuild
    /// thread; needs no runtime.
    pub fn reload(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    /// The messages of one event stream, until the stream's receiver is
    /// dropped (the connection closed). A comment every `ping` writes to
    /// the connection, so a client that went away is noticed and dropped.
    /// Must be called inside the runtime.
    pub fn stream(&self, ping: Duration) -> mpsc::Receiver<Bytes> {
        let (tx, rx) = mpsc::channel(4);
        let mut generations = self.generation.subscribe();
        tokio::spawn(async move {
            let first = format!(
                ": connected\n\ndata: {}\n\n",
                *generations.borrow_and_update()
            );
            if tx.send(Bytes::from(first)).await.is_err() {
                return;
            }
            loop {
                let message = tokio::select! {
                    changed = generations.changed() => match changed {
                        Ok(()) => format!("data: {}\n\n", *generations.borrow_and_update()),
                        Err(_) => return,
                    },
                    () = tokio::time::sleep(ping) => ": ping\n\n".to_string(),
                    () = tx.closed() => return,
                };
                if tx.send(Bytes::from(message)).await.is_err() {
                    return;
                }
            }
        });
        rx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    #[test]
    fn a_stream_starts_with_the_generation_and_hears_each_change() {
        runtime().block_on(async {
            let hub = Hub::default();
            let now = hub.generation();
            let mut rx = hub.stream(Duration::from_secs(60));
            let first = rx.recv().await.unwrap();
            assert_eq!(first, format!(": connected\n\ndata: {now}\n\n"));
            hub.reload();
            assert_eq!(rx.recv().await.unwrap(), format!("data: {}\n\n", now + 1));
            assert_eq!(hub.generation(), now + 1);
        });
    }

    #[test]
    fn an_idle_stream_is_pinged_and_ends_when_its_reader_goes() {
        runtime().block_on(async {
            let hub = Hub::default();
            let mut rx = hub.stream(Duration::from_millis(10));
            rx.recv().await.unwrap();
            assert_eq!(rx.recv().await.unwrap(), ": ping\n\n");
            drop(rx);
            // The task ends: the sender it held is gone, so the watch has
            // no receivers left.
            for _ in 0..100 {
                if hub.generation.receiver_count() == 0 {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            panic!("the stream's task is still running");
        });
    }
}
