//! The `pgdrift` binary: everything lives in the library; this only hands over to `cli`.

// The model and the reports are many small strings and maps: mimalloc's allocation and
// free paths are cheaper than glibc's for that shape.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(pgdrift::cli::main());
}
