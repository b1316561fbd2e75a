//! A value an instance keeps for a few seconds instead of reading it from the database on
//! every request (the organization settings, kept by `abonent_app`; the reference data of
//! registration). A change saved on this instance drops the copy at once
//! ([`Fresh::forget`]); one saved on another instance shows within [`KEEP_FOR`].

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a kept value serves before it is read again.
pub const KEEP_FOR: Duration = Duration::from_secs(5);

/// This instance's copy of a value and when it was read; shared by its clones.
pub struct Fresh<T>(Arc<Mutex<Option<(Instant, T)>>>);

impl<T> Default for Fresh<T> {
    fn default() -> Self {
        Fresh(Arc::new(Mutex::new(None)))
    }
}

impl<T> Clone for Fresh<T> {
    fn clone(&self) -> Self {
        Fresh(self.0.clone())
    }
}

impl<T: Clone> Fresh<T> {
    /// The kept value while it is fresh.
    pub fn get(&self) -> Option<T> {
        self.with(T::clone)
    }

    /// `f` of the kept value while it is fresh, without cloning the whole of it.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> Option<R> {
        let c = self.0.lock().ok()?;
        let (at, v) = c.as_ref()?;
        (at.elapsed() < KEEP_FOR).then(|| f(v))
    }

    /// Keep `v`, read just now.
    pub fn put(&self, v: T) {
        if let Ok(mut c) = self.0.lock() {
            *c = Some((Instant::now(), v));
        }
    }

    /// Drop the copy (after a write).
    pub fn forget(&self) {
        if let Ok(mut c) = self.0.lock() {
            *c = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_until_forgotten() {
        let f: Fresh<u32> = Fresh::default();
        assert_eq!(f.get(), None);
        f.put(7);
        assert_eq!(f.clone().get(), Some(7), "clones share the copy");
        assert_eq!(f.with(|v| v + 1), Some(8));
        f.forget();
        assert_eq!(f.get(), None);
    }
}
