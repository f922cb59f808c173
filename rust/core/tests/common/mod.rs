pub mod conf;
pub mod moto;
pub mod recorder;
pub mod s3;
