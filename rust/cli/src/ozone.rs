//! `s3adt ozone getsecret|revokesecret`: S3 secrets from Apache Ozone's S3 gateway over SPNEGO,
//! as the Kerberos login of the caller (`kinit`, or a keytab in `KRB5_CLIENT_KTNAME`).
//! `getsecret` is the only one that prints a secret, on standard output.

use crate::credentials::sh;
use clap::{Args, Subcommand};
use s3adt_core::ozone::{get_secret, revoke_secret};
use serde_json::json;

#[derive(Subcommand)]
pub enum OzoneCommand {
    /// Get a new S3 secret (PUT /secret) and print it. Ozone gives a user's secret once: keep it.
    /// Exit codes: 0, 1 (refused or failed: the message says why and what to do), 2 (usage).
    Getsecret {
        #[command(flatten)]
        target: Target,
        /// `env` (shell exports), `json`, or `credential-process` (the AWS CLI/SDK format).
        #[arg(long, default_value = "env", value_parser = ["env", "json", "credential-process"])]
        format: String,
    },
    /// Revoke an S3 secret (DELETE /secret): everything using it is refused at once.
    Revokesecret {
        #[command(flatten)]
        target: Target,
    },
}

#[derive(Args)]
pub struct Target {
    /// Act for this principal (/secret/PRINCIPAL): only an S3 administrator may. Default: the
    /// principal logged in.
    #[arg(long, value_name = "PRINCIPAL")]
    user: Option<String>,
    /// The S3 gateway's webadmin URL, e.g. http://s3g.example.com:19878 (its host must be the
    /// one in the gateway's HTTP/host principal).
    #[arg(value_name = "URL")]
    url: String,
}

pub fn run(cmd: OzoneCommand) -> bool {
    let (name, result) = match cmd {
        OzoneCommand::Getsecret { target, format } => (
            "getsecret",
            get_secret(&target.url, target.user.as_deref()).map(|s| {
                let (ak, sk) = (s.access_key.as_str(), s.secret.expose());
                match format.as_str() {
                    "env" => {
                        println!("export AWS_ACCESS_KEY_ID={}", sh(ak));
                        println!("export AWS_SECRET_ACCESS_KEY={}", sh(sk));
                        println!("unset AWS_SESSION_TOKEN");
                    }
                    "json" => println!("{}", json!({"accessKeyId": ak, "secretAccessKey": sk})),
                    _ => println!(
                        "{}",
                        json!({"Version": 1, "AccessKeyId": ak, "SecretAccessKey": sk})
                    ),
                }
            }),
        ),
        OzoneCommand::Revokesecret { target } => (
            "revokesecret",
            revoke_secret(&target.url, target.user.as_deref()).map(|()| {
                eprintln!(
                    "s3adt ozone revokesecret: revoked the S3 secret of {}",
                    target.user.as_deref().unwrap_or("the principal logged in")
                );
            }),
        ),
    };
    match result {
        Ok(()) => true,
        Err(e) => {
            eprintln!("s3adt ozone {name}: {e}");
            false
        }
    }
}
