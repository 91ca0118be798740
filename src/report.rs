//! Messages to the user on standard error that never fail the run: a
//! standard error that cannot be written (closed, or a full disk) loses the
//! message, but does not stop tally or make it panic as `eprintln!` would.

use std::io::Write;

/// Writes one line to standard error; a failed write is ignored.
pub fn say_fmt(args: std::fmt::Arguments) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_fmt(args);
    let _ = e.write_all(b"\n");
}

/// `eprintln!` that never panics: see [`say_fmt`].
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => {
        $crate::report::say_fmt(format_args!($($t)*))
    };
}

/// A warning: `tally: warning: …` on standard error.
pub fn warn(message: &str) {
    say_fmt(format_args!("tally: warning: {message}"));
}
