//! Uploads first. When a hundred kiosks upload at once (the end of a day
//! offline), each one, its page taken, asks which of its claims the hub
//! holds: a read of every claim it ever sent, a few milliseconds of the
//! database each. Those reads wait while other kiosks' pages are still
//! being taken, so the day's records are at the hub, safe, before the
//! database works out what each kiosk shows its staff. The wait is
//! bounded: the kiosk asks for it (`?wait=N`, half its own request
//! timeout, so the wait never cuts its request) and it is never longer
//! than [`HELD_WAIT`]; a caller that does not ask is answered at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

/// The longest a kiosk's question about its held claims waits for the
/// uploads in flight (a kiosk cuts a request after 30 s unless set
/// otherwise, and asks for half of its timeout at most).
pub const HELD_WAIT: Duration = Duration::from_secs(crate::sync::protocol::HELD_WAIT_SECONDS);

/// The uploads the hub is taking now, from their arrival to their answer
/// (waiting for a database connection included).
#[derive(Default)]
pub struct UploadsInFlight {
    count: AtomicUsize,
    none_left: Notify,
}

/// One upload being taken: it counts until dropped.
pub struct TakingUpload<'a>(&'a UploadsInFlight);

impl UploadsInFlight {
    pub fn start(&self) -> TakingUpload<'_> {
        self.count.fetch_add(1, Ordering::SeqCst);
        TakingUpload(self)
    }

    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }

    /// Returns once no upload is being taken, or after `most`.
    pub async fn none_or_after(&self, most: Duration) {
        let deadline = tokio::time::Instant::now() + most;
        loop {
            // Registered before the count is read, so the last upload's
            // end is never missed between the two.
            let none_left = self.none_left.notified();
            tokio::pin!(none_left);
            none_left.as_mut().enable();
            if self.count() == 0 {
                return;
            }
            if tokio::time::timeout_at(deadline, none_left).await.is_err() {
                return;
            }
        }
    }
}

impl Drop for TakingUpload<'_> {
    fn drop(&mut self) {
        if self.0.count.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.none_left.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn a_question_waits_for_the_uploads_in_flight_and_no_longer_than_its_bound() {
        let uploads = Arc::new(UploadsInFlight::default());
        // Nothing in flight: no wait at all.
        let t = tokio::time::Instant::now();
        uploads.none_or_after(Duration::from_secs(5)).await;
        assert!(t.elapsed() < Duration::from_millis(100));

        // Two uploads in flight, ending 150 and 300 ms from now: the
        // question is answered when the second ends.
        let (a, b) = (uploads.clone(), uploads.clone());
        let first = tokio::spawn(async move {
            let _taking = a.start();
            tokio::time::sleep(Duration::from_millis(150)).await;
        });
        let second = tokio::spawn(async move {
            let _taking = b.start();
            tokio::time::sleep(Duration::from_millis(300)).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(uploads.count(), 2);
        let t = tokio::time::Instant::now();
        uploads.none_or_after(Duration::from_secs(5)).await;
        let waited = t.elapsed();
        assert!(
            waited >= Duration::from_millis(250) && waited < Duration::from_secs(2),
            "{waited:?}"
        );
        assert_eq!(uploads.count(), 0);
        first.await.unwrap();
        second.await.unwrap();

        // An upload that does not end: the question is answered at its bound.
        let stuck = uploads.start();
        let t = tokio::time::Instant::now();
        uploads.none_or_after(Duration::from_millis(200)).await;
        let waited = t.elapsed();
        assert!(
            waited >= Duration::from_millis(200) && waited < Duration::from_secs(2),
            "{waited:?}"
        );
        drop(stuck);
        assert_eq!(uploads.count(), 0);
    }
}
