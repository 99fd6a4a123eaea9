//! Writes a reproducible manuscript of about PAGES printed pages with the mix of a real
//! technical book (see `tests/common/generate.rs`), for benchmarks:
//!
//! `cargo run --release --example generate -- PAGES OUT_DIR`

#[path = "../tests/common/generate.rs"]
mod generate;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(pages), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: generate PAGES OUT_DIR");
        std::process::exit(2);
    };
    generate::write_book(pages.parse()?, std::path::Path::new(out))
}
