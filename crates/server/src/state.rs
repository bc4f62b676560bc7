//! What every request shares: the store, the accounts, the login limiter.

use crate::accounts::Accounts;
use crate::error::ApiError;
use rampart_hub::{Store, StoreError};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub type Shared = Arc<AppState>;

pub struct AppState {
    store: Mutex<Store>,
    pub accounts: Arc<dyn Accounts>,
    pub limiter: Limiter,
    /// Served over TLS: session cookies are `Secure`.
    pub tls: bool,
}

impl AppState {
    pub fn new(store: Store, accounts: Arc<dyn Accounts>, tls: bool) -> Shared {
        Arc::new(AppState { store: Mutex::new(store), accounts, limiter: Limiter::default(), tls })
    }

    /// Runs `f` on the store off the async threads (SQLite calls block).
    pub async fn store<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let state = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock leaves SQLite consistent (transactions roll back).
            let mut store = state.store.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut store)
        })
        .await
        .map_err(|e| ApiError::internal(format!("store task failed: {e}")))?
        .map_err(ApiError::from)
    }

    /// Runs `f` on the accounts off the async threads.
    pub async fn accounts<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Accounts) -> anyhow::Result<T> + Send + 'static,
    {
        let accounts = Arc::clone(&self.accounts);
        tokio::task::spawn_blocking(move || f(accounts.as_ref()))
            .await
            .map_err(|e| ApiError::internal(format!("accounts task failed: {e}")))?
            .map_err(|e| ApiError::internal(format!("{e:#}")))
    }
}

/// Failed sign-ins per key (a user name, a client address): after
/// [`Limiter::MAX_FAILURES`] within [`Limiter::WINDOW`] the key is refused until the oldest
/// failure leaves the window. Checked before the password is (hashing is costly on purpose).
#[derive(Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Limiter {
    pub const MAX_FAILURES: usize = 5;
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        self.failures.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long until one of `keys` may try again; `None` if all may now.
    pub fn blocked(&self, keys: &[String]) -> Option<Duration> {
        let now = Instant::now();
        let mut map = self.lock();
        let mut wait = None;
        for k in keys {
            if let Some(q) = map.get_mut(k) {
                while q.front().is_some_and(|t| now.duration_since(*t) >= Self::WINDOW) {
                    q.pop_front();
                }
                if q.len() >= Self::MAX_FAILURES {
                    let until = Self::WINDOW.saturating_sub(now.duration_since(q[0]));
                    wait = Some(wait.map_or(until, |w: Duration| w.max(until)));
                }
            }
        }
        wait
    }

    pub fn failed(&self, keys: &[String]) {
        let now = Instant::now();
        let mut map = self.lock();
        // Bounded memory: forget keys whose failures are all old.
        if map.len() > 10_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < Self::WINDOW));
        }
        for k in keys {
            let q = map.entry(k.clone()).or_default();
            q.push_back(now);
            while q.len() > Self::MAX_FAILURES {
                q.pop_front();
            }
        }
    }

    pub fn succeeded(&self, key: &str) {
        self.lock().remove(key);
    }
}
