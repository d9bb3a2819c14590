fn main() -> std::process::ExitCode {
    dealbook::cli::main()
}
