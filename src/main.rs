fn main() -> std::process::ExitCode {
    dealbook::allocator::tune();
    dealbook::cli::main()
}
