//! Regenerates include/s3adt.h from the C API on every build; CI fails when the committed header
//! differs from the generated one. The header's `S3ADT_VERSION*` macros and the shared library's
//! SONAME (`libs3adt.so.<major>`) come from the workspace version in Cargo.toml, the one
//! version that the crates, the jar and `s3adt --version` carry too.

use std::env;
use std::path::Path;

fn main() {
    let crate_dir = env::var("CARGO_MANIFEST_DIR").unwrap();
    let root = Path::new(&crate_dir).join("../..");
    println!("cargo:rerun-if-changed=src/capi");
    println!("cargo:rerun-if-changed=src/lib.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let version = env::var("CARGO_PKG_VERSION").unwrap();
    let part = |p: &str| env::var(format!("CARGO_PKG_VERSION_{p}")).unwrap();
    let (major, minor, patch) = (part("MAJOR"), part("MINOR"), part("PATCH"));
    // A program links against libs3adt.so and records libs3adt.so.<major> as what it needs, so
    // an installed library of another major version is never picked up (scripts/install.sh
    // installs libs3adt.so.<version> with the two symlinks). The JVM loads it by path.
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libs3adt.so.{major}");
    }
    let mut config = cbindgen::Config::from_file(Path::new(&crate_dir).join("cbindgen.toml"))
        .expect("cbindgen.toml");
    config.after_includes = Some(format!(
        "\n/** The version of libs3adt this header belongs to (compare with s3adt_version()). */\n\
         #define S3ADT_VERSION \"{version}\"\n\
         /** The major part of #S3ADT_VERSION; the library's SONAME is libs3adt.so.MAJOR. */\n\
         #define S3ADT_VERSION_MAJOR {major}\n\
         /** The minor part of #S3ADT_VERSION. */\n\
         #define S3ADT_VERSION_MINOR {minor}\n\
         /** The patch part of #S3ADT_VERSION. */\n\
         #define S3ADT_VERSION_PATCH {patch}"
    ));
    cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("generating the C header")
        .write_to_file(root.join("include/s3adt.h"));
}
