//! What every request shares: the store, the accounts, the login limiter.

use crate::accounts::Accounts;
use crate::error::ApiError;
use rampart_hub::{Store, StoreError};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub type Shared = Arc<AppState>;

tokio::task_local! {
    /// Set for the requests that only read (GET and HEAD): their store calls go to a
    /// read-only connection of [`AppState`]'s pool, so reads run side by side and never
    /// wait behind a write (SQLite's WAL lets readers and one writer work at once).
    static READING: bool;
}

/// Runs a request's handling as one that only reads (see [`AppState::store`]).
pub async fn reading<F: std::future::Future>(f: F) -> F::Output {
    READING.scope(true, f).await
}

/// How many read-only connections serve reads at once.
const READERS: usize = 4;

pub struct AppState {
    store: Mutex<Store>,
    /// Read-only connections to the same store, opened when first needed (a file with no
    /// run yet cannot be opened read-only; the writer answers until one can). On PostgreSQL
    /// each is a connection of its own whose session is read-only.
    readers: Vec<Mutex<Option<Store>>>,
    next_reader: std::sync::atomic::AtomicUsize,
    /// The store the readers open: a file's path or a `postgres://` URL (`None` in memory:
    /// no reader can share it).
    db_spec: Option<std::path::PathBuf>,
    pub accounts: Arc<dyn Accounts>,
    pub limiter: Limiter,
    /// Anonymous refusals counted per address and minute for the audit log.
    pub anonymous: crate::guard::AnonymousRefusals,
    /// Served over TLS: session cookies are `Secure`.
    pub tls: bool,
}

impl AppState {
    /// Over `store`, opened from `spec` (a SQLite file's path or a `postgres://` URL), whose
    /// readers open `spec` read-only (none for a store in memory: `store` answers alone).
    pub fn at(store: Store, spec: &std::path::Path, accounts: Arc<dyn Accounts>, tls: bool) -> Shared {
        let readable = store.is_postgres() || spec.is_file();
        let db_spec = Some(spec.to_path_buf()).filter(|_| readable);
        let readers = (0..READERS).map(|_| Mutex::new(None)).collect();
        Arc::new(AppState {
            db_spec,
            store: Mutex::new(store),
            readers,
            next_reader: std::sync::atomic::AtomicUsize::new(0),
            accounts,
            limiter: Limiter::default(),
            anonymous: crate::guard::AnonymousRefusals::default(),
            tls,
        })
    }

    /// Runs `f` on the store off the async threads (SQLite calls block).
    pub async fn store<T, F>(self: &Arc<Self>, f: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
    {
        let state = Arc::clone(self);
        let reading = READING.try_with(|r| *r).unwrap_or(false);
        tokio::task::spawn_blocking(move || {
            if reading {
                if let Some(mut reader) = state.reader() {
                    if let Some(store) = reader.as_mut() {
                        let answer = f(store);
                        if answer.as_ref().is_err_and(StoreError::is_connection_lost) {
                            // Opened again by the next read that takes this slot.
                            *reader = None;
                        }
                        return answer;
                    }
                }
            }
            // A panic while holding the lock leaves SQLite consistent (transactions roll back).
            let mut store = state.store.lock().unwrap_or_else(|p| p.into_inner());
            let answer = f(&mut store);
            state.reconnect_if(answer.as_ref().is_err_and(StoreError::is_connection_lost), &mut store);
            answer
        })
        .await
        .map_err(|e| ApiError::internal(format!("store task failed: {e}")))?
        .map_err(ApiError::from)
    }

    /// When the writer's connection was `lost` (a PostgreSQL server restarted, its session
    /// ended), makes it again for the next request (this one failed; a write is never
    /// retried, it may have been done). Failing to connect, the old one is kept and tried
    /// again next time.
    fn reconnect_if(&self, lost: bool, store: &mut Store) {
        let Some(spec) = self.db_spec.as_ref().filter(|_| store.is_postgres()) else { return };
        if lost {
            match rampart_app::db::open(spec, rampart_hub::PgMode::Existing) {
                Ok(fresh) => {
                    tracing::warn!(db = %store.describe(), "the store's connection was lost: connected again");
                    *store = fresh;
                }
                Err(e) => tracing::warn!(error = %e, "the store's connection was lost and cannot be made again yet"),
            }
        }
    }

    /// A free read-only connection (a busy one when every one is busy), opened on first
    /// use; `None` when none can be opened (in memory, or a file without a run yet).
    fn reader(&self) -> Option<std::sync::MutexGuard<'_, Option<Store>>> {
        let spec = self.db_spec.as_ref()?;
        let start = self.next_reader.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % self.readers.len();
        let mut slot = (0..self.readers.len())
            .find_map(|i| self.readers[(start + i) % self.readers.len()].try_lock().ok())
            .unwrap_or_else(|| self.readers[start].lock().unwrap_or_else(|p| p.into_inner()));
        if slot.is_none() {
            *slot = Some(rampart_app::db::open(spec, rampart_hub::PgMode::ReadOnly).ok()?);
        }
        Some(slot)
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
            .map_err(|e| match e.downcast::<StoreError>() {
                // A store busy or its connection lost: try again (503), as for any request.
                Ok(se) if se.is_busy() || se.is_connection_lost() => ApiError::from(se),
                Ok(se) => ApiError::internal(format!("{:#}", anyhow::Error::new(se))),
                Err(e) => ApiError::internal(format!("{e:#}")),
            })
    }
}

/// A background job's way to the store (an agent upload's assessment runs on a blocking
/// thread): the write connection is taken for each short write only, and reads go to a
/// read-only connection, so a long job never keeps other writers waiting.
impl rampart_app::assess::StoreAccess for AppState {
    fn write(&self, f: &mut dyn FnMut(&mut Store) -> anyhow::Result<()>) -> anyhow::Result<()> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let answer = f(&mut store);
        let lost = answer.as_ref().is_err_and(|e| e.downcast_ref::<StoreError>().is_some_and(StoreError::is_connection_lost));
        self.reconnect_if(lost, &mut store);
        answer
    }

    fn read(&self, f: &mut dyn FnMut(&Store) -> anyhow::Result<()>) -> anyhow::Result<()> {
        if let Some(mut reader) = self.reader() {
            if let Some(store) = reader.as_ref() {
                let answer = f(store);
                if answer.as_ref().is_err_and(|e| e.downcast_ref::<StoreError>().is_some_and(StoreError::is_connection_lost)) {
                    *reader = None;
                }
                return answer;
            }
        }
        self.write(&mut |s| f(s))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_file(dir: &std::path::Path) -> std::path::PathBuf {
        let path = dir.join("rampart.db");
        let mut store = Store::open(&path).unwrap();
        let inv = rampart_app::inputs::demo().unwrap();
        let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, rampart_app::now());
        scan.record(&mut store).unwrap();
        path
    }

    /// A read does not wait behind the writer: with the writer's connection held (a long
    /// write), requests that only read are answered from the read-only connections, and a
    /// write through one of those is refused by SQLite, never done.
    #[test]
    fn reads_are_answered_while_the_writer_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = demo_file(dir.path());
        reads_are_answered_while_the_writer_is_busy_at(&path);
    }

    /// The same on PostgreSQL: the readers are sessions of their own, read-only (a write
    /// through one is refused by the server), in a database made for the test.
    #[test]
    fn reads_are_answered_while_the_writer_is_busy_on_postgres() {
        let admin = std::env::var("RAMPART_TEST_POSTGRES").unwrap_or_else(|_| {
            panic!("RAMPART_TEST_POSTGRES is not set: run the tests with scripts/test, which installs PostgreSQL (apt-get install postgresql) and starts it")
        });
        let name = format!("rampart_server_state_{}", std::process::id());
        let mut c = postgres::Client::connect(&admin, postgres::NoTls).expect("the test PostgreSQL runs (scripts/test starts it)");
        c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE \"{name}\"")).unwrap();
        let (prefix, _) = admin.split('?').next().unwrap().rsplit_once('/').unwrap();
        let url = std::path::PathBuf::from(format!("{prefix}/{name}"));
        {
            let mut store = rampart_app::db::open(&url, rampart_hub::PgMode::Create).unwrap();
            let inv = rampart_app::inputs::demo().unwrap();
            let mut scan = rampart_app::scan::check_inventory(&inv, "demo", None, rampart_app::now());
            scan.record(&mut store).unwrap();
        }
        let outcome = std::panic::catch_unwind(|| reads_are_answered_while_the_writer_is_busy_at(&url));
        let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"));
        if let Err(p) = outcome {
            std::panic::resume_unwind(p);
        }
    }

    fn reads_are_answered_while_the_writer_is_busy_at(path: &std::path::Path) {
        let open = |mode| rampart_app::db::open(path, mode).unwrap();
        let accounts: Arc<dyn Accounts> = Arc::new(crate::accounts::StoreAccounts::new(open(rampart_hub::PgMode::Existing)));
        let state = AppState::at(open(rampart_hub::PgMode::Existing), path, accounts, false);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let held = state.store.lock().unwrap();
        let runs = rt.block_on(async {
            let s = Arc::clone(&state);
            let read = reading(async move { s.store(|st| st.run_summaries()).await });
            tokio::time::timeout(Duration::from_secs(10), read).await
        });
        let runs = runs.expect("a read waited behind the writer").unwrap();
        assert_eq!(runs.len(), 1);
        drop(held);
        // The reader connections refuse writes: a GET handler that wrote would fail loudly.
        let wrote = rt.block_on(reading(state.store(|st| {
            st.create_insight("written by a GET", &rampart_hub::FindingFilters::default(), "SeverityLabel", "t", rampart_app::now())
        })));
        assert!(wrote.is_err(), "a reader connection wrote");
        assert!(rt.block_on(state.store(|st| st.insights())).unwrap().iter().all(|i| i.name != "written by a GET"));
        // Outside a reading request, the writer answers.
        let runs = rt.block_on(state.store(|st| st.run_summaries())).unwrap();
        assert_eq!(runs.len(), 1);
    }

    #[test]
    fn an_in_memory_store_is_read_through_the_writer() {
        let store = Store::open_in_memory().unwrap();
        let accounts: Arc<dyn Accounts> = Arc::new(crate::accounts::StoreAccounts::new(Store::open_in_memory().unwrap()));
        let state = AppState::at(store, std::path::Path::new(":memory:"), accounts, false);
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let runs = rt.block_on(reading(state.store(|st| st.run_summaries()))).unwrap();
        assert!(runs.is_empty());
    }
}
