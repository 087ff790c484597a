//! Fuzz target: see `kiosk::fuzzing::paths` for what it asserts.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        kiosk::fuzzing::paths(text);
    }
});
