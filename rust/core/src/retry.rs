//! Retrying calls to AWS: exponential backoff with full jitter (a random sleep between zero and
//! `min(cap, base * 2^attempt)`), inside a budget of attempts and of total time, so a fleet of
//! executors throttled by STS spreads out instead of retrying in lockstep, and nothing waits
//! forever. Throttling (HTTP 400 `Throttling`, 429, `SlowDown`) has its own, longer, budget, as in
//! S3A. Failures that retrying cannot fix (access denied, a bad request) are returned at once.
//!
//! Keys are S3A's own: `fs.s3a.retry.limit` / `fs.s3a.retry.interval` for transient failures,
//! `fs.s3a.retry.throttle.limit` / `fs.s3a.retry.throttle.interval` for throttling, and s3adt's
//! `fs.s3a.s3adt.retry.max-interval` and `fs.s3a.s3adt.retry.deadline`.

use crate::conf::{ConfigError, Configuration, TimeUnit};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

pub const RETRY_LIMIT: &str = "fs.s3a.retry.limit";
pub const RETRY_INTERVAL: &str = "fs.s3a.retry.interval";
pub const RETRY_THROTTLE_LIMIT: &str = "fs.s3a.retry.throttle.limit";
pub const RETRY_THROTTLE_INTERVAL: &str = "fs.s3a.retry.throttle.interval";
pub const RETRY_MAX_INTERVAL: &str = "fs.s3a.s3adt.retry.max-interval";
pub const RETRY_DEADLINE: &str = "fs.s3a.s3adt.retry.deadline";

/// How a failure is to be treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Retrying cannot help.
    Never,
    /// A transient failure: 5xx, a timeout, a refused or reset connection.
    Transient,
    /// The service asked us to slow down.
    Throttled,
}

/// What a retry listener is told before each retry of a named operation: which operation,
/// which attempt failed and how, and how long the wait before the next one is.
#[derive(Debug)]
pub struct RetryNotice<'a> {
    /// e.g. `STS GetSessionToken`.
    pub operation: &'a str,
    /// The attempt that failed, counting from 1.
    pub attempt: u32,
    pub kind: Retry,
    /// The sleep before the next attempt.
    pub wait: Duration,
    /// The failure, as the error's `Display` shows it.
    pub error: String,
}

impl fmt::Display for RetryNotice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: attempt {} failed{} ({}); retrying in {:.1}s",
            self.operation,
            self.attempt,
            if self.kind == Retry::Throttled {
                ", throttled"
            } else {
                ""
            },
            self.error,
            self.wait.as_secs_f64()
        )
    }
}

/// A process-wide listener for retries (a command line tool shows them, so a user is not left
/// with a silent command for the minutes a retry budget can last). The core never prints.
pub type RetryListener = Arc<dyn Fn(&RetryNotice<'_>) + Send + Sync>;

static LISTENER: RwLock<Option<RetryListener>> = RwLock::new(None);

/// Install (or with `None`, remove) the process-wide retry listener. It is called from the
/// retrying task, before each sleep; it should return quickly.
pub fn set_retry_listener(listener: Option<RetryListener>) {
    *LISTENER.write().unwrap_or_else(|p| p.into_inner()) = listener;
}

fn retry_listener() -> Option<RetryListener> {
    LISTENER.read().unwrap_or_else(|p| p.into_inner()).clone()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries (not attempts) allowed for transient failures.
    pub limit: u32,
    pub interval: Duration,
    /// Retries allowed for throttling.
    pub throttle_limit: u32,
    pub throttle_interval: Duration,
    /// No single sleep is longer than this.
    pub max_interval: Duration,
    /// No retry starts after this much time has passed since the first attempt.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    /// S3A's defaults (`fs.s3a.retry.limit` 7, interval 500ms; throttle 20, 100ms), capped at
    /// 20 s a sleep and 2 minutes in all.
    fn default() -> Self {
        RetryPolicy {
            limit: 7,
            interval: Duration::from_millis(500),
            throttle_limit: 20,
            throttle_interval: Duration::from_millis(100),
            max_interval: Duration::from_secs(20),
            deadline: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    pub fn from_config(conf: &Configuration) -> Result<Self, ConfigError> {
        let d = RetryPolicy::default();
        let int = |key: &str, default: u32| -> Result<u32, ConfigError> {
            match conf.get(key) {
                None => Ok(default),
                Some(v) => v.trim().parse().map_err(|_| ConfigError::BadValue {
                    key: key.to_owned(),
                    message: "expected a whole number".to_owned(),
                }),
            }
        };
        let ms = |key: &str, default: Duration| {
            conf.get_time_duration(
                key,
                &format!("{}ms", default.as_millis()),
                TimeUnit::Milliseconds,
            )
        };
        Ok(RetryPolicy {
            limit: int(RETRY_LIMIT, d.limit)?,
            interval: ms(RETRY_INTERVAL, d.interval)?,
            throttle_limit: int(RETRY_THROTTLE_LIMIT, d.throttle_limit)?,
            throttle_interval: ms(RETRY_THROTTLE_INTERVAL, d.throttle_interval)?,
            max_interval: ms(RETRY_MAX_INTERVAL, d.max_interval)?,
            deadline: ms(RETRY_DEADLINE, d.deadline)?,
        })
    }

    /// The sleep before retry number `retry` (0-based): uniform in [0, min(cap, base*2^retry)].
    pub fn backoff(&self, kind: Retry, retry: u32) -> Duration {
        let base = if kind == Retry::Throttled {
            self.throttle_interval
        } else {
            self.interval
        };
        let ceiling = base
            .checked_mul(1u32.checked_shl(retry.min(30)).unwrap_or(u32::MAX))
            .unwrap_or(self.max_interval)
            .min(self.max_interval);
        let nanos = ceiling.as_nanos().min(u64::MAX as u128) as u64;
        Duration::from_nanos(if nanos == 0 {
            0
        } else {
            rand::random_range(0..=nanos)
        })
    }

    /// Run `attempt` until it succeeds, fails in a way retrying cannot fix, or the budget is
    /// spent. Returns the last result and how many attempts were made.
    pub async fn run<T, E, F, Fut>(
        &self,
        attempt: F,
        classify: impl Fn(&E) -> Retry,
    ) -> (Result<T, E>, u32)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.run_inner(None, attempt, classify, |_| String::new())
            .await
    }

    /// [`RetryPolicy::run`] for an operation named in the notices sent to the retry listener
    /// (see [`set_retry_listener`]) before each retry.
    pub async fn run_as<T, E, F, Fut>(
        &self,
        operation: &str,
        attempt: F,
        classify: impl Fn(&E) -> Retry,
    ) -> (Result<T, E>, u32)
    where
        E: fmt::Display,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.run_inner(Some(operation), attempt, classify, |e| e.to_string())
            .await
    }

    async fn run_inner<T, E, F, Fut>(
        &self,
        operation: Option<&str>,
        mut attempt: F,
        classify: impl Fn(&E) -> Retry,
        describe: impl Fn(&E) -> String,
    ) -> (Result<T, E>, u32)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let start = Instant::now();
        let (mut transient, mut throttled) = (0u32, 0u32);
        let mut attempts = 0u32;
        loop {
            attempts += 1;
            let result = attempt().await;
            let kind = match &result {
                Ok(_) => return (result, attempts),
                Err(e) => classify(e),
            };
            let (used, limit) = match kind {
                Retry::Never => return (result, attempts),
                Retry::Transient => (&mut transient, self.limit),
                Retry::Throttled => (&mut throttled, self.throttle_limit),
            };
            if *used >= limit {
                return (result, attempts);
            }
            let sleep = self.backoff(kind, *used);
            *used += 1;
            if start.elapsed() + sleep > self.deadline {
                return (result, attempts);
            }
            if let (Some(operation), Some(listener), Err(e)) =
                (operation, retry_listener(), &result)
            {
                listener(&RetryNotice {
                    operation,
                    attempt: attempts,
                    kind,
                    wait: sleep,
                    error: describe(e),
                });
            }
            tokio::time::sleep(sleep).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let p = RetryPolicy::default();
        for retry in 0..40 {
            let d = p.backoff(Retry::Transient, retry);
            assert!(d <= p.max_interval);
            assert!(d <= p.interval * 2u32.saturating_pow(retry.min(20)));
        }
        let samples: std::collections::HashSet<_> =
            (0..50).map(|_| p.backoff(Retry::Throttled, 5)).collect();
        assert!(samples.len() > 10, "full jitter gives different sleeps");
    }

    #[test]
    fn keys_are_read_and_bad_ones_named() {
        let mut c = Configuration::new();
        c.set(RETRY_LIMIT, "3");
        c.set(RETRY_THROTTLE_INTERVAL, "2s");
        let p = RetryPolicy::from_config(&c).unwrap();
        assert_eq!((p.limit, p.throttle_interval), (3, Duration::from_secs(2)));
        c.set(RETRY_LIMIT, "many");
        assert!(RetryPolicy::from_config(&c)
            .unwrap_err()
            .to_string()
            .contains(RETRY_LIMIT));
    }

    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn the_listener_hears_each_retry_of_a_named_operation() {
        let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = heard.clone();
        set_retry_listener(Some(Arc::new(move |n: &RetryNotice<'_>| {
            // Other tests in this process retry too: keep only this test's operation.
            if n.operation == "TEST Listened" {
                sink.lock()
                    .unwrap()
                    .push((n.attempt, n.wait, n.to_string()));
            }
        })));
        let p = RetryPolicy {
            limit: 2,
            ..RetryPolicy::default()
        };
        let (_, n) = p
            .run_as(
                "TEST Listened",
                || async { Err::<(), _>("timed out") },
                |_| Retry::Transient,
            )
            .await;
        // Unnamed runs and fatal failures say nothing.
        let _ = p
            .run_as(
                "TEST Listened",
                || async { Err::<(), _>("denied") },
                |_| Retry::Never,
            )
            .await;
        set_retry_listener(None);
        let heard = heard.lock().unwrap();
        assert_eq!(n, 3);
        assert_eq!(heard.len(), 2, "{heard:?}");
        for (i, (attempt, wait, text)) in heard.iter().enumerate() {
            assert_eq!(*attempt, i as u32 + 1);
            assert!(
                text.starts_with(&format!(
                    "TEST Listened: attempt {attempt} failed (timed out); retrying in "
                )),
                "{text}"
            );
            assert!(*wait <= p.max_interval);
        }
    }

    #[tokio::test(flavor = "current_thread", start_paused = true)]
    async fn stops_at_the_limit_and_at_once_on_fatal_errors() {
        let p = RetryPolicy {
            limit: 2,
            throttle_limit: 4,
            ..RetryPolicy::default()
        };
        let (r, n) = p
            .run(|| async { Err::<(), _>("503") }, |_| Retry::Transient)
            .await;
        assert_eq!((r, n), (Err("503"), 3));
        let (_, n) = p
            .run(
                || async { Err::<(), _>("Throttling") },
                |_| Retry::Throttled,
            )
            .await;
        assert_eq!(n, 5);
        let (_, n) = p
            .run(|| async { Err::<(), _>("AccessDenied") }, |_| Retry::Never)
            .await;
        assert_eq!(n, 1);
        let mut calls = 0;
        let (r, n) = p
            .run(
                || {
                    calls += 1;
                    let ok = calls == 3;
                    async move {
                        if ok {
                            Ok(7)
                        } else {
                            Err("503")
                        }
                    }
                },
                |_| Retry::Transient,
            )
            .await;
        assert_eq!((r, n), (Ok(7), 3));
    }
}
