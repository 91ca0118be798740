//! SIGINT and SIGTERM during `extract`: the first one is noted here, the
//! reader stops, and the window in flight is finished and written before
//! tally exits with 128 + the signal's number. A second signal ends the
//! process at once (the handler is installed with `SA_RESETHAND`).

use std::sync::atomic::{AtomicI32, Ordering};

/// The first signal received, 0 for none.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    // Only an atomic store: async-signal-safe.
    let _ = RECEIVED.compare_exchange(0, sig, Ordering::SeqCst, Ordering::SeqCst);
}

/// Notes the first SIGINT or SIGTERM instead of dying on it.
pub fn install() {
    #[cfg(unix)]
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: a zeroed sigaction with a handler that only stores to an
        // atomic; no SA_RESTART, so that a blocked call returns EINTR.
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
            action.sa_flags = libc::SA_RESETHAND;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(sig, &action, std::ptr::null_mut());
        }
    }
}

/// The signal received since [`install`], if any.
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// A signal's name, for messages.
pub fn name(sig: i32) -> String {
    #[cfg(unix)]
    {
        if sig == libc::SIGINT {
            return "SIGINT".into();
        }
        if sig == libc::SIGTERM {
            return "SIGTERM".into();
        }
    }
    format!("signal {sig}")
}

/// The error `extract` ends with after a signal: the process should exit
/// with 128 + `signal`.
#[derive(Debug)]
pub struct Interrupted {
    pub signal: i32,
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "interrupted by {}", name(self.signal))
    }
}

impl std::error::Error for Interrupted {}
