pub mod cases;
pub mod conf;
pub mod moto;
