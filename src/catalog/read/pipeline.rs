//! Requests sent back to back on one connection, their answers handled one by one, in the
//! order sent, as soon as each has arrived: the rows of one catalog query become model while
//! the server is still working on the next.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::Poll;

/// One request in flight.
pub type Request<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Poll every request in the order given (so they go out in that order, the first poll of a
/// tokio-postgres request being what sends it) and hand each answer to `handle` with its
/// position, in order, once it and every answer before it are in. Stops at the first error
/// `handle` returns; the requests still in flight are dropped (the connection discards their
/// answers).
pub async fn in_order<'a, T, E>(
    requests: Vec<Request<'a, T>>,
    mut handle: impl FnMut(usize, T) -> Result<(), E>,
) -> Result<(), E> {
    let mut pending: Vec<Option<Request<'a, T>>> = requests.into_iter().map(Some).collect();
    let mut answers: Vec<Option<T>> = pending.iter().map(|_| None).collect();
    let mut next = 0;
    poll_fn(move |cx| {
        for (slot, answer) in pending.iter_mut().zip(answers.iter_mut()) {
            if let Some(request) = slot {
                if let Poll::Ready(value) = request.as_mut().poll(cx) {
                    *answer = Some(value);
                    *slot = None;
                }
            }
        }
        while let Some(value) = answers.get_mut(next).and_then(Option::take) {
            handle(next, value)?;
            next += 1;
        }
        if next == answers.len() {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::sync::{Arc, Mutex};

    /// A request that is ready after `polls` polls, recording when it was first polled.
    fn request(
        id: usize,
        polls: usize,
        started: Arc<Mutex<Vec<usize>>>,
    ) -> Request<'static, usize> {
        let mut left = polls;
        let mut first = true;
        Box::pin(poll_fn(move |cx| {
            if first {
                first = false;
                started.lock().unwrap().push(id);
            }
            if left == 0 {
                Poll::Ready(id)
            } else {
                left -= 1;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }))
    }

    #[tokio::test]
    async fn answers_are_handled_in_order_whatever_order_they_arrive_in() {
        let started = Arc::new(Mutex::new(Vec::new()));
        let requests = vec![
            request(0, 3, started.clone()),
            request(1, 0, started.clone()),
            request(2, 1, started.clone()),
        ];
        let mut handled = Vec::new();
        let result: Result<(), ()> = in_order(requests, |i, value| {
            handled.push((i, value));
            Ok(())
        })
        .await;
        assert_eq!(result, Ok(()));
        assert_eq!(handled, vec![(0, 0), (1, 1), (2, 2)]);
        assert_eq!(*started.lock().unwrap(), vec![0, 1, 2], "sent in order");
    }

    #[tokio::test]
    async fn the_first_error_stops_the_handling() {
        let started = Arc::new(Mutex::new(Vec::new()));
        let requests = vec![
            request(0, 0, started.clone()),
            request(1, 0, started.clone()),
            request(2, 0, started.clone()),
        ];
        let mut handled = Vec::new();
        let result = in_order(requests, |i, _| {
            handled.push(i);
            if i == 1 {
                Err("stop")
            } else {
                Ok(())
            }
        })
        .await;
        assert_eq!(result, Err("stop"));
        assert_eq!(handled, vec![0, 1]);
    }
}
