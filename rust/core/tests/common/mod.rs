pub mod cases;
pub mod moto;
