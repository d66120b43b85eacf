//! Trunk builds this binary to wasm; natively it is empty (the library's tests run instead).

fn main() {
    #[cfg(target_arch = "wasm32")]
    pool_portal::start();
}
