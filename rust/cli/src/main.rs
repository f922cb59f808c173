//! The `s3adt` command: inspect Hadoop token files and token strings, S3A tokens in full
//! (never their secrets); fetch tokens; describe a bucket; list and abort its multipart uploads.

mod bucket_info;
mod credentials;
mod fetch;
mod ozone;
mod print;
mod uploads;
mod url;

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
    Fetch(fetch::FetchArgs),
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
    BucketInfo(bucket_info::Args),
    /// What `hadoop s3guard uploads` does for s3adt: list the multipart uploads in progress
    /// under s3a://BUCKET/PREFIX and a total; with --abort, abort them (after a yes on stdin,
    /// unless --force). Exit codes: 0, 40 (bad arguments or settings), 43 (refused), 44 (no
    /// such bucket), 1 (anything else, or an abort not confirmed).
    Uploads(uploads::Args),
    /// S3 secrets from Apache Ozone's S3 gateway over SPNEGO (Kerberos: kinit first).
    #[command(subcommand)]
    Ozone(ozone::OzoneCommand),
    /// Describe one token given in Hadoop's URL-safe string form (`Token.encodeToUrlString`).
    Decode {
        #[arg(long)]
        json: bool,
        #[arg(value_name = "URLSTRING")]
        token: String,
    },
}

/// The options a bucket command (`bucket-info`, `uploads`) shares: its configuration and the
/// token file that signs.
#[derive(clap::Args)]
pub struct BucketArgs {
    #[command(flatten)]
    pub conf: ConfArgs,
    /// Sign with the bucket's token in this token file instead of the credential chain
    /// (bucket-info: default $HADOOP_TOKEN_FILE_LOCATION).
    #[arg(long = "token-file", value_name = "FILE")]
    pub token_file: Option<std::path::PathBuf>,
}

/// Where a command's configuration comes from: `-D` and `--conf` (see [`load_conf`]).
#[derive(clap::Args)]
pub struct ConfArgs {
    /// A configuration key=value; repeatable. Applied after core-site.xml.
    #[arg(short = 'D', value_name = "KEY=VALUE")]
    pub defines: Vec<String>,
    /// Extra configuration XML files, read after `$HADOOP_CONF_DIR/core-site.xml`.
    #[arg(long = "conf", value_name = "FILE")]
    pub conf_files: Vec<std::path::PathBuf>,
}

impl ConfArgs {
    /// The configuration these options give ([`load_conf`]).
    pub fn load(&self) -> Result<s3adt_core::conf::Configuration, s3adt_core::conf::ConfigError> {
        load_conf(&self.conf_files, &self.defines)
    }
}

/// The configuration a command works with: core-site.xml (from `HADOOP_CONF_DIR`), then the
/// `--conf` files, then the `-D` overrides; the first failure names its file or key.
pub(crate) fn load_conf(
    conf_files: &[std::path::PathBuf],
    defines: &[String],
) -> Result<s3adt_core::conf::Configuration, s3adt_core::conf::ConfigError> {
    let mut conf = s3adt_core::conf::Configuration::new();
    conf.load_default_resources()?;
    for f in conf_files {
        conf.add_resource(f)?;
    }
    for d in defines {
        conf.set_override(d)?;
    }
    Ok(conf)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ok = match cli.command {
        Command::BucketInfo(args) => return ExitCode::from(bucket_info::run(args)),
        Command::Uploads(args) => return ExitCode::from(uploads::run(args)),
        Command::Print { json, files } => print::print_files(&files, json),
        Command::Decode { json, token } => print::decode(&token, json),
        Command::Credentials {
            token_file,
            format,
            defines,
            uri,
        } => credentials::run(token_file, &format, &defines, &uri),
        Command::Fetch(args) => fetch::run(args),
        Command::Ozone(cmd) => ozone::run(cmd),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
