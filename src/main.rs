//! The `kiosk` binary: thin glue over the library. A panic is an internal error (exit 3) with a
//! request to report it, never exit 101.

use std::process::ExitCode;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("kiosk: internal error: {info}");
        eprintln!("kiosk: this is a bug in kiosk, not in your site; please report it with the command you ran.");
    }));
    match std::panic::catch_unwind(|| kiosk::cli::run(std::env::args_os())) {
        Ok(code) => code,
        Err(_) => ExitCode::from(3),
    }
}
