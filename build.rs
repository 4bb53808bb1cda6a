//! rust-i18n reads `locales/` while compiling `src/lib.rs` but tells cargo
//! nothing about it, so a catalog-only change left the old strings in the
//! binary. Saying so here rebuilds the crate when a catalog changes.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=build.rs");
}
