/// mimalloc: the build allocates many small strings on every core, where
/// the system allocator spent a third of the time (contention between
/// threads, consolidation).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dealbook::cli::main()
}
