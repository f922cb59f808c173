//! The `s3adt` command: inspect Hadoop token files and token strings, S3A tokens in full
//! (never their secrets).

mod print;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "s3adt",
    version,
    about = "S3A delegation tokens, compatible with Apache hadoop-aws"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List the tokens in Hadoop token files (either format), with every non-secret field.
    Print {
        /// One JSON array of objects instead of text.
        #[arg(long)]
        json: bool,
        #[arg(required = true, value_name = "FILE")]
        files: Vec<std::path::PathBuf>,
    },
    /// Describe one token given in Hadoop's URL-safe string form (`Token.encodeToUrlString`).
    Decode {
        #[arg(long)]
        json: bool,
        #[arg(value_name = "URLSTRING")]
        token: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ok = match cli.command {
        Command::Print { json, files } => print::print_files(&files, json),
        Command::Decode { json, token } => print::decode(&token, json),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
