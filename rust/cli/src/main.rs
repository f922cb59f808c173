//! The `s3adt` command: inspect Hadoop token files and token strings, S3A tokens in full
//! (never their secrets).

mod bucket_info;
mod credentials;
mod fetch;
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
    /// Issue one token per bucket into a token file, like `hdfs fetchdt` / `hadoop dtutil get`.
    /// The binding is `fs.s3a.delegation.token.binding` (per bucket, as S3A reads it).
    Fetch {
        /// A configuration key=value; repeatable. Applied after core-site.xml.
        #[arg(short = 'D', value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// Extra configuration XML files, read after `$HADOOP_CONF_DIR/core-site.xml`.
        #[arg(long = "conf", value_name = "FILE")]
        conf_files: Vec<std::path::PathBuf>,
        /// The renewer to name in the token (empty by default, as hadoop-aws).
        #[arg(long, default_value = "")]
        renewer: String,
        /// The token owner (default: HADOOP_USER_NAME, else the login name).
        #[arg(long)]
        owner: Option<String>,
        /// File format: `java` (Writable, as fetchdt) or `protobuf` (as dtutil).
        #[arg(long, default_value = "java")]
        format: String,
        /// Add to the tokens already in FILE instead of replacing the file.
        #[arg(long)]
        append: bool,
        /// s3a://BUCKET ... then the output FILE.
        #[arg(required = true, num_args = 2.., value_name = "s3a://BUCKET... FILE")]
        args: Vec<String>,
    },
    /// Print the AWS credentials a token carries for a bucket. The only command that prints
    /// secrets, and only on request.
    Credentials {
        /// Token file; default $HADOOP_TOKEN_FILE_LOCATION.
        #[arg(long = "token-file", value_name = "FILE")]
        token_file: Option<std::path::PathBuf>,
        /// `env` (shell exports), `json`, or `credential-process` (the AWS CLI/SDK format).
        #[arg(long, default_value = "env")]
        format: String,
        /// A configuration key=value; the binding, if set, must match the token's kind.
        #[arg(short = 'D', value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// Taken as a list so that a stray extra argument (perhaps a secret typed in the wrong
        /// place) is refused by position, not quoted back as clap would.
        #[arg(value_name = "s3a://BUCKET", required = true, num_args = 1..)]
        uri: Vec<String>,
    },
    /// What `hadoop s3guard bucket-info` says about a bucket, for s3adt: client, committer and
    /// delegation settings, what would sign, and one HEAD of the bucket. Never a secret.
    /// Exit codes: 0, 40 (bad arguments or settings), 43 (refused), 44 (no such bucket),
    /// 46 (a --encryption/--magic/--delegation/--token requirement not met), 48 (no answer).
    BucketInfo {
        /// A configuration key=value; repeatable. Applied after core-site.xml.
        #[arg(short = 'D', value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// Extra configuration XML files, read after `$HADOOP_CONF_DIR/core-site.xml`.
        #[arg(long = "conf", value_name = "FILE")]
        conf_files: Vec<std::path::PathBuf>,
        /// Token file whose token for the bucket would sign; default $HADOOP_TOKEN_FILE_LOCATION,
        /// else the credential chain.
        #[arg(long = "token-file", value_name = "FILE")]
        token_file: Option<std::path::PathBuf>,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Do not send the HEAD.
        #[arg(long = "no-probe")]
        no_probe: bool,
        /// Require this encryption (none, SSE-S3, SSE-KMS, DSSE-KMS, SSE-C), as S3A's -encryption.
        #[arg(long, value_name = "ALGORITHM")]
        encryption: Option<String>,
        /// Require the magic committer, as S3A's -magic.
        #[arg(long)]
        magic: bool,
        /// Require delegation tokens to be enabled for the bucket.
        #[arg(long)]
        delegation: bool,
        /// Require an unexpired delegation token for the bucket in the token file.
        #[arg(long)]
        token: bool,
        #[arg(value_name = "s3a://BUCKET")]
        uri: String,
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
        Command::BucketInfo {
            defines,
            conf_files,
            token_file,
            json,
            no_probe,
            encryption,
            magic,
            delegation,
            token,
            uri,
        } => {
            return ExitCode::from(bucket_info::run(bucket_info::Args {
                defines,
                conf_files,
                token_file,
                json,
                no_probe,
                encryption,
                magic,
                delegation,
                token,
                uri,
            }));
        }
        Command::Print { json, files } => print::print_files(&files, json),
        Command::Decode { json, token } => print::decode(&token, json),
        Command::Credentials {
            token_file,
            format,
            defines,
            uri,
        } => credentials::run(token_file, &format, &defines, &uri),
        Command::Fetch {
            defines,
            conf_files,
            renewer,
            owner,
            format,
            append,
            args,
        } => fetch::run(fetch::FetchArgs {
            defines,
            conf_files,
            renewer,
            owner,
            format,
            append,
            args,
        }),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
