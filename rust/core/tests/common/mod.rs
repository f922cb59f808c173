pub mod conf;
pub mod moto;
