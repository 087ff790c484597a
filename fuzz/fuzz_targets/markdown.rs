//! Fuzz target: see `kiosk::fuzzing::markdown` for what it asserts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        kiosk::fuzzing::markdown(text);
    }
});
