pub mod conf;
pub mod http;
pub mod moto;
pub mod recorder;
pub mod s3;
