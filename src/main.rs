//! The `pgdrift` binary: everything lives in the library; this only hands over to `cli`.

fn main() {
    std::process::exit(pgdrift::cli::main());
}
