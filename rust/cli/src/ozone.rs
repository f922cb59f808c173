//! `s3adt ozone getsecret|revokesecret`: S3 secrets from Apache Ozone's S3 gateway over SPNEGO,
//! as the Kerberos login of the caller (`kinit`, or a keytab in `KRB5_CLIENT_KTNAME`).
//! `getsecret` is the only one that prints a secret, on standard output. `revokesecret` also
//! removes the copy the Ozone token binding keeps in its store, when the configuration names
//! one (`fs.s3a.s3adt.ozone.secret.store=vault`).

use crate::credentials::sh;
use crate::ConfArgs;
use clap::{Args, Subcommand};
use s3adt_core::ozone::get_secret;
use s3adt_core::ozone::store::{revoke_secret_and_copy, Revoked, STORE_KEY};
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
    /// Revoke an S3 secret (DELETE /secret): everything using it is refused at once. When the
    /// configuration (core-site.xml, --conf, -D) sets fs.s3a.s3adt.ozone.secret.store=vault,
    /// the copy the Ozone token binding keeps in Vault (fs.s3a.s3adt.vault.*) is removed too,
    /// also when Ozone has none to revoke. A store that is a Java class is refused before
    /// anything is revoked (use `hadoop org.s3adt.ozone.OzoneTokenBinding revokesecret`).
    Revokesecret {
        #[command(flatten)]
        target: Target,
        #[command(flatten)]
        conf: ConfArgs,
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
    match cmd {
        OzoneCommand::Getsecret { target, format } => get(&target, &format),
        OzoneCommand::Revokesecret { target, conf } => revoke(&target, &conf),
    }
}

fn get(target: &Target, format: &str) -> bool {
    let s = match get_secret(&target.url, target.user.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("s3adt ozone getsecret: {e}");
            return false;
        }
    };
    let (ak, sk) = (s.access_key.as_str(), s.secret.expose());
    match format {
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
    true
}

fn revoke(target: &Target, conf: &ConfArgs) -> bool {
    let fail = |e: &dyn std::fmt::Display| {
        eprintln!("s3adt ozone revokesecret: {e}");
        false
    };
    let conf = match conf.load() {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let Revoked {
        principal,
        at_ozone,
        stored_copy_removed,
        store,
    } = match revoke_secret_and_copy(&target.url, target.user.as_deref(), &conf) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let who = principal.as_deref().unwrap_or("the principal logged in");
    if at_ozone.is_ok() {
        eprintln!("s3adt ozone revokesecret: revoked the S3 secret of {who}");
    }
    let store = store.unwrap_or_default();
    match stored_copy_removed {
        Some(true) => eprintln!(
            "s3adt ozone revokesecret: removed the stored copy of {who} ({STORE_KEY}=vault: {store})"
        ),
        Some(false) => eprintln!(
            "s3adt ozone revokesecret: no stored copy of {who} to remove ({STORE_KEY}=vault: {store})"
        ),
        None => {}
    }
    match at_ozone {
        Ok(()) => true,
        Err(e) => fail(&e),
    }
}
